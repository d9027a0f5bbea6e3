import { seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase, type OltpDatabase } from '@fraudline/db';
import { extractSource, ledgerStatus } from '@fraudline/extract';
import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { postgresWarehouse, type Warehouse } from '@fraudline/warehouse';
import { pino } from 'pino';
import { runJob, type BatchContext } from './jobs.js';
import { startScheduler, type Scheduler } from './scheduler.js';

const DAY = '2026-11-20';

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('batch jobs and the pg-boss schedule on a real Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  let warehouse: Warehouse;
  let context: BatchContext;
  const transformed: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('batch_jobs');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 3, users: 20, products: 10, merchants: 3, devices: 5 });
    const [user] = await oltp.db.selectFrom('users').select('user_id').limit(1).execute();
    const [product] = await oltp.db.selectFrom('products').select('product_id').limit(1).execute();
    const [merchant] = await oltp.db.selectFrom('merchants').select('merchant_id').limit(1).execute();
    const order = (id: number, createdAt: string) => ({
      order_id: `019a9f00-0000-7000-8000-${String(id).padStart(12, '0')}`,
      user_id: user!.user_id,
      product_id: product!.product_id,
      merchant_id: merchant!.merchant_id,
      quantity: 1,
      unit_price: '1000.00',
      amount: '1000.00',
      currency: 'IDR',
      payment_method: 'OVO',
      country: 'ID',
      device_id: 'D1',
      ip: '10.0.0.1',
      ip_country: 'ID',
      is_vpn: false,
      email: null,
      created_at: createdAt,
    });
    // Two orders inside 2026-11-20 in Jakarta, one just before it and one just after.
    await oltp.db
      .insertInto('orders')
      .values([
        order(1, '2026-11-19T16:59:59.999+00:00'),
        order(2, '2026-11-19T17:00:00+00:00'),
        order(3, '2026-11-20T16:59:59+00:00'),
        order(4, '2026-11-20T17:00:00+00:00'),
      ])
      .execute();
    warehouse = postgresWarehouse(oltp.pool!);
    context = {
      db: oltp.db,
      source: extractSource(oltp),
      warehouse,
      timeZone: 'Asia/Jakarta',
      // The trivial model behind the transform hook: orders per logical date.
      transform: async (date) => {
        await warehouse.ensureLayers(['marts']);
        await warehouse.transaction([
          `CREATE OR REPLACE VIEW ${warehouse.table('marts', 'orders_per_day')} AS SELECT _logical_date, count(*) AS orders FROM ${warehouse.table('raw', 'orders')} GROUP BY 1`,
        ]);
        transformed.push(date);
        return { models: 1, tests: 0, failedTests: 0 };
      },
    };
  }, 120_000);
  afterAll(async () => {
    await oltp?.close();
    await testDb?.drop();
  });

  it('runs the daily job: loads exactly day D, then the transform hook builds on it', async () => {
    const outcome = await runJob(context, 'daily', DAY);
    expect(outcome.job).toBe('daily');
    const perDay = await warehouse.query<{ _logical_date: string; orders: string }>(
      `SELECT to_char(_logical_date, 'YYYY-MM-DD') AS _logical_date, orders FROM ${warehouse.table('marts', 'orders_per_day')}`,
    );
    expect(perDay).toEqual([{ _logical_date: DAY, orders: '2' }]);
    expect(transformed).toEqual([DAY]);
  });

  it('runs a queued load through pg-boss once per (job, date), records it in the ledger, then queues the transforms', async () => {
    const scheduler: Scheduler = await startScheduler({ connectionString: testDb.url, context, logger: pino({ level: 'silent' }) });
    try {
      const first = await scheduler.enqueue('load-orders', '2026-11-21');
      const duplicate = await scheduler.enqueue('load-orders', '2026-11-21');
      expect(first).toEqual(expect.any(String));
      expect(duplicate).toBeNull();
      await waitFor('the transforms after the load', async () => transformed.includes('2026-11-21'));
      const ledger = await ledgerStatus(oltp.db, { from: '2026-11-21', to: '2026-11-21' });
      expect(
        ledger
          .filter((row) => row.status === 'succeeded')
          .map((row) => row.table)
          .sort(),
      ).toEqual(['decisions', 'order_events', 'order_labels', 'order_outcomes', 'orders', 'shadow_decisions']);
    } finally {
      await scheduler.stop();
    }
  }, 120_000);
});
