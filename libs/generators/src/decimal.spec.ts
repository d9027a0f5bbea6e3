// Money stays exact: BigInt cents in, decimal strings out, seed A spelling on request.
import { divideDecimal, fromCents, multiplyDecimal, toCents, toLegacyRupiah } from './decimal.js';

describe('decimal strings', () => {
  it('round-trips through cents', () => {
    expect(toCents('123.4')).toBe(12340n);
    expect(toCents('7')).toBe(700n);
    expect(fromCents(12340n)).toBe('123.40');
    expect(fromCents(700n)).toBe('7');
  });

  it('multiplies exactly where floats would not', () => {
    expect(multiplyDecimal('0.1', 3)).toBe('0.30');
    expect(multiplyDecimal('29999900', 500)).toBe('14999950000');
    expect(multiplyDecimal('999999999999.99', 3)).toBe('2999999999999.97');
  });

  it('divides rounding half up to cents', () => {
    expect(divideDecimal('100', 3)).toBe('33.33');
    expect(divideDecimal('200', 3)).toBe('66.67');
    expect(divideDecimal('0.05', 2)).toBe('0.03');
    expect(divideDecimal('125000000', 250)).toBe('500000');
  });

  it("writes seed A's legacy rupiah spelling", () => {
    expect(toLegacyRupiah('125000000')).toBe('Rp.125,000,000');
    expect(toLegacyRupiah('100000')).toBe('Rp.100,000');
    expect(toLegacyRupiah('999')).toBe('Rp.999');
    expect(() => toLegacyRupiah('12.50')).toThrow();
  });

  it('rejects anything but a plain decimal', () => {
    expect(() => toCents('1e3')).toThrow();
    expect(() => toCents('-1')).toThrow();
    expect(() => toCents('1.234')).toThrow();
  });
});
