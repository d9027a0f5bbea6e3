import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { sql } from 'kysely';
import { insertUsers, upsertProducts } from './catalog.js';
import { migrateDown, migrateToLatest, openDatabase, type OltpDatabase } from './connect.js';

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
      'public.load_ledger',
      'public.merchants',
      'public.order_labels',
      'public.orders',
      'public.products',
      'public.risk_list',
      'public.rulesets',
      'public.user_order_totals',
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
});
