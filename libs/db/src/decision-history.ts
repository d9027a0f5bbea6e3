// Reads a period's stored decisions back in the order they were made, with what each one knew: the replay's data access.
import { sql, type Kysely } from 'kysely';
import {
  MERCHANT_DAYS,
  merchantDaysOf,
  REPORT_COLUMNS,
  reportFromRow,
  seenValues,
  type BatchUser,
  type RecentOrder,
  type StoredFraudReport,
  type StoredMerchantDays,
} from './order-store.js';
import type { RulesetRef } from './rulesets.js';
import type { Database, Reason } from './schema.js';

/** Business days as instants: orders placed in [from, to). */
export interface Period {
  from: Date;
  to: Date;
}

/** What a replay of a period covers: every decision made from the period's first to its last, in decision order. */
export interface ReplayPlan {
  /** Decisions of orders placed in the period. */
  periodOrders: number;
  /** Of those, decided before decision order was recorded (migration 0006), so they cannot be replayed. */
  unordered: number;
  /** The decision_seq range replayed (inclusive); undefined when nothing in the period can be replayed. */
  seq?: { first: string; last: string };
  /** Decisions in that range (the period's own, and orders of other days decided meanwhile). */
  replayed: number;
  /** Per page of `pageSize` decisions, the earliest order time on that page or any later one: how far back the window must reach. */
  earliestFromPage: Date[];
  /** The latest order time among the replayed decisions; undefined when nothing can be replayed. */
  latest?: Date;
}

/** One stored decision, as a replay reads it. */
export interface StoredDecision {
  decision_seq: string;
  order_id: string;
  /** The landed message text, exactly as received. */
  message: string;
  decision: 'approve' | 'review' | 'decline';
  score: number;
  reasons: Reason[];
  ruleset_id: string;
  ruleset_version: number;
  risk_list_version: number | null;
  /** The scoring model the decision was scored by; null when none was live. */
  model_id: string | null;
  model_version: number | null;
  order_created_at: Date;
  /** The decision of the shadow ruleset asked for, when it decided this order in shadow. */
  shadow?: { decision: 'approve' | 'review' | 'decline'; score: number; reasons: Reason[] };
}

export async function planReplay(db: Kysely<Database>, period: Period, pageSize: number): Promise<ReplayPlan> {
  const bounds = await db
    .selectFrom('decisions')
    .select([
      sql<string>`count(*)`.as('orders'),
      sql<string>`count(*) FILTER (WHERE decision_seq IS NULL)`.as('unordered'),
      sql<string | null>`min(decision_seq)`.as('first'),
      sql<string | null>`max(decision_seq)`.as('last'),
    ])
    .where('order_created_at', '>=', period.from)
    .where('order_created_at', '<', period.to)
    .executeTakeFirstOrThrow();
  const plan: ReplayPlan = { periodOrders: Number(bounds.orders), unordered: Number(bounds.unordered), replayed: 0, earliestFromPage: [] };
  if (bounds.first === null || bounds.last === null) return plan;
  plan.seq = { first: bounds.first, last: bounds.last };
  const pages = await sql<{ page: string; earliest: Date; latest: Date; n: string }>`
    SELECT page, min(order_created_at) AS earliest, max(order_created_at) AS latest, count(*) AS n FROM (
      SELECT (row_number() OVER (ORDER BY decision_seq, order_id) - 1) / ${pageSize} AS page, order_created_at
        FROM decisions WHERE decision_seq BETWEEN ${bounds.first} AND ${bounds.last}) numbered
    GROUP BY page ORDER BY page`.execute(db);
  let earliest = Number.POSITIVE_INFINITY;
  const fromPage: Date[] = [];
  for (let i = pages.rows.length - 1; i >= 0; i--) {
    earliest = Math.min(earliest, new Date(pages.rows[i]!.earliest).getTime());
    fromPage[i] = new Date(earliest);
  }
  plan.earliestFromPage = fromPage;
  plan.latest = new Date(Math.max(...pages.rows.map((row) => new Date(row.latest).getTime())));
  plan.replayed = pages.rows.reduce((sum, row) => sum + Number(row.n), 0);
  return plan;
}

/**
 * The plan's decisions in decision order, a page at a time (keyset-paged, so each page is one index range read); with
 * `shadowOf`, each carries that ruleset version's shadow decision of the order, where it made one.
 */
