// Reads the feature inputs of a batch in a bounded number of queries, and writes a decided batch in one transaction.
import { sql } from 'kysely';
import type { OrderDatabase } from './connect.js';
import { copyDecidedBatch, UNIQUE_VIOLATION } from './order-copy.js';
import { executePrepared } from './prepared.js';
import type { NewDecision, NewOrder, NewShadowDecision, RiskListTable } from './schema.js';

/** Keys whose recent orders a batch needs and does not hold yet. */
export interface HistoryKeys {
  userIds: string[];
  deviceIds: string[];
  ips: string[];
  emails: string[];
  /** Every order under these keys placed at or after this instant is read (the earliest order minus the longest window). */
  since: Date;
}

/** The catalog rows a batch refers to; which exist is checked, and users come back with their totals and risk. */
export interface BatchReferences {
  userIds: string[];
  productIds: string[];
  merchantIds: string[];
}

/** An earlier order as the feature window needs it (structurally the fraud rules' OrderFacts). */
export interface RecentOrder {
  orderId: string;
  userId: string;
  deviceId: string;
  ip: string;
  /** Lower-cased, as the feature keys are. */
  email?: string;
  amount: number;
  placedAtMs: number;
}

export type RiskStatus = RiskListTable['risk_status'];

/** How many of a user's orders used each device, IP country and payment method. */
export interface SeenValues {
  devices: Record<string, number>;
  ipCountries: Record<string, number>;
  paymentMethods: Record<string, number>;
}

/** A user the batch refers to that exists: lifetime totals and profile of every stored order, and the published risk status. */
export interface BatchUser {
  userId: string;
  orders: number;
  totalAmount: number;
  /** Σ amount², exact, as decimal text. */
  amountSquares: string;
  lastOrderAtMs: number | undefined;
  seen: SeenValues;
  riskStatus?: RiskStatus;
}

/** The keys of a batch whose fraud reports its features count: every key of every order, not only those not held. */
export interface ReportKeys {
  merchantIds: string[];
  productIds: string[];
  deviceIds: string[];
  ips: string[];
  emailDomains: string[];
  /** Reports known at or after this instant are read (the earliest order minus the longest report window). */
  since: Date;
}

/** A fraud-labelled outcome filed under one key of its order (structurally the fraud rules' FraudReport). */
export interface StoredFraudReport {
  entity: 'merchant' | 'product' | 'device' | 'ip' | 'emailDomain';
  key: string;
  orderId: string;
  placedAtMs: number;
  knownAtMs: number;
  recordedAtMs: number;
}

/** Orders stored per UTC day (days since the epoch) for one merchant. */
export interface StoredMerchantDays {
  merchantId: string;
  days: [day: number, orders: number][];
}

export interface FeatureInputs {
  history: RecentOrder[];
  fraudReports: StoredFraudReport[];
  /** For every merchant of the batch, its orders per day since a week before the batch's earliest day. */
  merchantDays: StoredMerchantDays[];
  /** Only the users that exist; orders naming any other are rejected rather than failing the batch. */
  users: BatchUser[];
  /** Which of the asked product and merchant ids exist. */
  known: { products: Set<string>; merchants: Set<string> };
  /** The risk-list version the users' statuses come from; undefined when none was published yet. */
  riskListVersion: number | undefined;
}

/** `= ANY($1)`: one array parameter however many keys, and an empty list simply matches nothing. */
const anyOf = (values: string[]) => sql<string>`ANY(${values}::text[])`;

type HistoryTuple = [orderId: string, userId: string, deviceId: string, ip: string, email: string | null, amount: number, placedAtMs: number];

type SeenTuple = [kind: 'device' | 'ip_country' | 'payment_method', value: string, orders: number];
type UserTuple = [userId: string, orders: number, totalAmount: number, amountSquares: string, lastOrderAtMs: number | null, seen: SeenTuple[] | null, riskStatus: RiskStatus | null];
type ReportTuple = [
  entity: 'merchant' | 'product' | 'device' | 'ip' | 'email_domain',
  key: string,
  orderId: string,
  placedAtMs: number,
  knownAtMs: number,
  recordedAtMs: number,
];

