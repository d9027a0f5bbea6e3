// Row counts, typed by table: checks, summaries and tests ask "how many rows" the same way.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
