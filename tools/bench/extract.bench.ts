// Measures the daily load of one big day (Postgres to the Postgres warehouse and to the BigQuery emulator) against psql's \copy ceiling.
//
// Run: DATABASE_URL=... [BIGQUERY_EMULATOR_HOST=... BIGQUERY_PROJECT=test] node --conditions=@fraudline/source --import tsx tools/bench/extract.bench.ts
// Env: BENCH_ORDERS (default 1,000,000), BENCH_BQ_ORDERS (default 50,000: the emulator loads ~1.5k rows/s, so 1M would take over ten minutes).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import { dayBounds, extractLoad, extractSource, type LogicalDate } from '@fraudline/extract';
import { bigQueryWarehouse, postgresWarehouse, RAW_TABLES, type Warehouse } from '@fraudline/warehouse';
import pg from 'pg';

const TZ = 'Asia/Jakarta';
const PG_DAY = '2026-03-10';
const BQ_DAY = '2026-03-11';
const ORDER_COLUMNS = RAW_TABLES.orders.columns.map((column) => column.name);

const env = (name: string) => process.env[name];
const count = (name: string, fallback: number) => Number(env(name) ?? fallback);

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `n` orders spread evenly over business day `date`, with microsecond timestamps and 18-digit amounts, made by Postgres itself. */
async function generateOrders(oltp: OltpDatabase, date: LogicalDate, n: number): Promise<void> {
  const { start, end } = dayBounds(date, TZ);
  const pool = oltp.pool as pg.Pool;
  await pool.query(`INSERT INTO users (user_id, first_name, last_name, email, default_payment, country)
    SELECT 'U' || i, 'Dédé', 'Ñuñez 李', 'u' || i || '@example.id', 'OVO', 'ID' FROM generate_series(1, 1000) AS i ON CONFLICT DO NOTHING`);
  await pool.query(
    `INSERT INTO products (product_id, product_name, category, price) VALUES ('P1', 'Emas', 'Jewelry', 9999999999999999.99) ON CONFLICT DO NOTHING`,
  );
  await pool.query(`INSERT INTO merchants (merchant_id, merchant_name, category, country) VALUES ('M1', 'Toko', 'Jewelry', 'ID') ON CONFLICT DO NOTHING`);
  await pool.query(
    `INSERT INTO orders (order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country,
        device_id, ip, ip_country, is_vpn, email, created_at, ingested_at)
      SELECT gen_random_uuid(), 'U' || (1 + i % 1000), 'P1', 'M1', 1 + i % 3, (i % 100000) * 1000.25, (1 + i % 3) * (i % 100000) * 1000.25, 'IDR',
        (ARRAY['OVO', 'DANA', 'Gopay', 'Credit Card'])[1 + i % 4], 'ID', 'DEV' || (i % 50000),
        ('10.' || (i / 65536) % 256 || '.' || (i / 256) % 256 || '.' || i % 256)::inet, 'ID', i % 17 = 0,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'buyer' || i || '@example.id' END,
        $1::timestamptz + (($2::timestamptz - $1::timestamptz) * i / $3) , $1::timestamptz + (($2::timestamptz - $1::timestamptz) * i / $3) + interval '1.5 seconds'
      FROM generate_series(0, $3 - 1) AS i`,
    [start.toISOString(), end.toISOString(), n],
  );
  await pool.query('ANALYZE orders');
}

interface Measured {
  rows: number;
  seconds: number;
}

async function measureLoad(oltp: OltpDatabase, warehouse: Warehouse, date: LogicalDate): Promise<Measured> {
  const started = performance.now();
  const [result] = await extractLoad({ source: extractSource(oltp), warehouse, date, tz: TZ, tables: ['orders'] });
  return { rows: result?.rows ?? 0, seconds: (performance.now() - started) / 1000 };
}