/** Seen-value rows as the profile counts them. */
export function seenValues(rows: Iterable<SeenTuple>): SeenValues {
  const seen: SeenValues = { devices: {}, ipCountries: {}, paymentMethods: {} };
  const bucket = { device: seen.devices, ip_country: seen.ipCountries, payment_method: seen.paymentMethods };
  for (const [kind, value, orders] of rows) bucket[kind][value] = Number(orders);
  return seen;
}

export const reportFromRow = ([entity, key, orderId, placedAtMs, knownAtMs, recordedAtMs]: ReportTuple): StoredFraudReport => ({
  entity: entity === 'email_domain' ? 'emailDomain' : entity,
  key,
  orderId,
  placedAtMs,
  knownAtMs,
  recordedAtMs,
});

/** The merchant-day rows of `merchants` from `sinceDay` (epoch days) on, one JSON array per merchant. */
export const MERCHANT_DAYS = `json_build_array(merchant_id, json_agg(json_build_array(day - date '1970-01-01', orders)))`;

/** Merchants without rows get an empty list, so a batch replaces what it held for every merchant it names. */
export function merchantDaysOf(merchantIds: readonly string[], rows: [string, [number, number][]][]): StoredMerchantDays[] {
  const byMerchant = new Map(rows.map(([merchantId, days]) => [merchantId, days.map(([day, orders]) => [day, Number(orders)] as [number, number])]));
  return merchantIds.map((merchantId) => ({ merchantId, days: byMerchant.get(merchantId) ?? [] }));
}

const epochMs = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** A fraud report row as the features read it: entity, key, order, placed, known and recorded epoch ms. */
export const REPORT_COLUMNS = `json_build_array(entity, key, order_id, ${epochMs('placed_at')}, ${epochMs('known_at')}, ${epochMs('recorded_at')})`;

/**
 * Everything a batch's features need, in ONE statement and one round trip. Rows come back as compact JSON arrays:
 * parsing one JSON document is far cheaper in Node than thousands of typed rows, and amounts and times arrive as
 * numbers. Each key list is passed as its own constant array so Postgres hashes it (a shared CTE would scan it per row).
 */
export async function loadFeatureInputs(
  { db, pool }: OrderDatabase,
  history: HistoryKeys,
  references: BatchReferences,
  reports: ReportKeys = { merchantIds: [], productIds: [], deviceIds: [], ips: [], emailDomains: [], since: history.since },
): Promise<FeatureInputs> {
  const query = sql<{ history: string; users: string; reports: string; merchant_days: string; products: string; merchants: string; risk_list_version: number | null }>`
    SELECT
      (SELECT coalesce(json_agg(json_build_array(order_id, user_id, device_id, host(ip), lower(email), amount::float8,
                                                 (extract(epoch FROM created_at) * 1000)::float8)), '[]')::text
         FROM orders
        WHERE created_at >= ${history.since}
          AND (user_id = ${anyOf(history.userIds)} OR device_id = ${anyOf(history.deviceIds)} OR ip = ANY(${history.ips}::inet[])
               OR (lower(email) = ${anyOf(history.emails)} AND email IS NOT NULL))) AS history,
      (SELECT coalesce(json_agg(json_build_array(u.user_id, coalesce(t.orders, 0), coalesce(t.total_amount, 0)::float8,
                                                 coalesce(t.amount_squares, 0)::text, ${sql.raw(epochMs('t.last_order_at'))},
                                                 (SELECT json_agg(json_build_array(s.kind, s.value, s.orders)) FROM user_seen_values s WHERE s.user_id = u.user_id),
                                                 r.risk_status)), '[]')::text
         FROM users u LEFT JOIN user_order_totals t USING (user_id) LEFT JOIN risk_list r USING (user_id)
        WHERE u.user_id = ${anyOf(references.userIds)}) AS users,
      (SELECT coalesce(json_agg(${sql.raw(REPORT_COLUMNS)}), '[]')::text
         FROM fraud_reports
        WHERE known_at >= ${reports.since}
          AND ((entity = 'merchant' AND key = ${anyOf(reports.merchantIds)}) OR (entity = 'product' AND key = ${anyOf(reports.productIds)})
               OR (entity = 'device' AND key = ${anyOf(reports.deviceIds)}) OR (entity = 'ip' AND key = ${anyOf(reports.ips)})
               OR (entity = 'email_domain' AND key = ${anyOf(reports.emailDomains)}))) AS reports,
      (SELECT coalesce(json_agg(per_merchant), '[]')::text FROM (
         SELECT ${sql.raw(MERCHANT_DAYS)} AS per_merchant FROM merchant_daily_orders
          WHERE merchant_id = ${anyOf(reports.merchantIds)} AND day >= (${reports.since}::timestamptz AT TIME ZONE 'UTC')::date
          GROUP BY merchant_id) m) AS merchant_days,
      (SELECT coalesce(json_agg(product_id), '[]')::text FROM products WHERE product_id = ${anyOf(references.productIds)}) AS products,
      (SELECT coalesce(json_agg(merchant_id), '[]')::text FROM merchants WHERE merchant_id = ${anyOf(references.merchantIds)}) AS merchants,
      (SELECT max(version) FROM risk_list_versions) AS risk_list_version`;
  const row = (await executePrepared(db, pool, 'fraudline_feature_inputs', query))[0]!;
  const parse = <T>(json: string) => JSON.parse(json) as T;
  return {
    history: parse<HistoryTuple[]>(row.history).map(([orderId, userId, deviceId, ip, email, amount, placedAtMs]) => ({
      orderId,
      userId,
      deviceId,
      ip,
      email: email ?? undefined,
      amount,
      placedAtMs,
    })),
    fraudReports: parse<ReportTuple[]>(row.reports).map(reportFromRow),
    merchantDays: merchantDaysOf(reports.merchantIds, parse(row.merchant_days)),
    users: parse<UserTuple[]>(row.users).map(([userId, orders, totalAmount, amountSquares, lastOrderAtMs, seen, riskStatus]) => {
      const user: BatchUser = { userId, orders, totalAmount, amountSquares, lastOrderAtMs: lastOrderAtMs ?? undefined, seen: seenValues(seen ?? []) };
      return riskStatus === null ? user : { ...user, riskStatus };
    }),
    known: { products: new Set(parse<string[]>(row.products)), merchants: new Set(parse<string[]>(row.merchants)) },
    riskListVersion: row.risk_list_version ?? undefined,
  };
}

