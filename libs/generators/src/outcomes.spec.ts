import { decodeOrderOutcome } from '@fraudline/events';
import { generateOrders } from './order-generator.js';
import { generateOutcomes } from './outcomes.js';
import { generateMerchants } from './merchants.js';
import { generateProducts } from './products.js';
import { generateUsers } from './users.js';

describe('generateOutcomes', () => {
  const from = new Date('2026-09-01T00:00:00+07:00');
  const catalog = {
    users: generateUsers({ seed: 1, count: 300, asOf: from }).users,
    products: generateProducts({ seed: 2, count: 80 }),
    merchants: generateMerchants({ seed: 3, count: 15 }),
  };
  const to = new Date('2026-11-01T00:00:00+07:00');
  const orders = generateOrders({ seed: 5, catalog, count: 4000, from, to });
  const now = new Date('2026-11-15T00:00:00+07:00');
  const outcomes = generateOutcomes(orders, { seed: 9, now });
  const byOrder = new Map(orders.map((order) => [order.orderId, order]));

  it('emits valid outcome events, each known after it happened and after the order, and none known after now', () => {
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      expect(decodeOrderOutcome(JSON.stringify(outcome)).ok).toBe(true);
      const placed = Date.parse(byOrder.get(outcome.orderId)!.placedAt);
      expect(Date.parse(outcome.occurredAt)).toBeGreaterThan(placed);
      expect(Date.parse(outcome.knownAt)).toBeGreaterThanOrEqual(Date.parse(outcome.occurredAt));
      expect(Date.parse(outcome.knownAt)).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('reports most old fraud as fraud chargebacks, leaves some unreported, and files a few disputes on genuine orders', () => {
    const oldFraud = orders.filter((order) => order.simulation.isFraud && Date.parse(order.placedAt) < Date.parse('2026-10-01T00:00:00+07:00'));
    const fraudOutcomes = new Set(outcomes.filter((o) => o.kind === 'fraud_refund' || (o.kind === 'chargeback' && o.category === 'fraud')).map((o) => o.orderId));
    const refunds = outcomes.filter((o) => o.kind === 'fraud_refund').length;
    expect(refunds / fraudOutcomes.size).toBeGreaterThan(0.25);
    expect(refunds / fraudOutcomes.size).toBeLessThan(0.55);
    const reported = oldFraud.filter((order) => fraudOutcomes.has(order.orderId)).length / oldFraud.length;
    expect(oldFraud.length).toBeGreaterThan(50);
    expect(reported).toBeGreaterThan(0.65);
    expect(reported).toBeLessThan(0.95);
    const disputes = outcomes.filter((o) => o.kind === 'chargeback' && o.category === 'dispute');
    expect(disputes.length).toBeGreaterThan(0);
    expect(disputes.every((o) => !byOrder.get(o.orderId)!.simulation.isFraud)).toBe(true);
    expect([...fraudOutcomes].every((id) => byOrder.get(id)!.simulation.isFraud)).toBe(true);
  });

  it('leaves the most recent fraud unlabelled: nothing is known within 6 h of an order, no chargeback within 3 days', () => {
    const soon = new Date(to.getTime() + 86_400_000);
    const early = generateOutcomes(orders, { seed: 9, now: soon });
    const placed = new Map(orders.map((order) => [order.orderId, Date.parse(order.placedAt)]));
    expect(early.filter((o) => o.kind === 'chargeback' && placed.get(o.orderId)! > soon.getTime() - 3 * 86_400_000)).toEqual([]);
    expect(early.every((o) => Date.parse(o.knownAt) - placed.get(o.orderId)! >= 6 * 3_600_000)).toBe(true);
    expect(early.length).toBeLessThan(outcomes.length);
  });

  it('is deterministic per seed', () => {
    expect(generateOutcomes(orders, { seed: 9, now })).toEqual(outcomes);
    expect(generateOutcomes(orders, { seed: 10, now })).not.toEqual(outcomes);
  });
});