/** psql's \copy out of the day and \copy into an equivalent plain table: the fastest the same bytes can move through a client. */
async function measureCeiling(url: string, date: LogicalDate): Promise<Measured> {
  const { start, end } = dayBounds(date, TZ);
  const dir = await mkdtemp(join(tmpdir(), 'extract-ceiling-'));
  const file = join(dir, 'orders.copy');
  const psql = (command: string) => execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', command], { encoding: 'utf8' });
  psql(`CREATE TABLE bench_ceiling_orders AS SELECT ${ORDER_COLUMNS.join(', ')} FROM wh_raw.orders WITH NO DATA`);
  try {
    const started = performance.now();
    psql(
      `\\copy (SELECT ${ORDER_COLUMNS.join(', ')} FROM orders WHERE created_at >= '${start.toISOString()}' AND created_at < '${end.toISOString()}') TO '${file}'`,
    );
    psql(`\\copy bench_ceiling_orders (${ORDER_COLUMNS.join(', ')}) FROM '${file}'`);
    const seconds = (performance.now() - started) / 1000;
    const rows = Number(psql('SELECT count(*) FROM bench_ceiling_orders').trim());
    return { rows, seconds };
  } finally {
    psql('DROP TABLE bench_ceiling_orders');
    await rm(dir, { recursive: true, force: true });
  }
}

const perSecond = ({ rows, seconds }: Measured) => Math.round(rows / seconds);

async function main(): Promise<void> {
  const adminUrl = env('DATABASE_URL');
  if (!adminUrl) throw new Error('DATABASE_URL is required (a Postgres server the benchmark may create a database on)');
  const name = `extract_bench_${process.pid}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const oltp = await openDatabase({ kind: 'postgres', url });
  const figures: Record<string, number | string> = {};
  try {
    await migrateToLatest(oltp.db);
    const orders = count('BENCH_ORDERS', 1_000_000);
    console.error(`generating ${orders} orders for ${PG_DAY}...`);
    await generateOrders(oltp, PG_DAY, orders);

    const load = await measureLoad(oltp, postgresWarehouse(oltp.pool as pg.Pool), PG_DAY);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.error(`extractLoad into Postgres: ${load.rows} rows in ${load.seconds.toFixed(2)} s, peak RSS ${peakRssMb} MB`);
    const ceiling = await measureCeiling(url, PG_DAY);
    console.error(`\\copy out + \\copy in: ${ceiling.rows} rows in ${ceiling.seconds.toFixed(2)} s`);
    figures['extract.pg_rows_per_s'] = perSecond(load);
    figures['extract.pg_ceiling_rows_per_s'] = perSecond(ceiling);
    figures['extract.pg_ratio_to_ceiling'] = Number((perSecond(load) / perSecond(ceiling)).toFixed(2));
    figures['extract.pg_peak_rss_mb'] = peakRssMb;

    const emulatorHost = env('BIGQUERY_EMULATOR_HOST');
    if (emulatorHost) {
      const bqOrders = count('BENCH_BQ_ORDERS', 50_000);
      await generateOrders(oltp, BQ_DAY, bqOrders);
      const warehouse = bigQueryWarehouse({ projectId: env('BIGQUERY_PROJECT') ?? 'test', emulatorHost, prefix: `bench${process.pid}_` });
      try {
        const bq = await measureLoad(oltp, warehouse, BQ_DAY);
        console.error(`extractLoad into the BigQuery emulator: ${bq.rows} rows in ${bq.seconds.toFixed(2)} s`);
        figures['extract.bq_emulator_rows_per_s'] = perSecond(bq);
        figures['extract.bq_emulator_rows'] = bq.rows;
      } finally {
        await warehouse.client.dataset(warehouse.layerName('raw')).delete({ force: true });
      }
    } else {
      console.error('BIGQUERY_EMULATOR_HOST unset: skipping the BigQuery emulator run');
    }
  } finally {
    await oltp.close();
    await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
  console.log(JSON.stringify(figures, null, 2));
}

await main();