export interface LandedEvent {
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  order_id: string;
  /** The message value exactly as received (it decoded, so it is UTF-8 JSON text). */
  message: string;
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
  rejected: RejectedEvent[];
  /** The shadow rulesets' decisions of these orders, stored in the same transaction; none when no shadow is marked. */
  shadows?: NewShadowDecision[];
}

export interface StoredCounts {
  orders: number;
  rejected: number;
}

export interface StoreOptions {
  /**
   * On a Postgres server (the database has a raw pool), batches of at least this many rows are written with COPY;
   * below it one statement (one round trip) beats the transaction of COPYs.
   */
  copyFromRows?: number;
}

export interface StoreOutcome extends StoredCounts {
  /**
   * 'copy': the fast path; 'statement': the conflict-skipping statement (small batches, PGlite);
   * 'redelivery': the COPY found rows already stored, and the statement wrote the rest.
   */
  path: 'copy' | 'statement' | 'redelivery';
}

const DEFAULT_COPY_FROM_ROWS = 200;

/**
 * Stores a decided batch atomically and idempotently. On a Postgres server a large batch is COPYed; if any of its
 * rows is already stored (a redelivery), the COPY rolls back and the conflict-skipping statement writes the rest.
 */
export async function storeDecidedBatch(database: OrderDatabase, batch: DecidedBatch, options: StoreOptions = {}): Promise<StoreOutcome> {
  const rows = batch.orders.length + batch.rejected.length;
  if (database.pool && rows >= (options.copyFromRows ?? DEFAULT_COPY_FROM_ROWS)) {
    try {
      await copyDecidedBatch(database.pool, batch);
      return { orders: batch.orders.length, rejected: batch.rejected.length, path: 'copy' };
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      return { ...(await insertDecidedBatch(database, batch)), path: 'redelivery' };
    }
  }
  return { ...(await insertDecidedBatch(database, batch)), path: 'statement' };
}

/**
 * Writes the raw landing, the orders, their decisions, and the rejected events as ONE statement: the batch travels
 * as a single JSON parameter and data-modifying CTEs insert every table, so the write is atomic, takes one round trip
 * (as a prepared statement on a Postgres server), and costs no per-row bind parameters. Every insert ignores rows it
 * already has, so a redelivered batch changes nothing.
 */
