// The stream bench's baselines: the subscriber's own write with none of its logic, and the older one-table COPY.
import { storeDecidedBatch, type DecidedBatch, type NewDecision, type NewOrder, type OrderDatabase } from '@fraudline/db';
import type { OrderPlacedV1Input } from '@fraudline/events';
import type { LogMessage } from '@fraudline/streaming';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A message's order as its producer wrote it: parsed, never validated or normalized. */
const parseOrder = (text: string) => JSON.parse(text) as OrderPlacedV1Input;

/** The orders row of a produced order, its columns in the table's order (the one-table COPY relies on it). */
function orderRow(o: OrderPlacedV1Input): NewOrder {
  return {
    order_id: o.orderId,
    user_id: o.userId,
    product_id: o.productId,
    merchant_id: o.merchantId,
    quantity: o.quantity,
    unit_price: o.unitPrice,
    amount: o.amount,
    currency: o.currency ?? 'IDR',
    payment_method: o.paymentMethod,
    country: o.country,
    device_id: o.device.deviceId,
    ip: o.device.ip,
    ip_country: o.device.ipCountry,
    is_vpn: o.device.isVpn,
    email: o.customer?.email ?? null,
    created_at: o.placedAt,
  };
}

/** What the ceiling decides for every order: a constant, so no rule runs; the row is as wide as a typical approval. */
const constantDecision = (o: OrderPlacedV1Input): NewDecision => ({
  order_id: o.orderId,
  decision: 'approve',
  score: 0,
  status: 'genuine',
  is_fraud: false,
  reasons: '[]',
  rule_failures: null,
  ruleset_id: 'ceiling',
  ruleset_version: 1,
  latency_ms: 0,
  order_created_at: o.placedAt,
  features: '{}',
});

/**
 * The batch the subscriber would store for these messages if every one were valid and approved, built with no
 * validation, features or rules: the raw landing holds each message's bytes as received, the orders row the
 * produced fields, the decisions row constants.
 */
export function undecidedBatch(messages: readonly LogMessage[]): DecidedBatch {
  const batch: DecidedBatch = { landed: [], orders: [], decisions: [], rejected: [] };
  for (const message of messages) {
    const text = message.value!.toString('utf8');
    const order = parseOrder(text);
    batch.landed.push({ topic: message.topic, partition: message.partition, offset: message.offset, message_key: message.key, order_id: order.orderId, message: text });
    batch.orders.push(orderRow(order));
    batch.decisions.push(constantDecision(order));
  }
  return batch;
}

/** The subscriber's write without its logic: the same store call, so the same COPYs, tables, keys, checks and trigger. */
export async function storeUndecided(database: OrderDatabase, messages: readonly LogMessage[]): Promise<void> {
  await storeDecidedBatch(database, undecidedBatch(messages));
}

/** The older baseline's table: the orders columns and the message, one primary key, no foreign key, index or trigger. */
export const ONE_TABLE_DDL = 'CREATE TABLE ceiling_orders (LIKE orders INCLUDING DEFAULTS, message jsonb NOT NULL, PRIMARY KEY (order_id))';

/** The older baseline: every message COPYed as one row of one table. */
export async function copyOneTable(pool: pg.Pool, messages: readonly LogMessage[]): Promise<void> {
  const lines = messages.map((message) => {
    const text = message.value!.toString();
    const cells = [...Object.values(orderRow(parseOrder(text))), new Date().toISOString(), text.replace(/\\/g, '\\\\')];
    return `${cells.map((cell) => cell ?? '\\N').join('\t')}\n`;
  });
  const client = await pool.connect();
  try {
    await pipeline(Readable.from(lines), client.query(copyFrom('COPY ceiling_orders FROM STDIN')));
  } finally {
    client.release();
  }
}
