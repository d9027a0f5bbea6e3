// The order path's per-batch statements, prepared once per connection on a Postgres server instead of parsed and planned per batch.
import type { Kysely, RawBuilder } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

/**
 * Executes `query` as the named prepared statement `name` through the raw pool (its text must never change), or
 * through kysely where there is no pool (PGlite). Planning costs a small batch about as much as executing it.
 */
export async function executePrepared<Row extends object>(
  db: Kysely<Database>,
  pool: pg.Pool | undefined,
  name: string,
  query: RawBuilder<Row>,
): Promise<Row[]> {
  if (!pool) return (await query.execute(db)).rows;
  const { sql, parameters } = query.compile(db);
  return (await pool.query({ name, text: sql, values: [...parameters] })).rows as Row[];
}
