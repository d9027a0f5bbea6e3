import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { Migrator, sql } from 'kysely';
import { insertUsers, upsertProducts } from './catalog.js';
import { migrateDown, migrateToLatest, openDatabase, type OltpDatabase } from './connect.js';
import { migrationProvider } from './migrations.js';

describe('OLTP schema on a real Postgres server', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase('db');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
  });
  afterAll(async () => {
    await oltp?.close();
    await testDb?.drop();
  });

  const tables = async () =>
    (
      await sql<{ name: string }>`select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema in ('public', 'raw') and table_name <> 'kysely_migration' and table_name <> 'kysely_migration_lock' order by 1`.execute(oltp.db)
    ).rows.map((r) => r.name);

  it('migrates up, round-trips rows exactly, and migrates down again', async () => {
    const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(oltp.db);
    console.log(`Postgres server ${version.rows[0]?.v}`);
    await migrateToLatest(oltp.db);
    expect(await tables()).toEqual([
      'public.decisions',
      'public.devices',
      'public.fraud_reports',
      'public.load_ledger',
      'public.merchant_daily_orders',
      'public.merchants',
      'public.order_labels',
      'public.order_outcomes',
      'public.order_verdicts',
      'public.orders',
      'public.products',
      'public.risk_list',
      'public.risk_list_history',
      'public.risk_list_versions',
      'public.rulesets',
      'public.scoring_models',
      'public.shadow_decisions',
      'public.user_order_totals',
      'public.user_seen_values',
      'public.users',
      'raw.order_events',
      'raw.rejected_events',
    ]);

    const createdAt = new Date('2026-11-20T16:59:59.123Z');
    const user = {
      user_id: 'U100',
      first_name: 'Sri',
      last_name: 'Wahyuni',
      email: 'sri.wahyuni@example.co.id',
      default_payment: 'OVO',
      phone: null,
      country: 'ID',
      created_at: createdAt,
    };
    expect(await insertUsers(oltp.db, [user])).toBe(1);
    expect(await insertUsers(oltp.db, [{ ...user, first_name: 'Other' }])).toBe(0);
    expect(await oltp.db.selectFrom('users').selectAll().execute()).toEqual([{ ...user, updated_at: expect.any(Date) }]);

    const product = { product_id: 'P0001', product_name: 'Buku Sejarah by Gramedia', category: 'Non-Fiction Books', price: '9999999999999999.99' };
    await upsertProducts(oltp.db, [product]);
    await upsertProducts(oltp.db, [{ ...product, price: '45000.50', updated_at: new Date('2026-11-21T00:00:00Z') }]);
    const stored = await oltp.db.selectFrom('products').select(['price', 'updated_at']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ price: '45000.50', updated_at: new Date('2026-11-21T00:00:00Z') });

    await migrateDown(oltp.db);
    expect(await tables()).toEqual([]);
  });

  describe('labels moving from their own table to a view of the raw landing (0003)', () => {
    const ORDER = '019a0000-0000-7000-8000-000000000001';
    const OTHER = '019a0000-0000-7000-8000-000000000002';

    /** A database at 0002 with two landed orders, one carrying ground truth, and the labels table as the subscriber filled it. */
    async function atLabelsTable(labels: { order_id: string; pattern: string; is_fraud: boolean }[]): Promise<void> {
      const migrated = await new Migrator({ db: oltp.db, provider: migrationProvider }).migrateTo('0002_feature_lookups');
      expect(migrated.error).toBeUndefined();
      await sql`INSERT INTO users (user_id, first_name, last_name, email, default_payment, country) VALUES ('U1', 'A', 'B', 'a@b.id', 'OVO', 'ID')`.execute(
        oltp.db,
      );
      await sql`INSERT INTO products (product_id, product_name, category, price) VALUES ('P1', 'Buku', 'Books', 10)`.execute(oltp.db);
      await sql`INSERT INTO merchants (merchant_id, merchant_name, category, country) VALUES ('M1', 'Toko', 'Books', 'ID')`.execute(oltp.db);
      for (const [offset, orderId] of [ORDER, OTHER].entries()) {
        await sql`INSERT INTO orders (order_id, user_id, product_id, merchant_id, quantity, unit_price, amount, currency, payment_method, country,
                                      device_id, ip, ip_country, is_vpn, created_at)
                  VALUES (${orderId}, 'U1', 'P1', 'M1', 1, 10, 10, 'IDR', 'OVO', 'ID', 'D1', '10.0.0.1', 'ID', false, now())`.execute(oltp.db);
        const message = orderId === ORDER ? { orderId, simulation: { pattern: 'card_testing', isFraud: true } } : { orderId };
        await sql`INSERT INTO raw.order_events (topic, partition, "offset", order_id, message)
                  VALUES ('orders', 0, ${offset}, ${orderId}, ${JSON.stringify(message)}::jsonb)`.execute(oltp.db);
      }
      for (const label of labels)
        await sql`INSERT INTO order_labels (order_id, pattern, is_fraud) VALUES (${label.order_id}, ${label.pattern}, ${label.is_fraud})`.execute(oltp.db);
    }

    afterEach(() => migrateDown(oltp.db));

    it('keeps every label: the view shows what the table held, and migrating down restores the table', async () => {
      await atLabelsTable([{ order_id: ORDER, pattern: 'card_testing', is_fraud: true }]);
      await migrateToLatest(oltp.db);
      const labels = () => oltp.db.selectFrom('order_labels').selectAll().execute();
      expect(await labels()).toEqual([{ order_id: ORDER, pattern: 'card_testing', is_fraud: true }]);
      const kind = await sql<{ table_type: string }>`SELECT table_type FROM information_schema.tables WHERE table_name = 'order_labels'`.execute(oltp.db);
      expect(kind.rows).toEqual([{ table_type: 'VIEW' }]);

      expect((await new Migrator({ db: oltp.db, provider: migrationProvider }).migrateTo('0002_feature_lookups')).error).toBeUndefined();
      expect(await labels()).toEqual([{ order_id: ORDER, pattern: 'card_testing', is_fraud: true }]);
      const restored = await sql<{ table_type: string }>`SELECT table_type FROM information_schema.tables WHERE table_name = 'order_labels'`.execute(oltp.db);
      expect(restored.rows).toEqual([{ table_type: 'BASE TABLE' }]);
    });

    it('refuses to drop a table holding a label the landed message does not carry', async () => {
      await atLabelsTable([
        { order_id: ORDER, pattern: 'card_testing', is_fraud: true },
        { order_id: OTHER, pattern: 'velocity_burst', is_fraud: true },
      ]);
      await expect(migrateToLatest(oltp.db)).rejects.toThrow(
        'migration 0003_labels_from_landing failed: order_labels holds labels that raw.order_events does not carry',
      );
      expect(await oltp.db.selectFrom('order_labels').select('order_id').orderBy('order_id').execute()).toEqual([{ order_id: ORDER }, { order_id: OTHER }]);
    });
  });
});
