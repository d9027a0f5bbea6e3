import { v7 as uuidv7 } from 'uuid';
import { decodeOrderPlaced, encodeOrderPlaced, EventDecodeError, MAX_MESSAGE_BYTES, storableText } from './serde.js';
import type { OrderPlacedV1Input } from './order-placed.js';
import { orderMessageKey } from './topics.js';

function validOrder(overrides: Partial<OrderPlacedV1Input> = {}): OrderPlacedV1Input {
  return {
    type: 'OrderPlaced',
    version: 1,
    orderId: uuidv7(),
    userId: 'U100',
    productId: 'P0001',
    merchantId: 'M001',
    quantity: 2,
    unitPrice: '62500000',
    amount: '125000000',
    paymentMethod: 'Gopay',
    country: 'ID',
    placedAt: '2026-11-21T02:15:00.123+07:00',
    device: { deviceId: 'D1', ip: '10.1.2.3', ipCountry: 'ID', deviceType: 'mobile', os: 'Android', browser: 'Chrome', isVpn: false },
    ...overrides,
  };
}

function decodeError(bytes: Buffer | string | null): EventDecodeError {
  const result = decodeOrderPlaced(bytes);
  if (result.ok) throw new Error('expected a decode error');
  return result.error;
}

describe('OrderPlaced serde', () => {
  it('round-trips a valid v1 event and fills the default currency', () => {
    const order = validOrder();
    const result = decodeOrderPlaced(encodeOrderPlaced(order));
    expect(result).toEqual({ ok: true, event: { ...order, currency: 'IDR' } });
  });

  it("normalizes seed A's legacy rupiah spelling to an exact decimal", () => {
    const result = decodeOrderPlaced(encodeOrderPlaced(validOrder({ amount: 'Rp.125,000,000' })));
    expect(result.ok && result.event.amount).toBe('125000000');
  });

  it('keys messages by user so one user stays on one partition', () => {
    expect(orderMessageKey(validOrder({ userId: 'U777' }))).toBe('U777');
  });

  it.each([
    ['not json', '{oops', 'invalid_json', ''],
    ['an array', '[1,2]', 'invalid_json', ''],
    ['an unknown type', JSON.stringify({ type: 'OrderShipped', version: 1 }), 'unknown_type', 'type'],
    ['an unknown version', JSON.stringify({ ...validOrder(), version: 9 }), 'unknown_version', 'version'],
  ])('rejects %s with kind %s', (_label, bytes, kind, field) => {
    const error = decodeError(bytes);
    expect(error.kind).toBe(kind);
    expect(error.issues[0]?.field).toBe(field);
  });

  it('rejects an oversized message before parsing it', () => {
    const error = decodeError(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 'a'));
    expect(error.kind).toBe('oversized');
  });

  it('names every offending field of a schema violation', () => {
    const bad = { ...validOrder(), amount: '12.345', quantity: 0, device: { ...validOrder().device, ip: 'nope' } };
    const error = decodeError(JSON.stringify(bad));
    expect(error.kind).toBe('schema_violation');
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(['amount', 'device.ip', 'quantity']);
    expect(error.message).toContain('amount: must be a non-negative decimal string');
  });

  it('rejects a float amount, a naive timestamp and a v4 order id', () => {
    const bad = { ...validOrder(), amount: 125000000.5, placedAt: '2026-11-21 02:15:00', orderId: '0b7e6c1e-8f0a-4c1e-9e8a-2f1d3c4b5a69' };
    const fields = decodeError(JSON.stringify(bad))
      .issues.map((issue) => issue.field)
      .sort();
    expect(fields).toEqual(['amount', 'orderId', 'placedAt']);
  });

  it('returns an error for a null message value instead of throwing', () => {
    expect(decodeError(null).kind).toBe('invalid_json');
  });

  it('rejects U+0000 and lone surrogates, which Postgres cannot store, naming the field', () => {
    const nul = JSON.stringify(validOrder({ device: { ...validOrder().device, deviceId: 'D\u00001' } }));
    expect(nul).toContain('\\u0000');
    expect(decodeError(nul)).toMatchObject({ kind: 'invalid_json', issues: [{ field: 'device.deviceId' }] });
    const lone = JSON.stringify(validOrder({ userId: 'U\ud800' }));
    expect(decodeError(lone)).toMatchObject({ kind: 'invalid_json', issues: [{ field: 'userId' }] });
    const paired = decodeOrderPlaced(JSON.stringify(validOrder({ userId: 'U\ud83d\ude00' })));
    expect(paired.ok && paired.event.userId).toBe('U\u{1F600}');
  });

  it('rejects bytes that are not UTF-8 instead of accepting them with U+FFFD in a field', () => {
    const text = encodeOrderPlaced(validOrder({ userId: 'U1XX' }));
    const invalid = Buffer.from(text.toString().replace('U1XX', 'U1\u0000'));
    invalid[invalid.indexOf(0)] = 0xff;
    expect(decodeError(invalid)).toMatchObject({ kind: 'invalid_json', issues: [{ field: '', message: 'message is not valid UTF-8' }] });
    // A U+FFFD the producer really sent is valid UTF-8 and stays.
    expect(decodeOrderPlaced(encodeOrderPlaced(validOrder({ userId: 'U1\uFFFD' }))).ok).toBe(true);
  });

  it('keeps the parse error storable when JSON.parse quotes input holding U+0000', () => {
    const error = decodeError('tru\u0000'); // V8: Unexpected token '\u0000', "tru\u0000" is not valid JSON
    expect(error.kind).toBe('invalid_json');
    expect(error.issues[0]!.message).not.toMatch(/\0/);
  });
});

describe('storableText', () => {
  it('replaces U+0000 and lone surrogates, and keeps pairs', () => {
    expect(storableText('a\u0000b\ud800c\udc00d\ud83d\ude00')).toBe('a\uFFFDb\uFFFDc\uFFFDd\ud83d\ude00');
  });
});
