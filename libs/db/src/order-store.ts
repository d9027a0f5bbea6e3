// Reads the feature inputs of a batch in a bounded number of queries, and writes a decided batch in one transaction.
import { sql, type Kysely } from 'kysely';
import type { Database, NewDecision, NewOrder } from './schema.js';

export interface FeatureKeys {
  userIds: string[];
  deviceIds: string[];
  ips: string[];
  emails: string[];
  /** Earliest event time needed (the batch's earliest order minus the longest window). */
  since: Date;
  /** Latest event time needed (exclusive); later orders cannot affect the batch. */
  until: Date;
}

export interface HistoryRow {
  order_id: string;
  user_id: string;
  device_id: string;
  ip: string;
  email: string | null;
  amount: string;
  created_at: Date;
}

export interface FeatureInputs {
  history: HistoryRow[];
  lifetime: { user_id: string; orders: number; total_amount: string }[];
  risk: { user_id: string; risk_status: 'Blacklist' | 'Watchlist' | 'Good Standing' }[];
  /** Which referenced catalog ids exist, so orders naming unknown ones are rejected rather than failing the batch. */
  known: { users: Set<string>; products: Set<string>; merchants: Set<string> };
}

/** `= ANY($1)`: one array parameter however many keys, and an empty list simply matches nothing. */
const anyOf = (values: string[]) => sql<string>`ANY(${values}::text[])`;

export async function loadFeatureInputs(
  db: Kysely<Database>,
  keys: FeatureKeys,
  catalogIds: { products: string[]; merchants: string[] },
): Promise<FeatureInputs> {
  const [history, lifetime, risk, users, products, merchants] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['order_id', 'user_id', 'device_id', sql<string>`host(ip)`.as('ip'), 'email', 'amount', 'created_at'])
      .where('created_at', '>=', keys.since)
      .where('created_at', '<', keys.until)
      .where((eb) =>
        eb.or([
          eb('user_id', '=', anyOf(keys.userIds)),
          eb('device_id', '=', anyOf(keys.deviceIds)),
          eb(sql`host(ip)`, '=', anyOf(keys.ips)),
          eb('email', '=', anyOf(keys.emails)),
        ]),
      )
      .execute(),
    db
      .selectFrom('orders')
      .select(['user_id', (eb) => eb.fn.countAll<string>().as('orders'), (eb) => eb.fn.sum<string>('amount').as('total_amount')])
      .where('user_id', '=', anyOf(keys.userIds))
      .groupBy('user_id')
      .execute(),
    db.selectFrom('risk_list').select(['user_id', 'risk_status']).where('user_id', '=', anyOf(keys.userIds)).execute(),
    db.selectFrom('users').select('user_id').where('user_id', '=', anyOf(keys.userIds)).execute(),
    db.selectFrom('products').select('product_id').where('product_id', '=', anyOf(catalogIds.products)).execute(),
    db.selectFrom('merchants').select('merchant_id').where('merchant_id', '=', anyOf(catalogIds.merchants)).execute(),
  ]);
  return {
    history,
    lifetime: lifetime.map((row) => ({ user_id: row.user_id, orders: Number(row.orders), total_amount: row.total_amount })),
    risk,
    known: {
      users: new Set(users.map((row) => row.user_id)),
      products: new Set(products.map((row) => row.product_id)),
      merchants: new Set(merchants.map((row) => row.merchant_id)),
    },
  };
}

export interface LandedEvent {
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  order_id: string;
  message: Record<string, unknown>;
}

export interface RejectedEvent {
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  payload: string;
  payload_encoding: 'utf8' | 'base64';
  error_kind: string;
  error: { field: string; message: string }[];
}

export interface DecidedBatch {
  landed: LandedEvent[];
  orders: NewOrder[];
  decisions: NewDecision[];
  labels: { order_id: string; pattern: string; is_fraud: boolean }[];
  rejected: RejectedEvent[];
}

export interface StoredCounts {
  orders: number;
  rejected: number;
}

/**
 * Writes the raw landing, the orders, their decisions and labels, and the rejected events as ONE statement:
 * the batch travels as a single JSON parameter and data-modifying CTEs insert every table, so the write is atomic,
 * takes one round trip, and costs no per-row bind parameters. Every insert ignores rows it already has, so a
 * redelivered batch changes nothing.
 */
export async function storeDecidedBatch(db: Kysely<Database>, batch: DecidedBatch): Promise<StoredCounts> {
  const payload = JSON.stringify({
    landed: batch.landed,
    orders: batch.orders,
    decisions: batch.decisions.map((row) => ({ ...row, reasons: typeof row.reasons === 'string' ? JSON.parse(row.reasons) : row.reasons })),
    labels: batch.labels,
    rejected: batch.rejected,
  });
  const { rows } = await sql<{ orders: string; rejected: string }>`
    WITH batch AS (SELECT ${payload}::jsonb AS doc),
    landed AS (
      INSERT INTO raw.order_events (topic, partition, "offset", message_key, order_id, message)
      SELECT topic, partition, "offset", message_key, order_id, message
      FROM batch, jsonb_to_recordset(doc->'landed') AS x(topic text, partition int, "offset" bigint, message_key text, order_id uuid, message jsonb)
      ON CONFLICT DO NOTHING
      RETURNING 1),
    orders AS (
      INSERT INTO orders (order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country,
                          device_id, ip, ip_country, is_vpn, email, created_at)
      SELECT order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country,
             device_id, ip, ip_country, is_vpn, email, created_at
      FROM batch, jsonb_to_recordset(doc->'orders') AS x(order_id uuid, user_id text, product_id text, merchant_id text, quantity int,
        unit_price numeric, amount numeric, currency text, payment_method text, country text, device_id text, ip inet, ip_country text,
        is_vpn boolean, email text, created_at timestamptz)
      ON CONFLICT (order_id) DO NOTHING
      RETURNING 1),
    decisions AS (
      INSERT INTO decisions (order_id, decision, score, status, is_fraud, reasons, ruleset_id, ruleset_version, latency_ms, order_created_at)
      SELECT order_id, decision, score, status, is_fraud, reasons, ruleset_id, ruleset_version, latency_ms, order_created_at
      FROM batch, jsonb_to_recordset(doc->'decisions') AS x(order_id uuid, decision text, score smallint, status text, is_fraud boolean,
        reasons jsonb, ruleset_id text, ruleset_version int, latency_ms numeric, order_created_at timestamptz)
      ON CONFLICT (order_id) DO NOTHING
      RETURNING 1),
    labels AS (
      INSERT INTO order_labels (order_id, pattern, is_fraud)
      SELECT order_id, pattern, is_fraud FROM batch, jsonb_to_recordset(doc->'labels') AS x(order_id uuid, pattern text, is_fraud boolean)
      ON CONFLICT (order_id) DO NOTHING
      RETURNING 1),
    rejected AS (
      INSERT INTO raw.rejected_events (topic, partition, "offset", message_key, payload, payload_encoding, error_kind, error)
      SELECT topic, partition, "offset", message_key, payload, payload_encoding, error_kind, error
      FROM batch, jsonb_to_recordset(doc->'rejected') AS x(topic text, partition int, "offset" bigint, message_key text, payload text,
        payload_encoding text, error_kind text, error jsonb)
      ON CONFLICT (topic, partition, "offset") DO NOTHING
      RETURNING 1)
    SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM rejected) AS rejected,
           (SELECT count(*) FROM landed) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM labels) AS others`.execute(db);
  return { orders: Number(rows[0]!.orders), rejected: Number(rows[0]!.rejected) };
}
