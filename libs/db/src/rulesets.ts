// Rulesets are versioned documents in the database; activating one is a single transaction that retires the previous.
import type { Kysely } from 'kysely';
import type { Database, Ruleset } from './schema.js';

export interface RulesetRef {
  ruleset_id: string;
  version: number;
}

/** Stores a version as a draft; returns false when that id and version were already stored (which is left as it is). */
export async function saveRuleset(db: Kysely<Database>, ruleset: RulesetRef & { document: Record<string, unknown> }): Promise<boolean> {
  const inserted = await db
    .insertInto('rulesets')
    .values({ ...ruleset, status: 'draft', document: JSON.stringify(ruleset.document) })
    .onConflict((oc) => oc.columns(['ruleset_id', 'version']).doNothing())
    .returning('version')
    .execute();
  return inserted.length === 1;
}

/** Every stored version without its document, newest first within each ruleset. */
export async function listRulesets(db: Kysely<Database>): Promise<Omit<Ruleset, 'document'>[]> {
  return db
    .selectFrom('rulesets')
    .select(['ruleset_id', 'version', 'status', 'created_at', 'activated_at'])
    .orderBy('ruleset_id')
    .orderBy('version', 'desc')
    .execute();
}

export async function activateRuleset(db: Kysely<Database>, { ruleset_id, version }: RulesetRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('rulesets').set({ status: 'retired' }).where('status', '=', 'active').execute();
    const updated = await trx
      .updateTable('rulesets')
      .set({ status: 'active', activated_at: new Date() })
      .where('ruleset_id', '=', ruleset_id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new Error(`ruleset ${ruleset_id}@${version} is not stored; save it first`);
  });
}

/** Marks a stored version as shadow (it decides beside the live one) or back to draft; false when it is not stored or is active. */
export async function setShadow(db: Kysely<Database>, { ruleset_id, version }: RulesetRef, shadow: boolean): Promise<boolean> {
  const updated = await db
    .updateTable('rulesets')
    .set({ status: shadow ? 'shadow' : 'draft' })
    .where('ruleset_id', '=', ruleset_id)
    .where('version', '=', version)
    .where('status', '<>', 'active')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** The shadow versions, in a stable order: checked between batches like the active one. */
export async function shadowRulesetRefs(db: Kysely<Database>): Promise<RulesetRef[]> {
  return db.selectFrom('rulesets').select(['ruleset_id', 'version']).where('status', '=', 'shadow').orderBy('ruleset_id').orderBy('version').execute();
}

/** The active ruleset's id and version: a cheap check made between batches. */
export async function activeRulesetRef(db: Kysely<Database>): Promise<RulesetRef | undefined> {
  return db.selectFrom('rulesets').select(['ruleset_id', 'version']).where('status', '=', 'active').executeTakeFirst();
}

export async function loadRuleset(db: Kysely<Database>, { ruleset_id, version }: RulesetRef): Promise<Ruleset | undefined> {
  return db.selectFrom('rulesets').selectAll().where('ruleset_id', '=', ruleset_id).where('version', '=', version).executeTakeFirst();
}
