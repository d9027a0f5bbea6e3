import { PGlite } from '@electric-sql/pglite';
import { LineDigest } from './digest.js';
import { encodeCopyLines, type RowValues } from './load-encoding.js';
import { DigestMismatchError, type Warehouse } from './partition-loader.js';
import { pgliteWarehouse } from './postgres-warehouse.js';
import { RAW_TABLES } from './raw-tables.js';

const D = '2026-03-10';
/** A users row in load order (users has no JSON column, so that is schema order). */
const user = (id: string, firstName: string, phone: string | null): RowValues => [
  id,
  firstName,
  'Ñuñez 李',
  `${id}@example.id`,
  'OVO',
  phone,
  'ID',
  '2026-03-09T17:00:00.000000Z',
  '2026-03-10T16:59:59.999999Z',
];
const TRICKY = [user('U1', 'tab\there', null), user('U2', 'line\nbreak\r\nand \\ backslash \b\f\v\u0001', '\\N'), user('U3', '"quoted" 😀 Dédé', '')];

async function* lines(rows: readonly RowValues[]): AsyncGenerator<Buffer> {
  yield Buffer.from(encodeCopyLines(rows.slice(0, 2)));
  if (rows.length > 2) yield Buffer.from(encodeCopyLines(rows.slice(2)));
}

function digestOf(rows: readonly RowValues[]) {
  const digest = new LineDigest(RAW_TABLES.users);
  digest.addLines(Buffer.from(encodeCopyLines(rows)));
  return digest.digest();
}

describe('partition load on embedded Postgres (PGlite)', () => {
  let lite: PGlite;
  let wh: Warehouse;
  beforeAll(async () => {
    lite = new PGlite();
    wh = pgliteWarehouse(lite);
  });
  afterAll(() => lite.close());

  const load = (rows: readonly RowValues[], expected = digestOf(rows), afterStage?: () => void) =>
    wh.loadPartition({ table: 'users', date: D, lines: lines(rows), expected: () => expected, hooks: { afterStage } });

  it('loads control characters, backslashes, quotes, emoji and a literal \\N exactly, and agrees with the extractor on the checksum', async () => {
    expect(await load(TRICKY)).toEqual(digestOf(TRICKY));
    expect(await wh.partitionDigest('users', D)).toEqual(digestOf(TRICKY));
    const stored = await wh.query<{ user_id: string; first_name: string; phone: string | null }>(
      `SELECT user_id, first_name, phone FROM ${wh.table('raw', 'users')} WHERE _logical_date = CAST(@d AS DATE) ORDER BY user_id`,
      { d: D },
    );
    expect(stored).toEqual(TRICKY.map((row) => ({ user_id: row[0], first_name: row[1], phone: row[5] })));
  });

  it('replaces the day on a rerun and leaves other days alone', async () => {
    await wh.loadPartition({
      table: 'users',
      date: '2026-03-11',
      lines: lines([user('U9', 'Next', null)]),
      expected: () => digestOf([user('U9', 'Next', null)]),
    });
    const rerun = [user('U4', 'Only', null)];
    await load(rerun);
    expect(await wh.partitionDigest('users', D)).toEqual(digestOf(rerun));
    expect((await wh.partitionDigest('users', '2026-03-11')).rows).toBe(1);
  });

  it('refuses to swap when the staged rows differ from the extract, and when the hook throws', async () => {
    const before = await wh.partitionDigest('users', D);
    await expect(load(TRICKY, { rows: 3, checksum: '0000000000000001' })).rejects.toThrow(DigestMismatchError);
    await expect(
      load(TRICKY, undefined, () => {
        throw new Error('crash before swap');
      }),
    ).rejects.toThrow('crash before swap');
    expect(await wh.partitionDigest('users', D)).toEqual(before);
  });

  it('reports an empty digest for a day never loaded', async () => {
    expect(await wh.partitionDigest('users', '2020-01-01')).toEqual({ rows: 0, checksum: '0000000000000000' });
    expect(await wh.partitionDigest('orders', D)).toEqual({ rows: 0, checksum: '0000000000000000' });
  });
});
