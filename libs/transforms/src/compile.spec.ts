import { createHash } from 'node:crypto';
import type { Layer } from '@fraudline/warehouse';
import { compileProject, type CompileOptions } from './compile.js';
import { acceptedRange, acceptedValues, customTest, notNull, relationships, unique } from './data-tests.js';
import { defineModel } from './model.js';

const postgres = { dialect: 'postgres' as const, table: (layer: Layer, name: string) => `"wh_${layer}"."${name}"` };
const bigquery = { dialect: 'bigquery' as const, table: (layer: Layer, name: string) => `\`p.${layer}.${name}\`` };
const compile = (options: Partial<CompileOptions> = {}) => compileProject({ warehouse: postgres, tz: 'Asia/Jakarta', bigQueryEmulator: false, ...options });

describe('compileProject', () => {
  it('resolves ref() and source() to the warehouse relations of each dialect', () => {
    const onPostgres = compile().byName.get('fct_orders');
    expect(onPostgres?.relation).toBe('"wh_core"."fct_orders"');
    expect(onPostgres?.full.sql).toContain('FROM "wh_staging"."stg_orders" AS o');
    expect(onPostgres?.full.sql).toContain(`CAST(EXTRACT(HOUR FROM (o.ordered_at AT TIME ZONE 'Asia/Jakarta')) AS integer) AS order_hour_local`);
    const onBigQuery = compile({ warehouse: bigquery }).byName.get('stg_orders');
    expect(onBigQuery?.full.sql).toContain('FROM `p.raw.orders` AS versions');
    expect(onBigQuery?.full.steps).toEqual([{ statement: `CREATE OR REPLACE TABLE \`p.staging.stg_orders\` AS\n${onBigQuery?.full.sql}` }]);
  });

  it('hashes the compiled SQL', () => {
    const model = compile().byName.get('dim_users');
    expect(model?.full.sqlHash).toBe(createHash('sha256').update(model?.full.sql ?? '').digest('hex'));
  });

  it('selects everything for a full build and only the interval for an interval update', () => {
    const flat = compile({ start: '2024-03-02', end: '2024-03-03' }).byName.get('raw_order_events_flat');
    expect(flat?.full.sql).toMatch(/WHERE TRUE$/);
    expect(flat?.incremental?.sql).toMatch(/WHERE \(e\._logical_date >= CAST\('2024-03-02' AS date\) AND e\._logical_date < CAST\('2024-03-03' AS date\)\)$/);
    expect(flat?.incremental?.steps).toEqual([
      {
        transaction: [
          `DELETE FROM "wh_staging"."raw_order_events_flat" WHERE (received_date >= CAST('2024-03-02' AS date) AND received_date < CAST('2024-03-03' AS date))`,
          expect.stringMatching(/^INSERT INTO "wh_staging"\."raw_order_events_flat" \(topic, kafka_partition, .*, received_date\)\nSELECT topic, .* FROM \(\n/s),
        ],
      },
    ]);
  });

  it('merges a unique-key model through a scratch table', () => {
    const transactions = compile({ warehouse: bigquery, start: '2024-03-02', end: '2024-03-03' }).byName.get('stg_transactions');
    const incoming = '`p.staging.stg_transactions__incoming`';
    expect(transactions?.incremental?.steps).toEqual([
      { statement: `CREATE OR REPLACE TABLE ${incoming} AS\n${transactions?.incremental?.sql}` },
      {
        transaction: [
          `DELETE FROM \`p.staging.stg_transactions\` WHERE transaction_id IN (SELECT transaction_id FROM ${incoming})`,
          expect.stringMatching(new RegExp(`^INSERT INTO \`p\\.staging\\.stg_transactions\` \\(transaction_id, .*\\)\\nSELECT transaction_id, .* FROM ${incoming.replace(/[.`]/g, '\\$&')}$`)),
        ],
      },
      { statement: `DROP TABLE IF EXISTS ${incoming}` },
    ]);
  });

  it('has no incremental plan without an interval, and refuses half or invalid intervals', () => {
    expect(compile().byName.get('stg_transactions')?.incremental).toBeUndefined();
    expect(() => compile({ start: '2024-03-02' })).toThrow('an interval needs both start and end');
    expect(() => compile({ start: '2024-03-02', end: '2024-03-02' })).toThrow(/empty interval/);
    expect(() => compile({ start: '2024-3-2', end: '2024-03-03' })).toThrow(/invalid interval date '2024-3-2'/);
    expect(() => compile({ tz: 'Asia/Jakarta; --' })).toThrow(/invalid time zone/);
  });

  it('gives every model of a run the same as-of: the given instant, else the end of the interval, else now', () => {
    const asOfModel = defineModel({
      name: 'as_of',
      layer: 'core',
      description: 'Reads the as-of time.',
      materialization: { kind: 'incremental', intervalColumn: 'day' },
      columns: { day: 'Day.', known: 'Known by then.' },
      sql: ({ asOf, inInterval }) => `SELECT day, known_at < ${asOf} AS known FROM t WHERE ${inInterval('day')}`,
    });
    const sqlOf = (options: Partial<CompileOptions>) => {
      const model = compile({ models: [asOfModel], ...options }).byName.get('as_of');
      return [model?.full.sql, model?.incremental?.sql];
    };
    const runEnd = "(CAST(CAST('2024-04-01' AS date) AS timestamp) AT TIME ZONE 'Asia/Jakarta')";
    expect(sqlOf({ start: '2024-03-31', end: '2024-04-01' })).toEqual([
      `SELECT day, known_at < ${runEnd} AS known FROM t WHERE TRUE`,
      `SELECT day, known_at < ${runEnd} AS known FROM t WHERE (day >= CAST('2024-03-31' AS date) AND day < CAST('2024-04-01' AS date))`,
    ]);
    expect(sqlOf({ start: '2024-03-31', end: '2024-04-01', asOf: '2024-03-31T12:00:00+07:00' })[0]).toContain("known_at < CAST('2024-03-31 05:00:00.000+00' AS timestamptz)");
    expect(sqlOf({ warehouse: bigquery, asOf: new Date('2024-03-31T05:00:00Z') })[0]).toContain("known_at < CAST('2024-03-31 05:00:00.000+00' AS TIMESTAMP)");
    expect(sqlOf({ warehouse: bigquery, start: '2024-03-31', end: '2024-04-01' })[0]).toContain("known_at < TIMESTAMP(CAST('2024-04-01' AS DATE), 'Asia/Jakarta')");
    expect(sqlOf({})).toEqual(['SELECT day, known_at < CURRENT_TIMESTAMP AS known FROM t WHERE TRUE', undefined]);
    expect(() => sqlOf({ asOf: '2024-03-31 12:00' })).toThrow(/invalid as-of instant '2024-03-31 12:00'/);
  });

  it('labels live and shadow decisions in one fact, and pairs them per order in the shadow comparison, in each dialect', () => {
    const labels = compile().byName.get('fct_decision_labels')?.full.sql;
    expect(labels).toContain(`SELECT CAST('live' AS text) AS decision_source, order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at
  FROM (SELECT order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at FROM "wh_staging"."stg_decisions") AS live_decisions
  UNION ALL
  SELECT CAST('shadow' AS text) AS decision_source, order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at
  FROM (SELECT order_id, ruleset_id, ruleset_version, decision, reasons, order_created_at FROM "wh_staging"."stg_shadow_decisions") AS shadow_decisions`);
    expect(compile({ warehouse: bigquery }).byName.get('stg_shadow_decisions')?.full.sql).toContain('FROM `p.raw.shadow_decisions` AS versions');
    const onPostgres = compile().byName.get('mart_shadow_comparison_daily')?.full.sql;
    expect(onPostgres).toContain(`FROM "wh_core"."fct_decision_labels" AS l
  JOIN "wh_core"."fct_decision_labels" AS s ON s.order_id = l.order_id
  WHERE l.decision_source = 'live' AND s.decision_source = 'shadow'`);
    expect(onPostgres).toContain('COUNT(*) FILTER (WHERE l.is_alert AND NOT s.is_alert) AS only_live');
    expect(onPostgres).toContain('ROUND((CAST(live_true_positives AS numeric) / NULLIF(live_true_positives + live_false_positives, 0)), 4) AS live_precision');
    const onBigQuery = compile({ warehouse: bigquery }).byName.get('mart_shadow_comparison_daily')?.full.sql;
    expect(onBigQuery).toContain('COUNTIF(s.is_alert AND NOT l.is_alert) AS only_shadow');
    expect(onBigQuery).toContain('ROUND(SAFE_DIVIDE(CAST(shadow_true_positives AS NUMERIC), shadow_true_positives + shadow_false_positives), 4) AS shadow_precision');
  });

  it('compiles each kind of data test to a query for its failing rows', () => {
    const tested = defineModel({
      name: 'tested',
      layer: 'marts',
      description: 'Every kind of test.',
      materialization: { kind: 'table' },
      columns: { id: 'Key.', day: 'Day.', kind: 'Kind.', amount: 'Amount.' },
      tests: [
        notNull('id'),
        unique(['id', 'day']),
        acceptedValues('kind', ["o'brien", 'b']),
        relationships('id', { model: 'parent', field: 'id' }),
        acceptedRange('amount', { min: 0, max: 100 }),
        customTest('positive', 'amounts are positive', ({ self }) => `SELECT * FROM ${self} WHERE amount <= 0`, { severity: 'warn' }),
      ],
      sql: () => 'SELECT 1 AS id',
    });
    const parent = defineModel({ name: 'parent', layer: 'core', description: 'Parent.', materialization: { kind: 'view' }, columns: { id: 'Key.' }, sql: () => 'SELECT 1 AS id' });
    const tests = compile({ warehouse: bigquery, models: [tested, parent] }).byName.get('tested')?.tests;
    expect(tests?.map((test) => [test.name, test.severity, test.sql, test.refs])).toEqual([
      ['not_null_tested_id', 'error', 'SELECT * FROM `p.marts.tested` WHERE id IS NULL', []],
      ['unique_tested_id_day', 'error', 'SELECT id, day, COUNT(*) AS occurrences FROM `p.marts.tested`\nWHERE id IS NOT NULL AND day IS NOT NULL\nGROUP BY id, day HAVING COUNT(*) > 1', []],
      ['accepted_values_tested_kind', 'error', "SELECT * FROM `p.marts.tested` WHERE kind NOT IN ('o\\'brien', 'b')", []],
      [
        'relationships_tested_id',
        'error',
        'SELECT child.* FROM `p.marts.tested` AS child\nLEFT JOIN `p.core.parent` AS parent ON child.id = parent.id\nWHERE child.id IS NOT NULL AND parent.id IS NULL',
        ['parent'],
      ],
      ['accepted_range_tested_amount', 'error', 'SELECT * FROM `p.marts.tested` WHERE amount < 0 OR amount > 100', []],
      ['tested_positive', 'warn', 'SELECT * FROM `p.marts.tested` WHERE amount <= 0', []],
    ]);
  });

  it('refuses a relationships test to a column the parent does not declare, and repeated test names', () => {
    const parent = defineModel({ name: 'parent', layer: 'core', description: 'Parent.', materialization: { kind: 'view' }, columns: { id: 'Key.' }, sql: () => 'SELECT 1 AS id' });
    const child = (tests: Parameters<typeof defineModel>[0]['tests']) =>
      defineModel({ name: 'child', layer: 'marts', description: 'Child.', materialization: { kind: 'view' }, columns: { id: 'Key.' }, tests, sql: () => 'SELECT 1 AS id' });
    expect(() => compile({ models: [parent, child([relationships('id', { model: 'parent', field: 'key' })])] })).toThrow(/unknown column 'parent.key'/);
    expect(() => compile({ models: [parent, child([notNull('id'), notNull('id', { severity: 'warn' })])] })).toThrow(/unique: not_null_child_id/);
  });
});
