// Outcomes are stored once per outcome id, in one transaction with the rejections of their batch; a reused id with other content is found, not ignored.
import { sql, type Kysely } from 'kysely';
import type { RejectedEvent } from './order-store.js';
import type { Database, NewOrderOutcome } from './schema.js';

/** What became of each outcome of a write, by its index: written now, already stored alike, or already stored otherwise. */
export type OutcomeWrite = 'recorded' | 'unchanged' | 'conflicting';

/** Which of these order ids are stored, so an outcome for an unknown order is rejected with a reason, not a foreign-key error. */
export async function storedOrderIds(db: Kysely<Database>, orderIds: readonly string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await db.selectFrom('orders').select('order_id').where('order_id', 'in', [...new Set(orderIds)]).execute();
  return new Set(rows.map((row) => row.order_id));
}

/**
 * Writes outcomes (and the batch's rejections) in one transaction. The first copy of an outcome id is inserted unless
 * stored already; every other copy, and a first copy that was stored already, is compared with what is stored.
 */
export async function storeOutcomes(db: Kysely<Database>, outcomes: readonly NewOrderOutcome[], rejected: readonly RejectedEvent[] = []): Promise<OutcomeWrite[]> {
  return db.transaction().execute(async (trx) => {
    if (rejected.length > 0) {
      await trx
        .insertInto('raw.rejected_events')
        .values(rejected.map((row) => ({ ...row, error: JSON.stringify(row.error) })))
        .onConflict((oc) => oc.columns(['topic', 'partition', 'offset']).doNothing())
        .execute();
    }
    if (outcomes.length === 0) return [];
    const firstIndex = new Map<string, number>();
    outcomes.forEach((outcome, index) => firstIndex.has(outcome.outcome_id) || firstIndex.set(outcome.outcome_id, index));
    const inserted = await trx
      .insertInto('order_outcomes')
      .values([...firstIndex.values()].map((index) => outcomes[index]!))
      .onConflict((oc) => oc.column('outcome_id').doNothing())
      .returning('outcome_id')
      .execute();
    const recorded = new Set(inserted.map((row) => row.outcome_id));
    const isNewFirst = (outcome: NewOrderOutcome, index: number) => recorded.has(outcome.outcome_id) && firstIndex.get(outcome.outcome_id) === index;
    const compared = outcomes.filter((outcome, index) => !isNewFirst(outcome, index));
    const candidates = JSON.stringify(compared.map((outcome, i) => ({ i, outcome_id: outcome.outcome_id, message: outcome.message })));
    const differing =
      compared.length === 0
        ? []
        : (
            await sql<{ i: number }>`
              SELECT c.i FROM jsonb_to_recordset(${candidates}::jsonb) AS c(i int, outcome_id text, message text)
              JOIN order_outcomes o USING (outcome_id) WHERE o.message <> c.message::jsonb`.execute(trx)
          ).rows;
    const conflicting = new Set(differing.map((row) => compared[row.i]));
    return outcomes.map((outcome, index): OutcomeWrite => (isNewFirst(outcome, index) ? 'recorded' : conflicting.has(outcome) ? 'conflicting' : 'unchanged'));
  });
}
