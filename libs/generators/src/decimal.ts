// Exact money arithmetic: amounts travel as decimal strings and are computed in BigInt cents, never as floats.
const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(value: string): bigint {
  const match = DECIMAL.exec(value);
  if (!match) throw new Error(`not a decimal string with at most 2 decimals: ${JSON.stringify(value)}`);
  const [, whole = '0', fraction = ''] = match;
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** Renders cents as `123` or `123.45`, the shape the events schema accepts. */
export function fromCents(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = cents % 100n;
  return fraction === 0n ? whole.toString() : `${whole}.${fraction.toString().padStart(2, '0')}`;
}

export function multiplyDecimal(value: string, factor: number): string {
  return fromCents(toCents(value) * BigInt(factor));
}

/** Divides and rounds half up to whole cents. */
export function divideDecimal(value: string, divisor: number): string {
  const divisorBig = BigInt(divisor);
  return fromCents((toCents(value) * 2n + divisorBig) / (2n * divisorBig));
}

/** Seed A's spelling of a whole-rupiah amount: `Rp.125,000,000`. */
export function toLegacyRupiah(value: string): string {
  if (!/^\d+$/.test(value)) throw new Error(`legacy rupiah amounts are whole numbers, got ${JSON.stringify(value)}`);
  return `Rp.${value.replace(/\B(?=(\d{3})+$)/g, ',')}`;
}
