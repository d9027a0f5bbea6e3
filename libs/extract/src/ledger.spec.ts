import { PGlite } from '@electric-sql/pglite';
import { migrateToLatest, type Database } from '@fraudline/db';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { ledgerStatus, markFailed, markRunning, markSucceeded } from './ledger.js';

describe('load ledger', () => {
  let db: Kysely<Database>;
  beforeAll(async () => {
    db = new Kysely<Database>({ dialect: new PGliteDialect(new PGlite()) });
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  it('records running, failed with the error, and a retry that succeeds as a second attempt', async () => {
    await markRunning(db, 'orders', '2026-03-10');
    expect(await ledgerStatus(db)).toEqual([
      expect.objectContaining({ table: 'orders', date: '2026-03-10', status: 'running', attempts: 1, rows: null, finishedAt: null, error: null }),
    ]);
    await markFailed(db, 'orders', '2026-03-10', new TypeError('warehouse unreachable'));
    expect(await ledgerStatus(db)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'TypeError: warehouse unreachable', finishedAt: expect.any(Date) }),
    ]);

    await markRunning(db, 'orders', '2026-03-10');
    expect(await ledgerStatus(db)).toEqual([expect.objectContaining({ status: 'running', attempts: 2, error: null, finishedAt: null })]);
    await markSucceeded(db, 'orders', '2026-03-10', { rows: 1_000_000, checksum: '00ff00ff00ff00ff' });
    expect(await ledgerStatus(db)).toEqual([
      expect.objectContaining({ status: 'succeeded', attempts: 2, rows: 1_000_000, checksum: '00ff00ff00ff00ff', error: null, startedAt: expect.any(Date) }),
    ]);
  });

  it('filters by date range, tables and status, newest day first', async () => {
    for (const [table, date] of [
      ['users', '2026-03-09'],
      ['users', '2026-03-10'],
      ['users', '2026-03-11'],
    ] as const) {
      await markRunning(db, table, date);
      await markSucceeded(db, table, date, { rows: 1, checksum: '0000000000000001' });
    }
    await markRunning(db, 'decisions', '2026-03-10');
    const keys = (rows: { table: string; date: string }[]) => rows.map((row) => `${row.date} ${row.table}`);
    expect(keys(await ledgerStatus(db, { from: '2026-03-10', to: '2026-03-10' }))).toEqual(['2026-03-10 decisions', '2026-03-10 orders', '2026-03-10 users']);
    expect(keys(await ledgerStatus(db, { tables: ['users'] }))).toEqual(['2026-03-11 users', '2026-03-10 users', '2026-03-09 users']);
    expect(keys(await ledgerStatus(db, { status: 'running' }))).toEqual(['2026-03-10 decisions']);
    expect(await ledgerStatus(db, { tables: [] })).toEqual([]);
  });
});
