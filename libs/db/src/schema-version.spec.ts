import { sql } from 'kysely';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openCurrentDatabase, openDatabase, openMigratedDatabase } from './connect.js';
import { migrationProvider } from './migrations.js';
import { Migrator } from 'kysely';
import { SCHEMA_MIGRATIONS, SCHEMA_VERSION, SchemaVersionError, schemaStatus } from './schema-version.js';

describe('schema version check', () => {
  let dataDir: string;
  const target = () => ({ kind: 'pglite' as const, dataDir });
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fraudline-schema-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('refuses an empty database and says to run the migrations, without creating any table', async () => {
    const error = await openCurrentDatabase(target()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as Error).message).toBe(
      `the database schema is empty and this release needs ${SCHEMA_VERSION}; run the migrations first: npm run migrate (in a container: batch-loader migrate)`,
    );
    const oltp = await openDatabase(target());
    expect(await schemaStatus(oltp.db)).toEqual({ version: undefined, pending: [...SCHEMA_MIGRATIONS], unknown: [] });
    await oltp.close();
  });

  it('refuses a schema one migration behind, naming both versions', async () => {
    const oltp = await openDatabase(target());
    const previous = SCHEMA_MIGRATIONS.at(-2)!;
    const result = await new Migrator({ db: oltp.db, provider: migrationProvider }).migrateTo(previous);
    expect(result.error).toBeUndefined();
    await oltp.close();
    await expect(openCurrentDatabase(target())).rejects.toThrow(`the database schema is at ${previous} and this release needs ${SCHEMA_VERSION}`);
  });

  it('opens a migrated database, and refuses one a newer release migrated', async () => {
    await (await openMigratedDatabase(target())).close();
    const current = await openCurrentDatabase(target());
    expect(await schemaStatus(current.db)).toEqual({ version: SCHEMA_VERSION, pending: [], unknown: [] });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', now()::text)`.execute(current.db);
    await current.close();
    await expect(openCurrentDatabase(target())).rejects.toThrow('newer than this release');
    const cleanup = await openDatabase(target());
    await sql`DELETE FROM kysely_migration WHERE name = '9999_from_the_future'`.execute(cleanup.db);
    await migrateToLatest(cleanup.db);
    await cleanup.close();
  });
});