export async function* storedDecisionPages(
  db: Kysely<Database>,
  seq: { first: string; last: string },
  pageSize: number,
  shadowOf?: RulesetRef,
): AsyncGenerator<StoredDecision[]> {
  let after: { seq: string; orderId: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('decisions as d')
      .innerJoin('raw.order_events as e', 'e.order_id', 'd.order_id')
      .leftJoin('shadow_decisions as s', (join) =>
        join
          .onRef('s.order_id', '=', 'd.order_id')
          .on('s.ruleset_id', '=', shadowOf?.ruleset_id ?? '')
          .on('s.ruleset_version', '=', shadowOf?.version ?? -1),
      )
      .select([
        sql<string>`d.decision_seq`.as('decision_seq'),
        'd.order_id',
        'e.message',
        'd.decision',
        'd.score',
        'd.reasons',
        'd.ruleset_id',
        'd.ruleset_version',
        'd.risk_list_version',
        'd.model_id',
        'd.model_version',
        'd.order_created_at',
        's.decision as shadow_decision',
        's.score as shadow_score',
        's.reasons as shadow_reasons',
      ])
      .where('d.decision_seq', '<=', seq.last)
      .orderBy('d.decision_seq')
      .orderBy('d.order_id')
      .limit(pageSize);
    query = after
      ? query.where(sql<boolean>`(d.decision_seq, d.order_id) > (${after.seq}::bigint, ${after.orderId}::uuid)`)
      : query.where('d.decision_seq', '>=', seq.first);
    const rows = (await query.execute()).map(({ shadow_decision, shadow_score, shadow_reasons, ...row }): StoredDecision =>
      shadow_decision === null ? row : { ...row, shadow: { decision: shadow_decision, score: shadow_score!, reasons: shadow_reasons! } },
    );
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { seq: last.decision_seq, orderId: last.order_id };
    if (rows.length < pageSize) return;
  }
}

/**
 * Orders decided before `firstSeq` (or before decision order was recorded) and placed at or after `since`: the
 * window history the first replayed decision saw. Read as the subscriber reads history.
 */
export async function ordersDecidedBefore(db: Kysely<Database>, firstSeq: string, since: Date): Promise<RecentOrder[]> {
  const rows = await sql<{ order_id: string; user_id: string; device_id: string; ip: string; email: string | null; amount: number; placed_at_ms: number }>`
    SELECT o.order_id, o.user_id, o.device_id, host(o.ip) AS ip, lower(o.email) AS email, o.amount::float8 AS amount,
           (extract(epoch FROM o.created_at) * 1000)::float8 AS placed_at_ms
      FROM orders o JOIN decisions d USING (order_id)
     WHERE o.created_at >= ${since} AND (d.decision_seq < ${firstSeq} OR d.decision_seq IS NULL)`.execute(db);
  return rows.rows.map((row) => ({
    orderId: row.order_id,
    userId: row.user_id,
    deviceId: row.device_id,
    ip: row.ip,
    ...(row.email === null ? {} : { email: row.email }),
    amount: row.amount,
    placedAtMs: row.placed_at_ms,
  }));
}

/**
 * Each user's lifetime totals and profile over the orders decided before `firstSeq`, for the users decided in the
 * replayed range: what the subscriber's trigger-kept tables held when the range began.
 */
export async function lifetimeTotalsBefore(db: Kysely<Database>, seq: { first: string; last: string }): Promise<Omit<BatchUser, 'riskStatus'>[]> {
  const before = sql`
    SELECT o.* FROM orders o JOIN decisions d USING (order_id)
     WHERE (d.decision_seq < ${seq.first} OR d.decision_seq IS NULL)
       AND o.user_id IN (SELECT r.user_id FROM orders r JOIN decisions rd USING (order_id) WHERE rd.decision_seq BETWEEN ${seq.first} AND ${seq.last})`;
  const totals = await sql<{ user_id: string; orders: string; total_amount: number; amount_squares: string; last_order_at_ms: number }>`
    SELECT user_id, count(*) AS orders, sum(amount)::float8 AS total_amount, sum(amount * amount)::text AS amount_squares,
           (extract(epoch FROM max(created_at)) * 1000)::float8 AS last_order_at_ms
      FROM (${before}) b GROUP BY user_id`.execute(db);
  const seen = await sql<{ user_id: string; seen: [kind: 'device' | 'ip_country' | 'payment_method', value: string, orders: number][] }>`
    SELECT user_id, json_agg(json_build_array(kind, value, orders)) AS seen FROM (
      SELECT user_id, kind, value, count(*) AS orders FROM (${before}) b
      CROSS JOIN LATERAL (VALUES ('device', device_id), ('ip_country', ip_country), ('payment_method', payment_method)) AS v(kind, value)
      GROUP BY user_id, kind, value) counted
    GROUP BY user_id`.execute(db);
  const seenByUser = new Map(seen.rows.map((row) => [row.user_id, row.seen]));
  return totals.rows.map((row) => ({
    userId: row.user_id,
    orders: Number(row.orders),
    totalAmount: row.total_amount,
    amountSquares: row.amount_squares,
    lastOrderAtMs: row.last_order_at_ms,
    seen: seenValues(seenByUser.get(row.user_id) ?? []),
  }));
}