export async function insertDecidedBatch({ db, pool }: OrderDatabase, batch: DecidedBatch): Promise<StoredCounts> {
  const payload = JSON.stringify(batch);
  const query = sql<{ orders: string; rejected: string }>`
    WITH batch AS (SELECT ${payload}::jsonb AS doc),
    landed AS (
      INSERT INTO raw.order_events (topic, partition, "offset", message_key, order_id, message)
      SELECT topic, partition, "offset", message_key, order_id, message
      FROM batch, jsonb_to_recordset(doc->'landed') AS x(topic text, partition int, "offset" bigint, message_key text, order_id uuid, message text)
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
    decided AS (
      INSERT INTO decisions (order_id, decision, score, status, is_fraud, reasons, rule_failures, ruleset_id, ruleset_version, latency_ms,
                             order_created_at, decision_seq, risk_list_version, features, model_id, model_version)
      SELECT order_id, decision, score, status, is_fraud, reasons::jsonb, rule_failures::jsonb, ruleset_id, ruleset_version, latency_ms,
             order_created_at, decision_seq, risk_list_version, features::jsonb, model_id, model_version
      FROM batch, jsonb_to_recordset(doc->'decisions') AS x(order_id uuid, decision text, score smallint, status text, is_fraud boolean,
        reasons text, rule_failures text, ruleset_id text, ruleset_version int, latency_ms numeric, order_created_at timestamptz,
        decision_seq bigint, risk_list_version int, features text, model_id text, model_version int)
      ON CONFLICT (order_id) DO NOTHING
      RETURNING order_id),
    shadows AS (
      INSERT INTO shadow_decisions (order_id, ruleset_id, ruleset_version, decision, score, reasons, rule_failures, order_created_at)
      SELECT order_id, ruleset_id, ruleset_version, decision, score, reasons::jsonb, rule_failures::jsonb, order_created_at
      FROM batch, jsonb_to_recordset(coalesce(doc->'shadows', '[]')) AS x(order_id uuid, ruleset_id text, ruleset_version int, decision text,
        score smallint, reasons text, rule_failures text, order_created_at timestamptz)
      -- only beside a live decision written now: an order stored earlier (from this or other content) keeps what it has
      WHERE order_id IN (SELECT order_id FROM decided)
      ON CONFLICT DO NOTHING
      RETURNING 1),
    rejected AS (
      INSERT INTO raw.rejected_events (topic, partition, "offset", message_key, payload, payload_encoding, error_kind, error)
      SELECT topic, partition, "offset", message_key, payload, payload_encoding, error_kind, error
      FROM batch, jsonb_to_recordset(doc->'rejected') AS x(topic text, partition int, "offset" bigint, message_key text, payload text,
        payload_encoding text, error_kind text, error jsonb)
      ON CONFLICT (topic, partition, "offset") DO NOTHING
      RETURNING 1)
    SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM rejected) AS rejected,
           (SELECT count(*) FROM landed) + (SELECT count(*) FROM decided) + (SELECT count(*) FROM shadows) AS others`;
  const [counts] = await executePrepared(db, pool, 'fraudline_insert_decided_batch', query);
  return { orders: Number(counts!.orders), rejected: Number(counts!.rejected) };
}

/**
 * Which of these (order id, message) pairs name an order already stored from a message with other content, by index:
 * a producer reused an order id. An identical redelivery, wherever it was read from, is not a conflict; nor is one
 * spelt differently with the same JSON content (e.g. landed before the landing kept the text as received).
 */
export async function findConflictingLandings({ db }: OrderDatabase, candidates: readonly Pick<LandedEvent, 'order_id' | 'message'>[]): Promise<Set<number>> {
  if (candidates.length === 0) return new Set();
  const batch = JSON.stringify(candidates.map(({ order_id, message }) => ({ order_id, message })));
  const rows = await sql<{ index: number }>`
    SELECT (c.n - 1)::int AS index
      FROM jsonb_array_elements(${batch}::jsonb) WITH ORDINALITY AS c(doc, n)
      JOIN raw.order_events e ON e.order_id = (c.doc->>'order_id')::uuid
     WHERE e.message <> c.doc->>'message' AND e.message::jsonb <> (c.doc->>'message')::jsonb`.execute(db);
  return new Set(rows.rows.map((row) => row.index));
}
