import { createRawTables, insertRawRows, type RawRow } from '../test/raw-tables.js';
import { ENGINES, openTestWarehouse, tableRows, type TestWarehouse } from '../test/warehouses.js';
import { acceptedValues, customTest, notNull } from './data-tests.js';
import { defineModel, type Model } from './model.js';
import { RUN_LOG_TABLE } from './run-log.js';
import { runModels, type RunOptions } from './runner.js';

const merchant = (id: string, category: string): RawRow => ({
  merchant_id: id, merchant_name: `Merchant ${id}`, category, country: 'ID', created_at: '2024-03-01 00:00:00+00', updated_at: '2024-03-01 00:00:00+00',
  _logical_date: '2024-03-01', _loaded_at: '2024-03-02 01:00:00+00',
});

const base = defineModel({
  name: 'toy_base',
  layer: 'staging',
  description: 'Merchants as loaded.',
  materialization: { kind: 'table' },
  columns: { merchant_id: 'Key.', category: 'Category.' },
  tests: [notNull('merchant_id'), acceptedValues('category', ['fashion', 'grocery'], { severity: 'warn' })],
  sql: ({ source }) => `SELECT merchant_id, category FROM ${source('raw', 'merchants')}`,
});

const onBase = defineModel({
  name: 'toy_on_base',
  layer: 'core',
  description: 'A view on the table.',
  materialization: { kind: 'view' },
  columns: { merchant_id: 'Key.', category: 'Category.' },
  sql: ({ ref }) => `SELECT merchant_id, category FROM ${ref('toy_base')}`,
});

const onView = defineModel({
  name: 'toy_on_view',
  layer: 'marts',
  description: 'A view on the view.',
  materialization: { kind: 'view' },
  columns: { merchants: 'Count.' },
  tests: [customTest('at_most_two', 'no more than two merchants', ({ self }) => `SELECT * FROM ${self} WHERE merchants > 2`)],
  sql: ({ ref }) => `SELECT COUNT(*) AS merchants FROM ${ref('toy_on_base')}`,
});

const TOYS: Model[] = [base, onBase, onView];

describe.each(ENGINES)('runModels on %s', (engine) => {
  let env: TestWarehouse;
  const run = (options: Partial<RunOptions> & { models?: readonly Model[] }) =>
    runModels({ warehouse: env.warehouse, models: TOYS, log: () => undefined, ...options });

  beforeAll(async () => {
    env = await openTestWarehouse(engine);
    await createRawTables(env.warehouse);
    await insertRawRows(env.warehouse, { merchants: [merchant('m1', 'fashion')] });
  });
  afterAll(() => env.close());

  it('compiles a dry run in dependency order and executes nothing', async () => {
    const printed: string[] = [];
    const result = await run({ dryRun: true, select: 'toy_on_view+ +toy_on_view', log: (line) => printed.push(line) });
    expect(result.compiled.map((model) => model.name)).toEqual(['toy_base', 'toy_on_base', 'toy_on_view']);
    expect(result.compiled[0]?.sql).toContain(env.warehouse.table('raw', 'merchants'));
    expect(printed[0]).toMatch(/^-- toy_base\n/);
    expect(result.models).toEqual([]);
    await expect(env.warehouse.query(`SELECT * FROM ${env.warehouse.table('staging', 'toy_base')}`)).rejects.toThrow();
  });

  it('keeps views on a replaced table working, and reruns to the same result', async () => {
    const first = await run({ runId: 'first' });
    expect(first.models.map((model) => [model.name, model.status, model.rows])).toEqual([
      ['toy_base', 'success', 1],
      ['toy_on_base', 'success', null],
      ['toy_on_view', 'success', null],
    ]);
    await insertRawRows(env.warehouse, { merchants: [merchant('m2', 'grocery')] });
    const onlyBase = await run({ select: 'toy_base' });
    expect(onlyBase.models.map((model) => model.name)).toEqual(['toy_base']);
    expect(await tableRows(env.warehouse, 'marts', 'toy_on_view', ['merchants'], 'merchants')).toEqual([['2']]);
    expect(await tableRows(env.warehouse, 'core', 'toy_on_base', ['merchant_id', 'category'], 'merchant_id')).toEqual([
      ['m1', 'fashion'],
      ['m2', 'grocery'],
    ]);
    const runs = await env.warehouse.query(`SELECT model, status FROM ${env.warehouse.table('meta', RUN_LOG_TABLE)} WHERE run_id = 'first' ORDER BY model`);
    expect(runs).toEqual([
      { model: 'toy_base', status: 'success' },
      { model: 'toy_on_base', status: 'success' },
      { model: 'toy_on_view', status: 'success' },
    ]);
  });

  it('warns on a non-blocking test and fails the run on a blocking one', async () => {
    await insertRawRows(env.warehouse, { merchants: [merchant('m3', 'toys')] });
    const result = await run({});
    expect(result.tests.filter((test) => test.status !== 'pass').map((test) => [test.name, test.status, test.failingRows])).toEqual([
      ['accepted_values_toy_base_category', 'warn', 1],
      ['toy_on_view_at_most_two', 'fail', 1],
    ]);
    expect(result.status).toBe('failed');
  });

  it('replaces a view with a table when a model changes materialization', async () => {
    const asTable = defineModel({ ...onBase, materialization: { kind: 'table' } });
    const result = await run({ models: [base, asTable, onView] });
    expect(result.models.map((model) => [model.name, model.status, model.rows])).toEqual([
      ['toy_base', 'success', 3],
      ['toy_on_base', 'success', 3],
      ['toy_on_view', 'success', null],
    ]);
  });

  it('fails a model whose built columns differ from its declaration and skips its descendants', async () => {
    const misdeclared = defineModel({ ...onBase, columns: { merchant_id: 'Key.', kind: 'Not what the SQL selects.' } });
    const result = await run({ models: [base, misdeclared, onView] });
    expect(result.models.map((model) => [model.name, model.status])).toEqual([
      ['toy_base', 'success'],
      ['toy_on_base', 'error'],
      ['toy_on_view', 'skipped'],
    ]);
    expect(result.models[1]?.error).toMatch(/built columns \(merchant_id, category\) differ from the declared columns \(merchant_id, kind\)/);
    expect(result.status).toBe('failed');
  });
});
