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

const none = ['\u0000'];
const orNone = (values: string[]) => (values.length > 0 ? values : none);

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
          eb('user_id', 'in', orNone(keys.userIds)),
          eb('device_id', 'in', orNone(keys.deviceIds)),
          eb(sql`host(ip)`, 'in', orNone(keys.ips)),
          eb('email', 'in', orNone(keys.emails)),
        ]),
      )
      .execute(),
    db
      .selectFrom('orders')
      .select(['user_id', (eb) => eb.fn.countAll<string>().as('orders'), (eb) => eb.fn.sum<string>('amount').as('total_amount')])
      .where('user_id', 'in', orNone(keys.userIds))
      .groupBy('user_id')
      .execute(),
    db.selectFrom('risk_list').select(['user_id', 'risk_status']).where('user_id', 'in', orNone(keys.userIds)).execute(),
    db.selectFrom('users').select('user_id').where('user_id', 'in', orNone(keys.userIds)).execute(),
    db.selectFrom('products').select('product_id').where('product_id', 'in', orNone(catalogIds.products)).execute(),
    db.selectFrom('merchants').select('merchant_id').where('merchant_id', 'in', orNone(catalogIds.merchants)).execute(),
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

/** Postgres allows 65,535 bind parameters per statement; chunks keep wide tables under it. */
function chunks<T>(rows: T[], size = 2000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Writes the raw landing, the orders, their decisions and labels, and the rejected events in ONE transaction.
 * Every insert ignores rows it already has, so a redelivered batch changes nothing.
 */
export async function storeDecidedBatch(db: Kysely<Database>, batch: DecidedBatch): Promise<StoredCounts> {
  return db.transaction().execute(async (trx) => {
    let orders = 0;
    let rejected = 0;
    for (const rows of chunks(batch.landed)) {
      await trx
        .insertInto('raw.order_events')
        .values(rows.map((row) => ({ ...row, message: JSON.stringify(row.message) })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const rows of chunks(batch.orders)) {
      const result = await trx
        .insertInto('orders')
        .values(rows)
        .onConflict((oc) => oc.column('order_id').doNothing())
        .executeTakeFirst();
      orders += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    for (const rows of chunks(batch.decisions)) {
      await trx
        .insertInto('decisions')
        .values(rows)
        .onConflict((oc) => oc.column('order_id').doNothing())
        .execute();
    }
    for (const rows of chunks(batch.labels)) {
      await trx
        .insertInto('order_labels')
        .values(rows)
        .onConflict((oc) => oc.column('order_id').doNothing())
        .execute();
    }
    for (const rows of chunks(batch.rejected)) {
      const result = await trx
        .insertInto('raw.rejected_events')
        .values(rows.map((row) => ({ ...row, error: JSON.stringify(row.error) })))
        .onConflict((oc) => oc.columns(['topic', 'partition', 'offset']).doNothing())
        .executeTakeFirst();
      rejected += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return { orders, rejected };
  });
}
