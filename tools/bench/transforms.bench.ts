// Measures a full build of every transform model over 1,000,000 orders on Postgres, against the same compiled SQL run by psql.
//
// Run: DATABASE_URL=... node --conditions=@fraudline/source --import tsx tools/bench/transforms.bench.ts
// Env: BENCH_ORDERS (default 1,000,000). Users, products, merchants, decisions and the OrderPlaced landing are made to match.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@fraudline/testing';
import { compileProject, renderSteps, runModels } from '@fraudline/transforms';
import { postgresWarehouse } from '@fraudline/warehouse';
import pg from 'pg';

const TZ = 'Asia/Jakarta';
const DAYS = 30;
const env = (name: string) => process.env[name];

/** Raw tables with the warehouse contract's columns, filled by Postgres itself with generate_series. */
function generateRawSql(orders: number): string[] {
  const users = Math.max(1000, Math.round(orders / 10));
  const day = (expression: string) => `CAST((${expression}) AT TIME ZONE '${TZ}' AS date)`;
  const placed = `TIMESTAMPTZ '2024-03-01 00:00:00+07' + (i - 1) * INTERVAL '${DAYS} days' / ${orders}`;
  const payment = `(ARRAY['Bank Transfer', 'Paylater', 'Credit Card', 'Gopay', 'OVO', 'DANA'])[1 + i % 6]`;
  const rule = `(ARRAY['night_high_value', 'velocity_burst', 'geo_mismatch', 'new_device', 'card_testing'])`;
  const score = '((i * 37) % 101)';
  return [
    'CREATE SCHEMA IF NOT EXISTS wh_raw',
    `CREATE TABLE wh_raw.users AS SELECT 'u' || i AS user_id, 'First' || i AS first_name, 'Last' || (i % 997) AS last_name,
       'user' || i || '@mail.id' AS email, ${payment} AS default_payment, '+62811' || i AS phone, 'ID' AS country,
       TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '30 seconds' AS created_at, TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '30 seconds' AS updated_at,
       ${day("TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '30 seconds'")} AS _logical_date, now() AS _loaded_at
     FROM generate_series(1, ${users}) AS i`,
    // Every tenth product and merchant was updated once more, so staging must keep only its latest version.
    `CREATE TABLE wh_raw.products AS SELECT 'p' || (1 + i % 1000) AS product_id, 'Product ' || (1 + i % 1000) AS product_name, 'category' || (i % 20) AS category,
       CAST(1000 + (i % 500) * 1000 + CASE WHEN i > 1000 THEN 500 ELSE 0 END AS numeric(18,2)) AS price,
       TIMESTAMPTZ '2024-01-01 00:00:00+07' AS created_at, TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '1 hour' AS updated_at,
       ${day("TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '1 hour'")} AS _logical_date, now() AS _loaded_at
     FROM generate_series(0, 1099) AS i WHERE i < 1000 OR i % 10 = 0`,
    `CREATE TABLE wh_raw.merchants AS SELECT 'm' || (1 + i % 500) AS merchant_id, 'Merchant ' || (1 + i % 500) AS merchant_name, 'category' || (i % 7) AS category,
       'ID' AS country, TIMESTAMPTZ '2024-01-01 00:00:00+07' AS created_at, TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '1 hour' AS updated_at,
       ${day("TIMESTAMPTZ '2024-01-01 00:00:00+07' + i * INTERVAL '1 hour'")} AS _logical_date, now() AS _loaded_at
     FROM generate_series(0, 549) AS i WHERE i < 500 OR i % 10 = 0`,
    `CREATE TABLE wh_raw.orders AS SELECT 'o' || i AS order_id, 'u' || (1 + (i * 7919) % ${users}) AS user_id, 'p' || (1 + i % 1000) AS product_id,
       'm' || (1 + i % 500) AS merchant_id, CAST(1 + i % 3 AS bigint) AS quantity, CAST(1000 + (i % 500) * 1000 AS numeric(18,2)) AS unit_price,
       CAST((1 + i % 3) * (1000 + (i % 500) * 1000) AS numeric(18,2)) AS amount, 'IDR' AS currency, ${payment} AS payment_method, 'ID' AS country,
       'd' || (i % 200000) AS device_id, '10.' || (i / 65536) % 256 || '.' || (i / 256) % 256 || '.' || i % 256 AS ip, 'ID' AS ip_country,
       i % 17 = 0 AS is_vpn, 'user' || (1 + (i * 7919) % ${users}) || '@mail.id' AS email, ${placed} AS created_at, ${placed} + INTERVAL '1 second' AS ingested_at,
       ${day(placed)} AS _logical_date, now() AS _loaded_at
     FROM generate_series(CAST(1 AS bigint), ${orders}) AS i`,
    `CREATE TABLE wh_raw.decisions AS SELECT 'o' || i AS order_id,
       CASE WHEN ${score} >= 80 THEN 'decline' WHEN ${score} >= 50 THEN 'review' ELSE 'approve' END AS decision, CAST(${score} AS bigint) AS score,
       CASE WHEN ${score} >= 80 THEN 'fraud' ELSE 'genuine' END AS status, ${score} >= 80 AS is_fraud,
       CASE WHEN ${score} >= 50 THEN jsonb_build_array(
              jsonb_build_object('ruleId', ${rule}[1 + i % 5], 'reason', 'fired', 'score', 40, 'action', 'review'),
              jsonb_build_object('ruleId', ${rule}[1 + (i / 5) % 5], 'reason', 'fired', 'score', 40, 'action', 'decline'))
            ELSE '[]'::jsonb END AS reasons,
       'default' AS ruleset_id, CAST(1 AS bigint) AS ruleset_version, CAST(12.5 AS numeric(12,3)) AS latency_ms,
       ${placed} AS order_created_at, ${placed} + INTERVAL '1 second' AS decided_at, ${day(placed)} AS _logical_date, now() AS _loaded_at
     FROM generate_series(CAST(1 AS bigint), ${orders}) AS i`,
    `CREATE TABLE wh_raw.order_events AS SELECT 'orders.placed' AS topic, CAST(i % 12 AS bigint) AS partition, CAST(i / 12 AS bigint) AS "offset",
       'u' || (1 + (i * 7919) % ${users}) AS message_key, 'o' || i AS order_id,
       jsonb_build_object('type', 'OrderPlaced', 'version', 1, 'orderId', 'o' || i, 'userId', 'u' || (1 + (i * 7919) % ${users}),
         'productId', 'p' || (1 + i % 1000), 'merchantId', 'm' || (1 + i % 500), 'quantity', 1 + i % 3,
         'unitPrice', CAST(1000 + (i % 500) * 1000 AS text), 'amount', CAST((1 + i % 3) * (1000 + (i % 500) * 1000) AS text), 'currency', 'IDR',
         'paymentMethod', ${payment}, 'country', 'ID', 'placedAt', to_char(${placed}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
         'device', jsonb_build_object('deviceId', 'd' || (i % 200000), 'ip', '10.0.0.1', 'ipCountry', 'ID', 'deviceType', (ARRAY['mobile', 'desktop', 'tablet'])[1 + i % 3],
           'os', 'Android', 'browser', 'Chrome', 'isVpn', i % 17 = 0),
         'customer', jsonb_build_object('email', 'user' || (1 + (i * 7919) % ${users}) || CASE WHEN i > ${orders / 2} AND i % 50 = 0 THEN '@new.id' ELSE '@mail.id' END,
           'loginAttempts24h', i % 4, 'failedLogins24h', i % 2),
         'commerce', jsonb_build_object('merchantCategory', 'category' || (i % 7), 'sessionId', 's' || i)) AS message,
       ${placed} + INTERVAL '2 seconds' AS received_at, ${day(`${placed} + INTERVAL '2 seconds'`)} AS _logical_date, now() AS _loaded_at
     FROM generate_series(CAST(1 AS bigint), ${orders}) AS i`,
    // A chargeback for one order in 100, known 20 days after it; a candidate ruleset decided every order in shadow.
    `CREATE TABLE wh_raw.order_outcomes AS SELECT 'cb-' || i AS outcome_id, 'o' || i AS order_id, 'chargeback' AS kind, 'fraud' AS label,
       CAST((1 + i % 3) * (1000 + (i % 500) * 1000) AS numeric(18,2)) AS amount, ${placed} + INTERVAL '18 days' AS occurred_at,
       ${placed} + INTERVAL '20 days' AS known_at, 'bench' AS source, ${day(`${placed} + INTERVAL '20 days'`)} AS _logical_date, now() AS _loaded_at
     FROM generate_series(CAST(1 AS bigint), ${orders}) AS i WHERE i % 100 = 0`,
    `CREATE TABLE wh_raw.shadow_decisions AS SELECT order_id, 'candidate' AS ruleset_id, ruleset_version,
       CASE WHEN score >= 70 THEN 'decline' WHEN score >= 30 THEN 'review' ELSE 'approve' END AS decision, score, reasons,
       CAST(NULL AS jsonb) AS rule_failures, order_created_at, decided_at, _logical_date, _loaded_at
     FROM wh_raw.decisions`,
    'ANALYZE wh_raw.users, wh_raw.products, wh_raw.merchants, wh_raw.orders, wh_raw.decisions, wh_raw.order_events, wh_raw.order_outcomes, wh_raw.shadow_decisions',
  ];
}

