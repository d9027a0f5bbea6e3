// The risk list the streaming rules read (Blacklist → decline, Watchlist → review), replaced whole from the warehouse mart.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RiskEntry {
  user_id: string;
  risk_status: 'Blacklist' | 'Watchlist' | 'Good Standing';
  fraud_orders: number;
  total_orders: number;
}

/** Replaces the whole list in one transaction, so the decision path never sees half of it. */
export async function replaceRiskList(db: Kysely<Database>, rows: readonly RiskEntry[], publishedAt: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('risk_list').execute();
    for (let i = 0; i < rows.length; i += 5000) {
      await trx
        .insertInto('risk_list')
        .values(rows.slice(i, i + 5000).map((row) => ({ ...row, published_at: publishedAt })))
        .execute();
    }
  });
}
