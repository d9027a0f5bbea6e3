// What the generator's injected fraud looks like once the world reacts: early refunds, chargebacks days later, some fraud never reported, a few service disputes.
import type { OrderOutcomeV1Input } from '@fraudline/events';
import type { GeneratedOrder } from './order-profile.js';
import { seededFaker } from './random.js';

export interface GenerateOutcomesOptions {
  seed: number;
  /** Outcomes not yet known at this time are left out, as they would be in reality. */
  now: Date;
  /** Share of fraud orders whose cardholder files a chargeback (default 0.8: the rest is never reported). */
  reportedFraud?: number;
  /** Share of genuine orders with a service-dispute chargeback, which says nothing about fraud (default 0.01). */
  disputes?: number;
  /**
   * Share of reported fraud the merchant refunds early, 6–72 h after the order, on the issuer's fraud alert, before
   * any chargeback (default 0.4); the rest becomes a chargeback.
   */
  refundedEarly?: number;
}

const DAY_MS = 86_400_000;

/** Acquirer reason codes: Visa 10.4 (card-absent fraud) and 13.1 (merchandise not received). */
const FRAUD_REASON = '10.4';
const DISPUTE_REASON = '13.1';

const HOUR_MS = 3_600_000;

/**
 * Deterministic per seed. A chargeback is disputed 2–30 days after the order and becomes known 1–5 days after that;
 * an early refund is known when it is made, 6–72 h after the order. So the most recent fraud has no label yet: the
 * label delay every fraud measure has to respect.
 */
export function generateOutcomes(orders: readonly GeneratedOrder[], options: GenerateOutcomesOptions): OrderOutcomeV1Input[] {
  const faker = seededFaker(options.seed);
  const reportedFraud = options.reportedFraud ?? 0.8;
  const disputes = options.disputes ?? 0.01;
  const refundedEarly = options.refundedEarly ?? 0.4;
  const outcomes: OrderOutcomeV1Input[] = [];
  for (const order of orders) {
    const fraud = order.simulation.isFraud;
    const draw = faker.number.float();
    const refund = faker.number.float() < refundedEarly;
    const placedMs = Date.parse(order.placedAt);
    const occurredMs = placedMs + faker.number.int({ min: 2, max: 30 }) * DAY_MS + faker.number.int(DAY_MS - 1);
    const knownMs = occurredMs + faker.number.int({ min: 1, max: 5 }) * DAY_MS;
    const refundMs = placedMs + faker.number.int({ min: 6 * HOUR_MS, max: 72 * HOUR_MS });
    if (!(fraud ? draw < reportedFraud : draw < disputes)) continue;
    if (fraud && refund) {
      if (refundMs > options.now.getTime()) continue;
      const at = new Date(refundMs).toISOString();
      outcomes.push({
        type: 'OrderOutcome',
        version: 1,
        outcomeId: `refund-${order.orderId}`,
        orderId: order.orderId,
        kind: 'fraud_refund',
        amount: order.amount,
        currency: order.currency ?? 'IDR',
        occurredAt: at,
        knownAt: at,
        source: 'generator',
      });
      continue;
    }
    if (knownMs > options.now.getTime()) continue;
    outcomes.push({
      type: 'OrderOutcome',
      version: 1,
      outcomeId: `cb-${order.orderId}`,
      orderId: order.orderId,
      kind: 'chargeback',
      reasonCode: fraud ? FRAUD_REASON : DISPUTE_REASON,
      category: fraud ? 'fraud' : 'dispute',
      amount: order.amount,
      currency: order.currency ?? 'IDR',
      occurredAt: new Date(occurredMs).toISOString(),
      knownAt: new Date(knownMs).toISOString(),
      source: 'generator',
    });
  }
  return outcomes;
}