async function main(): Promise<void> {
  if (!env('DATABASE_URL')) throw new Error('DATABASE_URL is required (a Postgres server the benchmark may create a database on)');
  const orders = Number(env('BENCH_ORDERS') ?? 1_000_000);
  const { url, drop } = await createTestDatabase('transforms_bench');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const dir = await mkdtemp(join(tmpdir(), 'transforms-bench-'));
  try {
    const warehouse = postgresWarehouse(pool);
    console.error(`generating ${orders} orders (with decisions, events, users, products, merchants)...`);
    const generated = performance.now();
    for (const statement of generateRawSql(orders)) await pool.query(statement);
    console.error(`generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`);

    const started = performance.now();
    const result = await runModels({ warehouse, tz: TZ, fullRefresh: true, log: (line) => console.error(line) });
    const buildSeconds = (performance.now() - started) / 1000;
    if (result.status !== 'success') throw new Error(`the build failed: ${JSON.stringify(result.models.filter((model) => model.status !== 'success'))}`);
    const modelSeconds = result.models.reduce((sum, model) => sum + model.durationMs, 0) / 1000;
    const slowest = [...result.models].sort((a, b) => b.durationMs - a.durationMs)[0];

    const project = compileProject({ warehouse, tz: TZ });
    const script = join(dir, 'build.sql');
    await writeFile(script, project.models.map((model) => renderSteps(project.dialect, model.full.steps)).join('\n'));
    const floorStarted = performance.now();
    execFileSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', script], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
    });
    const floorSeconds = (performance.now() - floorStarted) / 1000;

    console.error(
      `runModels: ${buildSeconds.toFixed(1)} s in all (${modelSeconds.toFixed(1)} s building ${result.models.length} models, ` +
        `the rest running ${result.tests.length} data tests and logging); psql -f of the same build SQL: ${floorSeconds.toFixed(1)} s`,
    );
    const figures = {
      'transforms.pg_full_build_s_1m': Number(buildSeconds.toFixed(1)),
      'transforms.pg_psql_floor_s_1m': Number(floorSeconds.toFixed(1)),
      'transforms.slowest_model': `${slowest?.name} (${((slowest?.durationMs ?? 0) / 1000).toFixed(1)} s)`,
      'transforms.pg_models_only_s_1m': Number(modelSeconds.toFixed(1)),
      'transforms.orders': orders,
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await pool.end();
    await rm(dir, { recursive: true, force: true });
    await drop();
  }
}

await main();
