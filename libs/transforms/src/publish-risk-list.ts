// From batch back to stream: the label-based risk list mart becomes the OLTP risk_list that the decision path reads.
import type { WarehouseSql } from '@fraudline/warehouse';
import type { USER_STATUSES } from './models/marts.js';

export interface RiskListRow {
  user_id: string;
  risk_status: (typeof USER_STATUSES)[number];
  fraud_orders: number;
  total_orders: number;
}

/** Publishes `rows` as the next OLTP risk-list version, atomically; `source` names what the list was derived from. */
export type RiskListWriter = (rows: readonly RiskListRow[], publishedAt: Date, source?: string) => Promise<unknown>;

/** One database connection with a pg-style `query` (pg.Client, a checked-out pg.PoolClient, PGlite); not a pool. */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * Writes the list over one connection in one transaction: a new risk_list_versions row, its Blacklist/Watchlist
 * entries into risk_list_history, and risk_list replaced by it (the same effect as `@fraudline/db`'s replaceRiskList).
 */
export function pgRiskListWriter(session: SqlSession): RiskListWriter {
  return async (rows, publishedAt, source = 'warehouse') => {
    const columns = [rows.map((row) => row.user_id), rows.map((row) => row.risk_status), rows.map((row) => row.fraud_orders), rows.map((row) => row.total_orders)];
    const list = 'unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS list(user_id, risk_status, fraud_orders, total_orders)';
    await session.query('BEGIN');
    try {
      await session.query('DELETE FROM risk_list');
      await session.query(
        `WITH version AS (
           INSERT INTO risk_list_versions (source, entries, published_at)
           SELECT $6, count(*) FILTER (WHERE risk_status <> 'Good Standing'), $5 FROM ${list} RETURNING version),
         history AS (
           INSERT INTO risk_list_history (version, user_id, risk_status)
           SELECT version, user_id, risk_status FROM version, ${list} WHERE risk_status <> 'Good Standing')
         INSERT INTO risk_list (user_id, risk_status, fraud_orders, total_orders, published_at, version)
         SELECT user_id, risk_status, fraud_orders, total_orders, $5, version FROM version, ${list}`,
        [...columns, publishedAt, source],
      );
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK');
      throw error;
    }
  };
}

export interface PublishRiskListOptions {
  warehouse: WarehouseSql;
  /** A writer function, or a single pg-style connection to the OLTP database. */
  oltp: RiskListWriter | SqlSession;
  publishedAt?: Date;
}

export interface PublishRiskListResult {
  published: number;
  publishedAt: Date;
}

/**
 * The mart the OLTP risk list is published from: users by their orders labelled fraud by outcomes. Never seed A's
 * `mart_user_fraud_status`, whose fraud is the rules' own decisions: publishing that, three declines would blacklist a
 * user and every later order of theirs would be declined again, a loop that feeds itself.
 */
export const RISK_LIST_MART = 'mart_label_risk_list';

/** Reads `marts.mart_label_risk_list` and replaces the OLTP `risk_list` with it in one transaction. */
export async function publishRiskList({ warehouse, oltp, publishedAt = new Date() }: PublishRiskListOptions): Promise<PublishRiskListResult> {
  const mart = await warehouse.query<{ user_id: string; risk_status: RiskListRow['risk_status']; fraud_orders: unknown; total_orders: unknown }>(
    `SELECT user_id, risk_status, fraud_orders, total_orders FROM ${warehouse.table('marts', RISK_LIST_MART)} ORDER BY user_id`,
  );
  const rows = mart.map((row) => ({
    user_id: row.user_id,
    risk_status: row.risk_status,
    fraud_orders: Number(row.fraud_orders),
    total_orders: Number(row.total_orders),
  }));
  const write = typeof oltp === 'function' ? oltp : pgRiskListWriter(oltp);
  await write(rows, publishedAt, `marts.${RISK_LIST_MART}`);
  return { published: rows.length, publishedAt };
}
