// Topic names and partitioning live with the contract, so producers and consumers cannot disagree.
import type { OrderPlaced } from './order-placed.js';

export const ORDERS_TOPIC = 'orders';

/** A topic's dead letters go to `<topic>.dlq` unless a deployment names another. */
export const deadLetterTopicFor = (topic: string) => `${topic}.dlq`;

export const ORDERS_DLQ_TOPIC = deadLetterTopicFor(ORDERS_TOPIC);

/** Outcomes (chargebacks, verdicts) arrive here, keyed by order id so one order's outcomes stay in order. */
export const OUTCOMES_TOPIC = 'order-outcomes';

/** One user's orders share a key, so they land on one partition and are consumed in order. */
export function orderMessageKey(order: Pick<OrderPlaced, 'userId'>): string {
  return order.userId;
}
