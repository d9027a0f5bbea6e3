// From batch back to stream: the user fraud status mart becomes the OLTP risk_list that the decision path reads.
import type { WarehouseSql } from '@fraudline/warehouse';
import type { USER_STATUSES } from './models/marts.js';

export interface RiskListRow {
  user_id: string;
  risk_status: (typeof USER_STATUSES)[number];
  fraud_orders: number;
  total_orders: number;
}

/** Replaces the whole OLTP risk list with `rows`, atomically. */
export type RiskListWriter = (rows: readonly RiskListRow[], publishedAt: Date) => Promise<void>;

/** One database connection with a pg-style `query` (pg.Client, a checked-out pg.PoolClient, PGlite); not a pool. */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Writes the list over one connection: BEGIN, DELETE every row, one INSERT from arrays, COMMIT (ROLLBACK on error). */
export function pgRiskListWriter(session: SqlSession): RiskListWriter {
  return async (rows, publishedAt) => {
    await session.query('BEGIN');
    try {
      await session.query('DELETE FROM risk_list');
      await session.query(
        `INSERT INTO risk_list (user_id, risk_status, fraud_orders, total_orders, published_at)
         SELECT user_id, risk_status, fraud_orders, total_orders, $5
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[]) AS list(user_id, risk_status, fraud_orders, total_orders)`,
        [rows.map((row) => row.user_id), rows.map((row) => row.risk_status), rows.map((row) => row.fraud_orders), rows.map((row) => row.total_orders), publishedAt],
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

/** Reads `marts.mart_user_fraud_status` and replaces the OLTP `risk_list` with it in one transaction. */
export async function publishRiskList({ warehouse, oltp, publishedAt = new Date() }: PublishRiskListOptions): Promise<PublishRiskListResult> {
  const mart = await warehouse.query<{ user_id: string; user_status: RiskListRow['risk_status']; fraud_orders: unknown; total_orders: unknown }>(
    `SELECT user_id, user_status, fraud_orders, total_orders FROM ${warehouse.table('marts', 'mart_user_fraud_status')} ORDER BY user_id`,
  );
  const rows = mart.map((row) => ({
    user_id: row.user_id,
    risk_status: row.user_status,
    fraud_orders: Number(row.fraud_orders),
    total_orders: Number(row.total_orders),
  }));
  const write = typeof oltp === 'function' ? oltp : pgRiskListWriter(oltp);
  await write(rows, publishedAt);
  return { published: rows.length, publishedAt };
}
