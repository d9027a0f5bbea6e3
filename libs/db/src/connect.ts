// Opens the OLTP database: a real Postgres server when a URL is given, otherwise PGlite (Postgres in WebAssembly) on disk.
import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kysely, Migrator, NO_MIGRATIONS, PostgresDialect, type MigrationResultSet } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { migrationProvider } from './migrations.js';
import { assertSchemaCurrent } from './schema-version.js';
import type { Database } from './schema.js';

export type DatabaseTarget = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir: string };

export interface OltpDatabase {
  db: Kysely<Database>;
  target: DatabaseTarget;
  /** The raw pg pool when on a Postgres server (for COPY and cursors); undefined on PGlite. */
  pool: pg.Pool | undefined;
  /** The embedded engine when on PGlite, so the local warehouse can live in the same database. */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

/** What the order path needs: the query builder, and the raw pool for COPY when on a Postgres server. */
export type OrderDatabase = Pick<OltpDatabase, 'db' | 'pool'>;

export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

export async function openDatabase(target: DatabaseTarget): Promise<OltpDatabase> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle connection cut by the server (restart, failover, admin) must not crash the process: the pool drops it,
    // and the next query opens a new one or fails into the caller's retry.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, target, pool, pglite: undefined, close: () => db.destroy() };
  }
  let lite: PGlite;
  await mkdir(target.dataDir, { recursive: true });
  const unlock = await lockDataDir(target.dataDir);
  try {
    lite = await PGlite.create(target.dataDir);
  } catch (error) {
    await unlock();
    throw new DatabaseOpenError(
      `cannot open the embedded database in ${target.dataDir}: ${(error as Error).message}. ` + 'If the data directory is corrupt, start over with --fresh.',
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(lite) });
  const close = async () => {
    await db.destroy();
    await unlock();
  };
  return { db, target, pool: undefined, pglite: lite, close };
}

function assertMigrated({ error, results }: MigrationResultSet): void {
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`);
  }
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  assertMigrated(await new Migrator({ db, provider: migrationProvider }).migrateToLatest());
}

/** Undoes every migration, newest first. */
export async function migrateDown(db: Kysely<Database>): Promise<void> {
  assertMigrated(await new Migrator({ db, provider: migrationProvider }).migrateTo(NO_MIGRATIONS));
}

/** Chooses the database from configuration: the Postgres server at `url`, otherwise PGlite under the data directory. */
export function databaseTarget(options: { url?: string; dataDir: string; poolSize?: number }): DatabaseTarget {
  return options.url ? { kind: 'postgres', url: options.url, poolSize: options.poolSize } : { kind: 'pglite', dataDir: join(options.dataDir, 'pglite') };
}

/** Opens the database and runs `prepare` on it; on failure the connection is closed before the error is thrown. */
async function openAnd(target: DatabaseTarget, prepare: (db: Kysely<Database>) => Promise<void>): Promise<OltpDatabase> {
  const oltp = await openDatabase(target);
  try {
    await prepare(oltp.db);
    return oltp;
  } catch (error) {
    await oltp.close().catch(() => undefined);
    throw error;
  }
}

/** Opens the database and brings its schema up to date: for the migrate command and the all-in-one embedded job. */
export const openMigratedDatabase = (target: DatabaseTarget) => openAnd(target, migrateToLatest);

/** Opens the database for a service, which refuses (SchemaVersionError) a schema other than the one it was built for. */
export const openCurrentDatabase = (target: DatabaseTarget) => openAnd(target, assertSchemaCurrent);
