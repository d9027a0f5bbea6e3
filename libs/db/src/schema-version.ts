// Services run only on the schema they were built for: `migrate` changes the schema, everything else checks it and refuses a mismatch.
import { sql, type Kysely } from 'kysely';
import { migrations } from './migrations.js';
import type { Database } from './schema.js';

/** The migrations this release knows, oldest first; the last one is the schema version it needs. */
export const SCHEMA_MIGRATIONS: readonly string[] = Object.keys(migrations).sort();
export const SCHEMA_VERSION = SCHEMA_MIGRATIONS.at(-1)!;

export interface SchemaStatus {
  /** The newest migration applied to the database; undefined on an empty database. */
  version: string | undefined;
  /** Migrations of this release the database lacks. */
  pending: string[];
  /** Migrations applied to the database that this release does not know (a newer release migrated it). */
  unknown: string[];
}

export async function schemaStatus(db: Kysely<Database>): Promise<SchemaStatus> {
  const { rows } = await sql<{ present: boolean }>`SELECT to_regclass('kysely_migration') IS NOT NULL AS present`.execute(db);
  const applied = rows[0]?.present ? (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((row) => row.name) : [];
  const known = new Set(SCHEMA_MIGRATIONS);
  const done = new Set(applied);
  return { version: applied.at(-1), pending: SCHEMA_MIGRATIONS.filter((name) => !done.has(name)), unknown: applied.filter((name) => !known.has(name)) };
}

/** The database's schema is not the one this release was built for. */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

/** Throws a SchemaVersionError saying what to run when the database is behind or ahead of this release. */
export async function assertSchemaCurrent(db: Kysely<Database>): Promise<void> {
  const status = await schemaStatus(db);
  if (status.unknown.length > 0) {
    throw new SchemaVersionError(
      `the database schema is at ${status.version}, newer than this release (${SCHEMA_VERSION}); run a release that knows ${status.unknown.join(', ')}`,
    );
  }
  if (status.pending.length > 0) {
    const at = status.version ? `at ${status.version}` : 'empty';
    throw new SchemaVersionError(
      `the database schema is ${at} and this release needs ${SCHEMA_VERSION}; run the migrations first: npm run migrate (in a container: batch-loader migrate)`,
    );
  }
}
