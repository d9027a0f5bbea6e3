import { v7 as uuidv7 } from 'uuid';
import { outcomeLabel, type OrderOutcomeV1Input } from './order-outcome.js';
import { decodeOrderOutcome, encodeOrderOutcome, encodeOrderPlaced } from './serde.js';

const base = { type: 'OrderOutcome', version: 1, outcomeId: 'cb-1', orderId: uuidv7(), occurredAt: '2026-11-25T10:00:00+07:00', knownAt: '2026-11-27T09:00:00+07:00' } as const;

function decoded(input: unknown) {
  const result = decodeOrderOutcome(typeof input === 'string' ? input : JSON.stringify(input));
  if (!result.ok) throw new Error(`expected a valid outcome: ${result.error.message}`);
  return result.event;
}

function issues(input: unknown) {
  const result = decodeOrderOutcome(JSON.stringify(input));
  if (result.ok) throw new Error('expected a decode error');
  return { kind: result.error.kind, fields: result.error.issues.map((issue) => issue.field) };
}

describe('OrderOutcome serde', () => {
  it.each<[string, OrderOutcomeV1Input, 'fraud' | 'legitimate' | undefined]>([
    ['a fraud chargeback', { ...base, kind: 'chargeback', reasonCode: '10.4', category: 'fraud', amount: '125000000' }, 'fraud'],
    ['a service-dispute chargeback', { ...base, kind: 'chargeback', reasonCode: '13.1', category: 'dispute', amount: '5000' }, undefined],
    ['a refund for fraud', { ...base, kind: 'fraud_refund', amount: '125000000.50' }, 'fraud'],
    ['an analyst clearing the order', { ...base, kind: 'analyst_verdict', verdict: 'legitimate', analyst: 'ayu', note: 'called the customer' }, 'legitimate'],
    ['a customer confirming the order', { ...base, kind: 'customer_confirmation' }, 'legitimate'],
  ])('round-trips %s and reads its label', (_label, input, label) => {
    const outcome = decoded(encodeOrderOutcome(input).toString());
    expect(outcome).toMatchObject({ ...input });
    expect(outcomeLabel(outcome)).toBe(label);
  });

  it('fills the default currency of a chargeback', () => {
    expect(decoded({ ...base, kind: 'fraud_refund', amount: '10' })).toMatchObject({ currency: 'IDR' });
  });

  it('names the fields a chargeback lacks, and an unknown kind', () => {
    expect(issues({ ...base, kind: 'chargeback', amount: '1' })).toEqual({ kind: 'schema_violation', fields: ['reasonCode', 'category'] });
    expect(issues({ ...base, kind: 'refund' }).fields).toEqual(['kind']);
  });

  it('refuses an outcome known before it happened, a float amount and a v4 order id', () => {
    expect(issues({ ...base, kind: 'customer_confirmation', knownAt: '2026-11-24T10:00:00+07:00' }).fields).toEqual(['knownAt']);
    expect(issues({ ...base, kind: 'fraud_refund', amount: 12.5 }).fields).toEqual(['amount']);
    expect(issues({ ...base, kind: 'customer_confirmation', orderId: '0b7c5f0e-6b1a-4c9b-9f3e-2b1c0d9e8f7a' }).fields).toEqual(['orderId']);
  });

  it('refuses an order event on the outcomes topic by its type', () => {
    const order = encodeOrderPlaced({
      type: 'OrderPlaced',
      version: 1,
      orderId: uuidv7(),
      userId: 'U1',
      productId: 'P1',
      merchantId: 'M1',
      quantity: 1,
      unitPrice: '1',
      amount: '1',
      paymentMethod: 'OVO',
      country: 'ID',
      placedAt: '2026-11-21T02:15:00+07:00',
      device: { deviceId: 'D1', ip: '10.1.2.3', ipCountry: 'ID', deviceType: 'mobile', os: 'Android', browser: 'Chrome', isVpn: false },
    });
    const result = decodeOrderOutcome(order);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe('unknown_type: type: unknown event type "OrderPlaced"; expected OrderOutcome');
  });
});
