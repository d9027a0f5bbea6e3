import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import pg from 'pg';
import { goldenFixture, TZ } from '../test/fixture.js';
import { createRawTables, insertRawRows } from '../test/raw-tables.js';
import { openTestWarehouse, type TestWarehouse } from '../test/warehouses.js';
import { defineModel } from './model.js';
import { pgRiskListWriter, publishRiskList, type RiskListRow } from './publish-risk-list.js';
import { runAndPublish, TransformRunFailedError } from './run-and-publish.js';
import { runModels } from './runner.js';

describe('publishRiskList', () => {
  let env: TestWarehouse;
  let oltp: OltpDatabase;
  let session: pg.Client;
  const riskList = async () =>
    (await session.query('SELECT user_id, risk_status, fraud_orders, total_orders, published_at FROM risk_list ORDER BY user_id')).rows as {
      user_id: string;
      risk_status: string;
      fraud_orders: number;
      total_orders: number;
      published_at: Date;
    }[];

  beforeAll(async () => {
    env = await openTestWarehouse('postgres');
    oltp = await openDatabase({ kind: 'postgres', url: env.databaseUrl as string });
    await migrateToLatest(oltp.db);
    session = new pg.Client({ connectionString: env.databaseUrl });
    await session.connect();
    await createRawTables(env.warehouse);
    await insertRawRows(env.warehouse, goldenFixture());
    const built = await runModels({ warehouse: env.warehouse, tz: TZ, select: '+mart_label_risk_list', log: () => undefined });
    expect(built.status).toBe('success');
  });

  afterAll(async () => {
    await session.end();
    await oltp.close();
    await env.close();
  });

  it('replaces the whole OLTP risk list with the label-based risk list mart', async () => {
    await session.query(`INSERT INTO risk_list (user_id, risk_status, fraud_orders, total_orders) VALUES ('u99', 'Blacklist', 9, 9)`);
    const publishedAt = new Date('2024-03-03T00:00:00Z');
    await expect(publishRiskList({ warehouse: env.warehouse, oltp: session, publishedAt })).resolves.toEqual({ published: 10, publishedAt });
    const list = await riskList();
    // Orders labelled fraud by outcomes, all of them known by now (a full build judges as of the current time): u01,
    // declined three times by the rules, has no fraud label; u05 has two; u08's chargeback of 2024-04-02 counts.
    expect(list.map(({ user_id, risk_status, fraud_orders, total_orders }) => [user_id, risk_status, fraud_orders, total_orders])).toEqual([
      ['u01', 'Good Standing', 0, 5],
      ['u02', 'Watchlist', 1, 4],
      ['u03', 'Good Standing', 0, 4],
      ['u04', 'Watchlist', 1, 2],
      ['u05', 'Blacklist', 2, 4],
      ['u06', 'Good Standing', 0, 0],
      ['u07', 'Good Standing', 0, 6],
      ['u08', 'Watchlist', 1, 4],
      ['u09', 'Watchlist', 1, 3],
      ['u10', 'Watchlist', 1, 6],
    ]);
    expect(list.every((row) => row.published_at.getTime() === publishedAt.getTime())).toBe(true);
  });

  it('keeps the previous list when writing the new one fails', async () => {
    const before = await riskList();
    const write = pgRiskListWriter(session);
    await expect(
      write(
        [
          { user_id: 'u01', risk_status: 'Blacklist', fraud_orders: 3, total_orders: 5 },
          { user_id: 'u02', risk_status: 'Unknown' as 'Blacklist', fraud_orders: 1, total_orders: 1 },
        ],
        new Date(),
      ),
    ).rejects.toThrow(/risk_list_risk_status_check/);
    expect(await riskList()).toEqual(before);
  });

  it('runs the models and publishes the list they built through the writer', async () => {
    const written: RiskListRow[][] = [];
    const result = await runAndPublish({
      warehouse: env.warehouse,
      tz: TZ,
      select: '+mart_label_risk_list',
      log: () => undefined,
      writeRiskList: async (rows) => {
        written.push([...rows]);
      },
    });
    expect([result.models, result.failedTests, result.riskListUsers]).toEqual([8, 0, 10]);
    expect(result.run.tests.filter((test) => test.status !== 'pass').map((test) => [test.name, test.status, test.error])).toEqual([
      ['relationships_fct_orders_product_id', 'skipped', 'reads dim_products, which is not built'],
    ]);
    expect(result.tests).toBe(result.run.tests.length - 1);
    expect(written[0]?.find((row) => row.user_id === 'u05')).toEqual({ user_id: 'u05', risk_status: 'Blacklist', fraud_orders: 2, total_orders: 4 });
    expect(written[0]?.find((row) => row.user_id === 'u01')).toEqual({ user_id: 'u01', risk_status: 'Good Standing', fraud_orders: 0, total_orders: 5 });
  });

  it('publishes nothing from a failed run', async () => {
    const broken = defineModel({
      name: 'broken',
      layer: 'marts',
      description: 'Reads a column that does not exist.',
      materialization: { kind: 'table' },
      columns: { nothing: 'Never built.' },
      sql: ({ source }) => `SELECT nothing FROM ${source('raw', 'users')}`,
    });
    const write = jest.fn(async () => undefined);
    const failure = await runAndPublish({ warehouse: env.warehouse, models: [broken], log: () => undefined, writeRiskList: write }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransformRunFailedError);
    expect((failure as Error).message).toMatch(/^transform run .* failed: models broken \(.*nothing.*\)$/);
    expect(write).not.toHaveBeenCalled();
  });
});
