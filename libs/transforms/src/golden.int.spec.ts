import { createHash } from 'node:crypto';
import type { Layer } from '@fraudline/warehouse';
import { DAY_1, DAY_2, goldenFixture, TZ } from '../test/fixture.js';
import { createRawTables, insertRawRows } from '../test/raw-tables.js';
import { ENGINES, normalize, openTestWarehouse, tableRows, type Engine, type Normal, type TestWarehouse } from '../test/warehouses.js';
import { compileProject } from './compile.js';
import { allModels } from './models/index.js';
import { RUN_LOG_TABLE } from './run-log.js';
import { runModels, type RunResult } from './runner.js';

const built = new Map<Engine, { env: TestWarehouse; result: RunResult }>();

beforeAll(async () => {
  for (const engine of ENGINES) {
    const env = await openTestWarehouse(engine);
    await createRawTables(env.warehouse);
    await insertRawRows(env.warehouse, goldenFixture());
    built.set(engine, { env, result: await runModels({ warehouse: env.warehouse, tz: TZ, runId: `golden-${engine}`, log: () => undefined }) });
  }
}, 600_000);

afterAll(async () => {
  for (const { env } of built.values()) await env.close();
});

const setup = (engine: Engine) => built.get(engine) as { env: TestWarehouse; result: RunResult };
const rows = (engine: Engine, layer: Layer, name: string, columns: readonly string[], orderBy: string) =>
  tableRows(setup(engine).env.warehouse, layer, name, columns, orderBy);