/** Orders per merchant and UTC day, decided before `firstSeq` and placed at or after `since`, for the merchants of the replayed range. */
export async function merchantDaysBefore(db: Kysely<Database>, seq: { first: string; last: string }, since: Date): Promise<StoredMerchantDays[]> {
  const rows = await sql<{ per_merchant: [string, [number, number][]] }>`
    SELECT ${sql.raw(MERCHANT_DAYS)} AS per_merchant FROM (
      SELECT o.merchant_id, (o.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS orders
        FROM orders o JOIN decisions d USING (order_id)
       WHERE (d.decision_seq < ${seq.first} OR d.decision_seq IS NULL) AND o.created_at >= ${since}
       GROUP BY 1, 2) counted
    GROUP BY merchant_id`.execute(db);
  const perMerchant = rows.rows.map((row) => row.per_merchant);
  return merchantDaysOf(perMerchant.map(([merchantId]) => merchantId), perMerchant);
}

/** Every fraud report known in [from, to): what the replayed decisions can count (each then only those stored before it). */
export async function fraudReportsKnown(db: Kysely<Database>, from: Date, to: Date): Promise<StoredFraudReport[]> {
  const rows = await sql<{ report: Parameters<typeof reportFromRow>[0] }>`
    SELECT ${sql.raw(REPORT_COLUMNS)} AS report FROM fraud_reports WHERE known_at >= ${from} AND known_at < ${to}`.execute(db);
  return rows.rows.map((row) => reportFromRow(row.report));
}

/** The Blacklist and Watchlist entries of each of these published risk-list versions. */
export async function riskListVersions(db: Kysely<Database>, versions: readonly number[]): Promise<Map<number, Map<string, 'Blacklist' | 'Watchlist'>>> {
  const lists = new Map(versions.map((version) => [version, new Map<string, 'Blacklist' | 'Watchlist'>()]));
  if (versions.length === 0) return lists;
  const rows = await db.selectFrom('risk_list_history').select(['version', 'user_id', 'risk_status']).where('version', 'in', [...versions]).execute();
  for (const row of rows) lists.get(row.version)!.set(row.user_id, row.risk_status);
  return lists;
}

/** The scoring models the decisions in the range were scored by. */
export async function modelsUsed(db: Kysely<Database>, seq: { first: string; last: string }): Promise<{ model_id: string; version: number }[]> {
  const rows = await db
    .selectFrom('decisions')
    .select(['model_id', 'model_version'])
    .distinct()
    .where('decision_seq', '>=', seq.first)
    .where('decision_seq', '<=', seq.last)
    .where('model_id', 'is not', null)
    .execute();
  return rows.map((row) => ({ model_id: row.model_id!, version: row.model_version! }));
}

/** The risk-list versions the decisions in the range read. */
export async function riskListVersionsRead(db: Kysely<Database>, seq: { first: string; last: string }): Promise<number[]> {
  const rows = await db
    .selectFrom('decisions')
    .select('risk_list_version')
    .distinct()
    .where('decision_seq', '>=', seq.first)
    .where('decision_seq', '<=', seq.last)
    .where('risk_list_version', 'is not', null)
    .execute();
  return rows.map((row) => row.risk_list_version!);
}

/** The current label of each order placed in the period, as known now. */
export async function currentLabels(db: Kysely<Database>, period: Period): Promise<Map<string, 'fraud' | 'legitimate'>> {
  const rows = await db
    .selectFrom('order_verdicts as v')
    .innerJoin('orders as o', 'o.order_id', 'v.order_id')
    .select(['v.order_id', 'v.label'])
    .where('o.created_at', '>=', period.from)
    .where('o.created_at', '<', period.to)
    .execute();
  return new Map(rows.map((row) => [row.order_id, row.label]));
}

/** The generator's ground truth of each order placed in the period (the `simulation` its message carried), for measuring on generated data. */
export async function simulatedLabels(db: Kysely<Database>, period: Period): Promise<Map<string, 'fraud' | 'legitimate'>> {
  const rows = await db
    .selectFrom('order_labels as l')
    .innerJoin('orders as o', 'o.order_id', 'l.order_id')
    .select(['l.order_id', 'l.is_fraud'])
    .where('o.created_at', '>=', period.from)
    .where('o.created_at', '<', period.to)
    .execute();
  return new Map(rows.map((row) => [row.order_id, row.is_fraud ? 'fraud' : 'legitimate']));
}
