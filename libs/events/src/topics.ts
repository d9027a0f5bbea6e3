// Topic names and partitioning live with the contract, so producers and consumers cannot disagree.
import type { OrderPlaced } from './order-placed.js';

export const ORDERS_TOPIC = 'orders';
export const ORDERS_DLQ_TOPIC = 'orders.dlq';

/** One user's orders share a key, so they land on one partition and are consumed in order. */
export function orderMessageKey(order: Pick<OrderPlaced, 'userId'>): string {
  return order.userId;
}
