import { assertTimeZone, renderSteps, sqlDialect, type SqlDialect } from './dialect.js';

const postgres = sqlDialect({ name: 'postgres' });
const bigquery = sqlDialect({ name: 'bigquery' });
const emulator = sqlDialect({ name: 'bigquery', emulator: true });
const TZ = 'Asia/Jakarta';

describe('SQL helpers per dialect', () => {
  it.each<[string, (dialect: SqlDialect) => string, string, string]>([
    ['ident', (d) => d.ident('offset'), '"offset"', '`offset`'],
    ['literal string', (d) => d.literal("it's"), "'it''s'", "'it\\'s'"],
    ['literal number, boolean, null', (d) => [d.literal(1.5), d.literal(true), d.literal(null)].join(' '), '1.5 TRUE NULL', '1.5 TRUE NULL'],
    ['typedLiteral numeric', (d) => d.typedLiteral('12.50', 'numeric'), "CAST('12.50' AS numeric)", "CAST('12.50' AS NUMERIC)"],
    ['typedLiteral json', (d) => d.typedLiteral('{"a":1}', 'json'), `CAST('{"a":1}' AS jsonb)`, `JSON '{"a":1}'`],
    ['typedLiteral date', (d) => d.typedLiteral('2024-03-01', 'date'), "CAST('2024-03-01' AS date)", "CAST('2024-03-01' AS DATE)"],
    ['cast datetime', (d) => d.cast('x', 'datetime'), 'CAST(x AS timestamp)', 'CAST(x AS DATETIME)'],
    ['cast timestamp', (d) => d.cast('x', 'timestamp'), 'CAST(x AS timestamptz)', 'CAST(x AS TIMESTAMP)'],
    ['countIf', (d) => d.countIf('is_fraud'), 'COUNT(*) FILTER (WHERE is_fraud)', 'COUNTIF(is_fraud)'],
    ['sumIf', (d) => d.sumIf('amount', 'is_fraud'), 'COALESCE(SUM(amount) FILTER (WHERE is_fraud), 0)', 'COALESCE(SUM(IF(is_fraud, amount, NULL)), 0)'],
    ['safeDivide', (d) => d.safeDivide('a', 'b'), '(CAST(a AS numeric) / NULLIF(b, 0))', 'SAFE_DIVIDE(CAST(a AS NUMERIC), b)'],
    ['percent', (d) => d.percent('f', 'n'), 'ROUND((CAST(f * 100 AS numeric) / NULLIF(n, 0)), 2)', 'ROUND(SAFE_DIVIDE(CAST(f * 100 AS NUMERIC), n), 2)'],
    ['hourIn', (d) => d.hourIn('ts', TZ), "CAST(EXTRACT(HOUR FROM (ts AT TIME ZONE 'Asia/Jakarta')) AS integer)", "EXTRACT(HOUR FROM ts AT TIME ZONE 'Asia/Jakarta')"],
    ['dateIn', (d) => d.dateIn('ts', TZ), "CAST((ts AT TIME ZONE 'Asia/Jakarta') AS date)", "DATE(ts, 'Asia/Jakarta')"],
    ['datetimeIn', (d) => d.datetimeIn('ts', TZ), "(ts AT TIME ZONE 'Asia/Jakarta')", "DATETIME(ts, 'Asia/Jakarta')"],
    ['startOfDayIn', (d) => d.startOfDayIn('day', TZ), "(CAST(day AS timestamp) AT TIME ZONE 'Asia/Jakarta')", "TIMESTAMP(day, 'Asia/Jakarta')"],
    ['addDays', (d) => d.addDays('ts', -30), "(ts + INTERVAL '-720 hours')", 'TIMESTAMP_ADD(ts, INTERVAL -30 DAY)'],
    ['currentTimestamp', (d) => d.currentTimestamp(), 'CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP()'],
    ['dateTrunc week', (d) => d.dateTrunc('day', 'week'), "CAST(date_trunc('week', day) AS date)", 'DATE_TRUNC(day, ISOWEEK)'],
    ['dateTrunc month', (d) => d.dateTrunc('day', 'month'), "CAST(date_trunc('month', day) AS date)", 'DATE_TRUNC(day, MONTH)'],
    [
      'rupiah',
      (d) => d.rupiah('amount'),
      "('Rp ' || regexp_replace(CAST(CAST(trunc(amount) AS bigint) AS text), '(\\d)(?=(\\d{3})+$)', '\\1.', 'g'))",
      `CONCAT('Rp ', REPLACE(FORMAT("%'d", CAST(TRUNC(amount) AS INT64)), ',', '.'))`,
    ],
    ['jsonValue', (d) => d.jsonValue('m', 'device.deviceId'), "(m #>> '{device,deviceId}')", "JSON_VALUE(m, '$.device.deviceId')"],
    [
      'crossJoinJsonArray',
      (d) => d.crossJoinJsonArray('d.reasons', 'reason'),
      'CROSS JOIN LATERAL jsonb_array_elements(d.reasons) AS reason_elements(reason)',
      'CROSS JOIN UNNEST(JSON_QUERY_ARRAY(d.reasons)) AS reason',
    ],
    ['typeName', (d) => d.typeName('int64'), 'bigint', 'INT64'],
  ])('%s', (_name, build, onPostgres, onBigQuery) => {
    expect(build(postgres)).toBe(onPostgres);
    expect(build(bigquery)).toBe(onBigQuery);
  });

  it('refuses time zones and JSON paths that are not plain names', () => {
    expect(assertTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(() => postgres.hourIn('ts', "UTC'); DROP TABLE x; --")).toThrow(/invalid time zone/);
    expect(() => bigquery.jsonValue('m', "a'b")).toThrow(/invalid JSON path/);
    expect(() => postgres.startOfDayIn('day', 'Asia/Jakarta; --')).toThrow(/invalid time zone/);
    expect(() => postgres.addDays('ts', 1.5)).toThrow('addDays takes whole days, got 1.5');
  });
});

describe('materialization SQL per dialect', () => {
  const names = { relation: '"wh_core"."t"', name: 't', building: '"wh_core"."t__building"' };

  it('builds a Postgres table beside the old one and swaps it in one transaction', () => {
    expect(postgres.replace(names, 'table', 'SELECT 1 AS x')).toEqual([
      { statement: 'DROP TABLE IF EXISTS "wh_core"."t__building"' },
      { statement: 'CREATE TABLE "wh_core"."t__building" AS\nSELECT 1 AS x' },
      { transaction: ['DROP TABLE IF EXISTS "wh_core"."t" CASCADE', 'ALTER TABLE "wh_core"."t__building" RENAME TO "t"'], replacesRelation: '"wh_core"."t"' },
    ]);
    expect(postgres.replace(names, 'view', 'SELECT 1 AS x')).toEqual([
      { transaction: ['DROP VIEW IF EXISTS "wh_core"."t" CASCADE', 'CREATE VIEW "wh_core"."t" AS\nSELECT 1 AS x'], replacesRelation: '"wh_core"."t"' },
    ]);
  });

  it('replaces a BigQuery relation atomically with CREATE OR REPLACE, and by drop and create on the emulator', () => {
    const bq = { relation: '`p.core.t`', name: 't', building: '`p.core.t__building`' };
    expect(bigquery.replace(bq, 'table', 'SELECT 1 AS x')).toEqual([{ statement: 'CREATE OR REPLACE TABLE `p.core.t` AS\nSELECT 1 AS x' }]);
    expect(bigquery.replace(bq, 'view', 'SELECT 1 AS x')).toEqual([{ statement: 'CREATE OR REPLACE VIEW `p.core.t` AS\nSELECT 1 AS x' }]);
    expect(emulator.replace(bq, 'table', 'SELECT 1 AS x')).toEqual([
      { statement: 'DROP TABLE IF EXISTS `p.core.t`' },
      { statement: 'CREATE TABLE `p.core.t` AS\nSELECT 1 AS x' },
    ]);
  });

  it('matches composite keys with a row constructor on Postgres and a STRUCT on BigQuery', () => {
    expect(postgres.keyIn(['a', 'b'], 'inc')).toBe('(a, b) IN (SELECT a, b FROM inc)');
    expect(bigquery.keyIn(['a'], 'inc')).toBe('a IN (SELECT a FROM inc)');
    expect(bigquery.keyIn(['a', 'b'], 'inc')).toBe('STRUCT(a, b) IN (SELECT AS STRUCT a, b FROM inc)');
  });

  it('renders steps as a script with each engine’s transaction statements', () => {
    const steps = [{ statement: 'SELECT 1' }, { transaction: ['DELETE FROM t WHERE TRUE', 'INSERT INTO t SELECT 1'] }];
    expect(renderSteps(postgres, steps)).toBe('SELECT 1;\nBEGIN;\nDELETE FROM t WHERE TRUE;\nINSERT INTO t SELECT 1;\nCOMMIT;');
    expect(renderSteps(bigquery, steps)).toBe('SELECT 1;\nBEGIN TRANSACTION;\nDELETE FROM t WHERE TRUE;\nINSERT INTO t SELECT 1;\nCOMMIT TRANSACTION;');
  });
});