describe.each(ENGINES)('the golden fixture on %s', (engine) => {
  it('builds every model and passes every test; only the redelivered event warns', () => {
    const { result } = setup(engine);
    expect(result.status).toBe('success');
    expect(result.models.filter((model) => model.status !== 'success')).toEqual([]);
    expect(result.models.map((model) => model.name).sort()).toEqual(allModels.map((model) => model.name).sort());
    expect(result.tests.filter((test) => test.status !== 'pass').map((test) => [test.name, test.status, test.failingRows, test.sample.map((row) => normalize(row['order_id']))])).toEqual([
      ['unique_raw_order_events_flat_order_id', 'warn', 1, ['o03']],
    ]);
  });

  it('mart_user_fraud_status: totals and status per user, users without orders in Good Standing', async () => {
    const columns = ['user_id', 'full_name', 'total_orders', 'fraud_orders', 'total_purchasing', 'total_fraud_loss', 'total_purchasing_rp', 'total_fraud_loss_rp', 'user_status'];
    expect(await rows(engine, 'marts', 'mart_user_fraud_status', columns, 'user_id')).toEqual([
      ['u01', 'Ani Wijaya', '5', '3', '25920000', '25500000', 'Rp 25.920.000', 'Rp 25.500.000', 'Blacklist'],
      ['u02', 'Budi Santoso', '4', '1', '1170000', '500000', 'Rp 1.170.000', 'Rp 500.000', 'Watchlist'],
      ['u03', 'Citra Lestari', '4', '0', '1040000', '0', 'Rp 1.040.000', 'Rp 0', 'Good Standing'],
      ['u04', 'Dewi Anggraini', '2', '1', '335000', '250000', 'Rp 335.000', 'Rp 250.000', 'Watchlist'],
      ['u05', 'Eko Prasetyo', '4', '4', '26450000', '26450000', 'Rp 26.450.000', 'Rp 26.450.000', 'Blacklist'],
      ['u06', 'Fajar Nugroho', '0', '0', '0', '0', 'Rp 0', 'Rp 0', 'Good Standing'],
      ['u07', 'Gita Permata', '6', '0', '1290000', '0', 'Rp 1.290.000', 'Rp 0', 'Good Standing'],
      ['u08', 'Hadi Susanto', '4', '1', '12920000', '12500000', 'Rp 12.920.000', 'Rp 12.500.000', 'Watchlist'],
      ['u09', 'Indah Sari', '3', '2', '1035000', '950000', 'Rp 1.035.000', 'Rp 950.000', 'Watchlist'],
      ['u10', 'Joko Purnomo', '6', '0', '13675000', '0', 'Rp 13.675.000', 'Rp 0', 'Good Standing'],
    ]);
  });

  it('mart_most_fraudulent_users: ranked by fraud orders, then total orders, then user_id', async () => {
    const columns = ['fraud_rank', 'user_id', 'full_name', 'fraud_orders', 'total_orders', 'total_fraud_loss', 'user_status'];
    expect(await rows(engine, 'marts', 'mart_most_fraudulent_users', columns, 'fraud_rank')).toEqual([
      ['1', 'u05', 'Eko Prasetyo', '4', '4', '26450000', 'Blacklist'],
      ['2', 'u01', 'Ani Wijaya', '3', '5', '25500000', 'Blacklist'],
      ['3', 'u09', 'Indah Sari', '2', '3', '950000', 'Watchlist'],
      ['4', 'u02', 'Budi Santoso', '1', '4', '500000', 'Watchlist'],
      ['5', 'u08', 'Hadi Susanto', '1', '4', '12500000', 'Watchlist'],
      ['6', 'u04', 'Dewi Anggraini', '1', '2', '250000', 'Watchlist'],
    ]);
  });

  it('mart_payment_fraud_critical_time: 04:59:59 and 00:00:00 are in the window, 05:00:00 and 23:59:59 are not', async () => {
    const columns = ['payment_method', 'total_orders', 'genuine_orders', 'fraud_orders', 'fraud_pct'];
    expect(await rows(engine, 'marts', 'mart_payment_fraud_critical_time', columns, 'payment_method')).toEqual([
      ['Credit Card', '6', '1', '5', '83.33'],
      ['DANA', '1', '1', '0', '0'],
      ['Gopay', '2', '1', '1', '50'],
      ['OVO', '2', '1', '1', '50'],
      ['Paylater', '2', '1', '1', '50'],
    ]);
  });

  it('mart_user_product_habit: per user and product, with the latest product name', async () => {
    const columns = ['user_id', 'user_full_name', 'product_id', 'product_name', 'total_orders', 'genuine_orders', 'fraud_orders', 'latest_transaction'];
    const [shoes, headphones, coffee, laptop] = ['Sepatu Lari', 'Headphone X Pro', 'Kopi Arabika', 'Laptop Pro 14'];
    expect(await rows(engine, 'marts', 'mart_user_product_habit', columns, 'user_id, product_id')).toEqual([
      ['u01', 'Ani Wijaya', 'p01', shoes, '1', '1', '0', '2024-03-01T03:15:00.000Z'],
      ['u01', 'Ani Wijaya', 'p02', headphones, '1', '0', '1', '2024-02-29T19:10:00.000Z'],
      ['u01', 'Ani Wijaya', 'p03', coffee, '1', '1', '0', '2024-03-02T05:00:00.000Z'],
      ['u01', 'Ani Wijaya', 'p04', laptop, '2', '0', '2', '2024-03-01T20:00:00.000Z'],
      ['u02', 'Budi Santoso', 'p01', shoes, '1', '1', '0', '2024-03-01T02:00:00.000Z'],
      ['u02', 'Budi Santoso', 'p02', headphones, '1', '0', '1', '2024-03-01T16:59:59.000Z'],
      ['u02', 'Budi Santoso', 'p03', coffee, '2', '2', '0', '2024-02-29T22:00:00.000Z'],
      ['u03', 'Citra Lestari', 'p01', shoes, '1', '1', '0', '2024-03-01T11:00:00.000Z'],
      ['u03', 'Citra Lestari', 'p02', headphones, '1', '1', '0', '2024-03-01T17:00:00.000Z'],
      ['u03', 'Citra Lestari', 'p03', coffee, '2', '2', '0', '2024-03-02T07:00:00.000Z'],
      ['u04', 'Dewi Anggraini', 'p01', shoes, '1', '0', '1', '2024-02-29T20:00:00.000Z'],
      ['u04', 'Dewi Anggraini', 'p03', coffee, '1', '1', '0', '2024-03-02T04:00:00.000Z'],
      ['u05', 'Eko Prasetyo', 'p02', headphones, '2', '0', '2', '2024-03-02T15:00:00.000Z'],
      ['u05', 'Eko Prasetyo', 'p04', laptop, '2', '0', '2', '2024-02-29T17:45:00.000Z'],
      ['u07', 'Gita Permata', 'p01', shoes, '2', '2', '0', '2024-03-02T06:00:00.000Z'],
      ['u07', 'Gita Permata', 'p02', headphones, '1', '1', '0', '2024-03-01T21:00:00.000Z'],
      ['u07', 'Gita Permata', 'p03', coffee, '3', '3', '0', '2024-03-02T12:00:00.000Z'],
      ['u08', 'Hadi Susanto', 'p01', shoes, '1', '1', '0', '2024-03-01T08:00:00.000Z'],
      ['u08', 'Hadi Susanto', 'p03', coffee, '2', '2', '0', '2024-03-01T19:30:00.000Z'],
      ['u08', 'Hadi Susanto', 'p04', laptop, '1', '0', '1', '2024-03-02T14:00:00.000Z'],
      ['u09', 'Indah Sari', 'p02', headphones, '2', '0', '2', '2024-03-01T18:15:00.000Z'],
      ['u09', 'Indah Sari', 'p03', coffee, '1', '1', '0', '2024-03-02T03:00:00.000Z'],
      ['u10', 'Joko Purnomo', 'p01', shoes, '3', '3', '0', '2024-03-01T21:30:00.000Z'],
      ['u10', 'Joko Purnomo', 'p03', coffee, '2', '2', '0', '2024-03-02T13:00:00.000Z'],
      ['u10', 'Joko Purnomo', 'p04', laptop, '1', '1', '0', '2024-03-02T09:45:00.000Z'],
    ]);
  });

  it('mart_product_payment_method: orders and amounts per product and payment method', async () => {
    const columns = ['product_id', 'product_name', 'payment_method', 'order_count', 'total_amount', 'genuine_count', 'genuine_amount', 'fraud_count', 'fraud_amount'];
    expect(await rows(engine, 'marts', 'mart_product_payment_method', columns, 'product_id, payment_method')).toEqual([
      ['p01', 'Sepatu Lari', 'Bank Transfer', '2', '500000', '2', '500000', '0', '0'],
      ['p01', 'Sepatu Lari', 'Credit Card', '3', '750000', '3', '750000', '0', '0'],
      ['p01', 'Sepatu Lari', 'Gopay', '2', '500000', '2', '500000', '0', '0'],
      ['p01', 'Sepatu Lari', 'OVO', '1', '500000', '1', '500000', '0', '0'],
      ['p01', 'Sepatu Lari', 'Paylater', '2', '500000', '1', '250000', '1', '250000'],
      ['p02', 'Headphone X Pro', 'Bank Transfer', '1', '500000', '0', '0', '1', '500000'],
      ['p02', 'Headphone X Pro', 'Credit Card', '3', '1950000', '1', '450000', '2', '1500000'],
      ['p02', 'Headphone X Pro', 'DANA', '1', '450000', '1', '450000', '0', '0'],
      ['p02', 'Headphone X Pro', 'OVO', '2', '950000', '0', '0', '2', '950000'],
      ['p02', 'Headphone X Pro', 'Paylater', '1', '450000', '0', '0', '1', '450000'],
      ['p03', 'Kopi Arabika', 'Bank Transfer', '1', '340000', '1', '340000', '0', '0'],
      ['p03', 'Kopi Arabika', 'DANA', '4', '340000', '4', '340000', '0', '0'],
      ['p03', 'Kopi Arabika', 'Gopay', '4', '595000', '4', '595000', '0', '0'],
      ['p03', 'Kopi Arabika', 'OVO', '4', '425000', '4', '425000', '0', '0'],
      ['p03', 'Kopi Arabika', 'Paylater', '1', '85000', '1', '85000', '0', '0'],
      ['p04', 'Laptop Pro 14', 'Bank Transfer', '1', '12500000', '1', '12500000', '0', '0'],
      ['p04', 'Laptop Pro 14', 'Credit Card', '3', '37500000', '0', '0', '3', '37500000'],
      ['p04', 'Laptop Pro 14', 'Gopay', '2', '25000000', '0', '0', '2', '25000000'],
    ]);
  });

  it('mart_daily_reason_counts: rules per business day, ranked by count then rule id', async () => {
    const columns = ['order_date_local', 'rule_id', 'reason_count', 'rank_in_day'];
    expect(await rows(engine, 'marts', 'mart_daily_reason_counts', columns, 'order_date_local, rank_in_day')).toEqual([
      [DAY_1, 'night_high_value', '4', '1'],
      [DAY_1, 'velocity_burst', '4', '2'],
      [DAY_1, 'geo_mismatch', '3', '3'],
      [DAY_1, 'new_device', '2', '4'],
      [DAY_2, 'new_device', '4', '1'],
      [DAY_2, 'geo_mismatch', '2', '2'],
      [DAY_2, 'night_high_value', '2', '3'],
      [DAY_2, 'velocity_burst', '1', '4'],
    ]);
  });

  it('mart_daily_fraud_kpis: per business day, the 00:00 order on day 2 counted on day 2', async () => {
    const columns = ['order_date_local', 'week_start', 'orders', 'declined', 'reviewed', 'approved', 'fraud_orders', 'fraud_rate', 'amount_at_risk', 'amount_at_risk_rp', 'top_reasons'];
    expect(await rows(engine, 'marts', 'mart_daily_fraud_kpis', columns, 'order_date_local')).toEqual([
      [DAY_1, '2024-02-26', '21', '8', '1', '12', '8', '0.381', '40335000', 'Rp 40.335.000', 'night_high_value:4, velocity_burst:4, geo_mismatch:3'],
      [DAY_2, '2024-02-26', '17', '4', '3', '10', '4', '0.2353', '38935000', 'Rp 38.935.000', 'new_device:4, geo_mismatch:2, night_high_value:2'],
    ]);
  });

  it('vw_customer_fraud_summary: per customer, the redelivered event counted once', async () => {
    const columns = ['customer_id', 'total_transactions', 'total_fraud', 'avg_fraud_score', 'last_transaction_at'];
    expect(await rows(engine, 'marts', 'vw_customer_fraud_summary', columns, 'customer_id')).toEqual([
      ['u01', '5', '3', '57', '2024-03-02T05:00:00.000Z'],
      ['u02', '4', '1', '38.75', '2024-03-01T16:59:59.000Z'],
      ['u03', '4', '0', '16.25', '2024-03-02T07:00:00.000Z'],
      ['u04', '2', '1', '40', '2024-03-02T04:00:00.000Z'],
      ['u05', '4', '4', '89.5', '2024-03-02T15:00:00.000Z'],
      ['u07', '6', '0', '6.67', '2024-03-02T12:00:00.000Z'],
      ['u08', '4', '1', '24.5', '2024-03-02T14:00:00.000Z'],
      ['u09', '3', '2', '56', '2024-03-02T03:00:00.000Z'],
      ['u10', '6', '0', '10.83', '2024-03-02T13:00:00.000Z'],
    ]);
  });

  it('the outcome-loop models of a full build judge as of now: every outcome is known and every unlabelled order old enough', async () => {
    expect((await rows(engine, 'core', 'fct_order_verdicts', ['order_id', 'label'], 'order_id')).filter(([id]) => id === 'o29')).toEqual([['o29', 'fraud']]);
    const columns = ['order_date_local', 'alerts', 'true_positives', 'false_positives', 'false_negatives', 'true_negatives', 'unknown_orders', 'precision', 'recall'];
    expect(await rows(engine, 'marts', 'mart_ruleset_quality_daily', columns, 'order_date_local')).toEqual([
      [DAY_1, '9', '5', '4', '0', '12', '0', '0.5556', '1'],
      [DAY_2, '7', '1', '6', '1', '9', '0', '0.1429', '0.5'],
    ]);
    const statuses = await rows(engine, 'marts', 'mart_label_risk_list', ['user_id', 'fraud_orders', 'risk_status'], 'user_id');
    expect(statuses.filter(([, , status]) => status !== 'Good Standing')).toEqual([
      ['u02', '1', 'Watchlist'],
      ['u04', '1', 'Watchlist'],
      ['u05', '2', 'Blacklist'],
      ['u08', '1', 'Watchlist'],
      ['u09', '1', 'Watchlist'],
      ['u10', '1', 'Watchlist'],
    ]);
  });

  it('fct_orders: UTC, business wall-clock time, date and hour at the day boundaries', async () => {
    const columns = ['order_id', 'ordered_at_utc', 'ordered_at_local', 'order_date_local', 'order_hour_local', 'order_status', 'is_fraud'];
    const boundary = (await rows(engine, 'core', 'fct_orders', columns, 'order_id')).filter(([id]) => ['o07', 'o08', 'o09', 'o12'].includes(String(id)));
    expect(boundary).toEqual([
      ['o07', '2024-02-29T21:59:59.000Z', '2024-03-01T04:59:59', DAY_1, '4', 'genuine', false],
      ['o08', '2024-02-29T22:00:00.000Z', '2024-03-01T05:00:00', DAY_1, '5', 'genuine', false],
      ['o09', '2024-03-01T16:59:59.000Z', '2024-03-01T23:59:59', DAY_1, '23', 'fraud', true],
      ['o12', '2024-03-01T17:00:00.000Z', '2024-03-02T00:00:00', DAY_2, '0', 'genuine', false],
    ]);
  });

  it('dimensions: latest product and merchant versions once, the latest user version, the latest device browser', async () => {
    expect(await rows(engine, 'core', 'dim_products', ['product_id', 'product_name', 'price', 'price_rp'], 'product_id')).toEqual([
      ['p01', 'Sepatu Lari', '250000', 'Rp 250.000'],
      ['p02', 'Headphone X Pro', '450000', 'Rp 450.000'],
      ['p03', 'Kopi Arabika', '85000', 'Rp 85.000'],
      ['p04', 'Laptop Pro 14', '12500000', 'Rp 12.500.000'],
    ]);
    expect(await rows(engine, 'core', 'dim_merchant', ['merchant_id', 'merchant_name', 'category'], 'merchant_id')).toEqual([
      ['m01', 'Toko Maju', 'fashion'],
      ['m02', 'Gadget Hub', 'gadgets'],
      ['m03', 'Warung Kopi', 'grocery'],
    ]);
    expect((await rows(engine, 'core', 'dim_users', ['user_id', 'email'], 'user_id')).filter(([id]) => id === 'u03')).toEqual([['u03', 'citra@new.id']]);
    expect((await rows(engine, 'core', 'dim_device', ['device_id', 'browser'], 'device_id')).filter(([id]) => id === 'd01')).toEqual([['d01', 'Firefox']]);
  });

  it('dim_customer: an e-mail change opens a second SCD2 version; transactions join the version valid when placed', async () => {
    const columns = ['customer_key', 'customer_id', 'version', 'email', 'valid_from', 'valid_to', 'is_current'];
    const versions = await rows(engine, 'core', 'dim_customer', columns, 'customer_key');
    expect(versions).toHaveLength(10);
    expect(versions.filter(([, customer]) => customer === 'u03')).toEqual([
      ['u03#1', 'u03', '1', 'citra@old.id', '2024-03-01T01:00:00.000Z', '2024-03-01T17:00:00.000Z', false],
      ['u03#2', 'u03', '2', 'citra@new.id', '2024-03-01T17:00:00.000Z', null, true],
    ]);
    const transactions = await rows(engine, 'core', 'fct_transactions', ['transaction_id', 'customer_key', 'merchant_category', 'fraud_score', 'is_fraud'], 'transaction_id');
    expect(transactions).toHaveLength(38);
    expect(transactions.filter(([id]) => ['o03', 'o11', 'o12'].includes(String(id)))).toEqual([
      ['o03', 'u01#1', 'gadgets', '85', true],
      ['o11', 'u03#1', 'fashion', '5', false],
      ['o12', 'u03#2', 'gadgets', '15', false],
    ]);
  });

  it('raw_order_events_flat: every delivery, typed, on the business date it was received', async () => {
    const columns = ['kafka_offset', 'order_id', 'customer_id', 'amount', 'placed_at', 'is_vpn', 'failed_logins_24h', 'merchant_category', 'received_date'];
    const flat = await rows(engine, 'staging', 'raw_order_events_flat', columns, 'kafka_offset');
    expect(flat).toHaveLength(39);
    expect(flat.filter(([, id]) => id === 'o09' || id === 'o16')).toEqual([
      ['9', 'o09', 'u02', '500000', '2024-03-01T16:59:59.000Z', false, '0', 'electronics', DAY_2],
      ['16', 'o16', 'u05', '12500000', '2024-02-29T17:30:00.000Z', true, '5', 'electronics', DAY_1],
    ]);
  });

  it('logs each model of the run in meta.transform_runs with the hash of its compiled SQL', async () => {
    const { env } = setup(engine);
    const log = await env.warehouse.query(
      `SELECT model, status, row_count, sql_hash FROM ${env.warehouse.table('meta', RUN_LOG_TABLE)} WHERE run_id = 'golden-${engine}' ORDER BY model`,
    );
    const project = compileProject({ warehouse: env.warehouse, tz: TZ });
    const fct = log.find((entry) => entry['model'] === 'fct_orders') as Record<string, unknown>;
    expect(log).toHaveLength(allModels.length);
    expect([fct['status'], normalize(fct['row_count'])]).toEqual(['success', '38']);
    expect(fct['sql_hash']).toBe(createHash('sha256').update(project.byName.get('fct_orders')?.full.sql ?? '').digest('hex'));
  });
});

it('builds identical relations on Postgres and on the BigQuery emulator', async () => {
  const snapshot = async (engine: Engine) => {
    const tables: Record<string, Normal[][]> = {};
    for (const model of allModels) {
      const columns = Object.keys(model.columns).filter((column) => column !== 'reasons');
      const relation = await rows(engine, model.layer, model.name, columns, columns[0] as string);
      tables[model.name] = relation.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
    return tables;
  };
  const [postgres, bigquery] = [await snapshot('postgres'), await snapshot('bigquery')];
  expect(bigquery).toEqual(postgres);
});
