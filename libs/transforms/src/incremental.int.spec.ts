import { DAY_1, DAY_2, goldenFixture, splitFixture, TZ } from '../test/fixture.js';
import { createRawTables, insertRawRows } from '../test/raw-tables.js';
import { ENGINES, openTestWarehouse, tableRows, type Normal, type TestWarehouse } from '../test/warehouses.js';
import { allModels } from './models/index.js';
import { runModels, type RunOptions } from './runner.js';

/** Both incremental models (the event landing, merged by interval, and the transactions, merged by key) and the SCD2 on them. */
const SELECTED = ['raw_order_events_flat', 'stg_transactions', 'dim_customer'];
const DAY_3 = '2024-03-03';

describe.each(ENGINES)('incremental models on %s', (engine) => {
  let env: TestWarehouse;
  const run = (options: Partial<RunOptions>) => runModels({ warehouse: env.warehouse, tz: TZ, select: SELECTED, log: () => undefined, ...options });
  const selected = allModels.filter((model) => SELECTED.includes(model.name));
  const snapshot = async () => {
    const tables: Record<string, Normal[][]> = {};
    for (const model of selected) {
      const columns = Object.keys(model.columns);
      tables[model.name] = await tableRows(env.warehouse, model.layer, model.name, columns, columns.slice(0, 3).join(', '));
    }
    return tables;
  };

  beforeAll(async () => {
    env = await openTestWarehouse(engine);
    await createRawTables(env.warehouse);
  });
  afterAll(() => env.close());

  it('builds day 1 in full, then merges day 2 into the same tables a full refresh builds, and a rerun changes nothing', async () => {
    const { upTo, after } = splitFixture(goldenFixture(), DAY_1);
    await insertRawRows(env.warehouse, upTo);
    const first = await run({ start: DAY_1, end: DAY_2 });
    expect(first.status).toBe('success');
    expect(first.models.find((model) => model.name === 'raw_order_events_flat')).toMatchObject({ mode: 'full', rows: 20 });

    await insertRawRows(env.warehouse, after);
    const second = await run({ start: DAY_2, end: DAY_3 });
    expect(second.status).toBe('success');
    expect(second.models.filter((model) => model.mode === 'incremental').map((model) => [model.name, model.rows])).toEqual([
      ['raw_order_events_flat', 39],
      ['stg_transactions', 38],
    ]);
    const incremental = await snapshot();

    const rerun = await run({ start: DAY_2, end: DAY_3 });
    expect(rerun.models.filter((model) => model.mode === 'incremental')).toHaveLength(2);
    expect(await snapshot()).toEqual(incremental);

    const refreshed = await run({ start: DAY_2, end: DAY_3, fullRefresh: true });
    expect(refreshed.models.every((model) => model.mode === 'full')).toBe(true);
    expect(await snapshot()).toEqual(incremental);
    expect(incremental['stg_transactions']?.find(([id]) => id === 'o03')).toContain('2024-03-02T03:00:00.000Z');
  }, 600_000);
});
