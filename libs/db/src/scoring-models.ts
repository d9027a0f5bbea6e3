// Stores trained scoring models as versions, one live at a time, like rulesets: what the subscriber scores orders with.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface ModelRef {
  model_id: string;
  version: number;
}

/** The version a newly trained `modelId` gets: one above the latest stored. */
export async function nextModelVersion(db: Kysely<Database>, modelId: string): Promise<number> {
  const latest = await db.selectFrom('scoring_models').select((eb) => eb.fn.max('version').as('version')).where('model_id', '=', modelId).executeTakeFirst();
  return (latest?.version ?? 0) + 1;
}

/** Stores a trained model's document under its own id and version; a version is stored once (a second save fails). */
export async function saveModel(db: Kysely<Database>, document: { id: string; version: number }): Promise<ModelRef> {
  await db.insertInto('scoring_models').values({ model_id: document.id, version: document.version, document: JSON.stringify(document) }).execute();
  return { model_id: document.id, version: document.version };
}

/** Makes a stored version the live one; the one live before is retired. Throws for a version not stored. */
export async function activateModel(db: Kysely<Database>, { model_id, version }: ModelRef): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('scoring_models').set({ status: 'retired' }).where('status', '=', 'active').execute();
    const updated = await trx
      .updateTable('scoring_models')
      .set({ status: 'active', activated_at: new Date() })
      .where('model_id', '=', model_id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new Error(`scoring model ${model_id}@${version} is not stored; train it first`);
  });
}

/** The live model; undefined when none is. */
export async function activeModelRef(db: Kysely<Database>): Promise<ModelRef | undefined> {
  return db.selectFrom('scoring_models').select(['model_id', 'version']).where('status', '=', 'active').executeTakeFirst();
}

/** A stored version's document; undefined when it is not stored. */
export async function loadModel(db: Kysely<Database>, { model_id, version }: ModelRef): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('scoring_models').select('document').where('model_id', '=', model_id).where('version', '=', version).executeTakeFirst();
  return row?.document;
}
