// The risk list the streaming rules read (Blacklist → decline, Watchlist → review), published whole as a new version.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RiskEntry {
  user_id: string;
  risk_status: 'Blacklist' | 'Watchlist' | 'Good Standing';
  fraud_orders: number;
  total_orders: number;
}

/**
 * Publishes `rows` as the next version in one transaction, so the decision path never sees half of a list: the
 * version and its Blacklist/Watchlist entries are kept for good (a decision names its version, a backtest reads it
 * again), and `risk_list` is replaced by the new version. Returns the version.
 */
export async function replaceRiskList(db: Kysely<Database>, rows: readonly RiskEntry[], publishedAt: Date, source = 'warehouse'): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const listed = rows.filter((row) => row.risk_status !== 'Good Standing');
    const { version } = await trx
      .insertInto('risk_list_versions')
      .values({ source, entries: listed.length, published_at: publishedAt })
      .returning('version')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('risk_list').execute();
    for (let i = 0; i < rows.length; i += 5000) {
      await trx
        .insertInto('risk_list')
        .values(rows.slice(i, i + 5000).map((row) => ({ ...row, published_at: publishedAt, version })))
        .execute();
    }
    for (let i = 0; i < listed.length; i += 5000) {
      await trx
        .insertInto('risk_list_history')
        .values(listed.slice(i, i + 5000).map((row) => ({ version, user_id: row.user_id, risk_status: row.risk_status as 'Blacklist' | 'Watchlist' })))
        .execute();
    }
    return version;
  });
}
