import { insertMerchants, insertUsers, migrateToLatest, openDatabase, upsertProducts, type NewOrder, type OltpDatabase } from '@fraudline/db';
import type { OrderFacts, PreparedOrder } from '@fraudline/fraud-rules';
import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { v7 as uuidv7 } from 'uuid';
import { FeatureCache } from './feature-cache.js';

const T = Date.parse('2026-11-21T12:00:00.000+07:00');
const MINUTE = 60_000;
const REFRESH_MS = 10_000;
const NOW = Date.parse('2026-12-02T00:00:00Z');

/** An order the cache prepares: window facts plus the catalog ids it names (order features are not read here). */
function order(facts: Partial<OrderFacts> & Pick<OrderFacts, 'userId'>, productId = 'P1'): PreparedOrder & { productId: string; merchantId: string } {
  return {
    facts: {
      orderId: uuidv7(),
      deviceId: 'D-shared',
      ip: '192.0.2.1',
      amount: 100_000,
      placedAtMs: T,
      ipCountry: 'ID',
      paymentMethod: 'OVO',
      merchantId: 'M1',
      productId,
      ...facts,
    },
    features: {} as PreparedOrder['features'],
    productId,
    merchantId: 'M1',
  };
}

/** An order some other subscriber committed. */
const stored = (userId: string, placedAtMs: number): NewOrder => ({
  order_id: uuidv7(),
  user_id: userId,
  product_id: 'P1',
  merchant_id: 'M1',
  quantity: 1,
  unit_price: '100000.00',
  amount: '100000.00',
  currency: 'IDR',
  payment_method: 'OVO',
  country: 'ID',
  device_id: 'D-shared',
  ip: '192.0.2.1',
  ip_country: 'ID',
  is_vpn: false,
  email: null,
  created_at: new Date(placedAtMs).toISOString(),
});

describe('FeatureCache on real Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase('feature_cache');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    const user = (user_id: string) => ({ user_id, first_name: 'A', last_name: 'B', email: `${user_id}@example.com`, default_payment: 'OVO', country: 'ID' });
    await insertUsers(oltp.db, ['U1', 'U2', 'U3', 'U4'].map(user));
    await upsertProducts(oltp.db, [{ product_id: 'P1', product_name: 'Kopi', category: 'food', price: '100000.00' }]);
    await insertMerchants(oltp.db, [{ merchant_id: 'M1', merchant_name: 'Toko', category: 'food', country: 'ID' }]);
  }, 60_000);
  afterAll(async () => {
    await oltp?.close();
    await testDb?.drop();
  });

  it('reads a shared key once, and sees what another subscriber stored under it only after the refresh interval', async () => {
    await oltp.db
      .insertInto('orders')
      .values(stored('U2', T - 5 * MINUTE))
      .execute();
    const cache = new FeatureCache({ refreshMs: REFRESH_MS });
    const first = await cache.prepare(oltp, [order({ userId: 'U1' })], NOW);
    expect(first.window.snapshot(order({ userId: 'U1' })).device.distinctUsers24h).toBe(1);

    await oltp.db
      .insertInto('orders')
      .values(stored('U3', T - 4 * MINUTE))
      .execute();
    const cached = await cache.prepare(oltp, [order({ userId: 'U1', placedAtMs: T + 1 })], NOW + REFRESH_MS - 1);
    expect(cached.window.snapshot(order({ userId: 'U1', placedAtMs: T + 1 })).device.distinctUsers24h).toBe(1);

    const refreshed = await cache.prepare(oltp, [order({ userId: 'U1', placedAtMs: T + 2 })], NOW + REFRESH_MS);
    expect(refreshed.window.snapshot(order({ userId: 'U1', placedAtMs: T + 2 })).device.distinctUsers24h).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('reads lifetime totals, risk status and which catalog rows exist afresh for every batch', async () => {
    const cache = new FeatureCache({ refreshMs: REFRESH_MS });
    const before = await cache.prepare(oltp, [order({ userId: 'U2' }), order({ userId: 'U404' }, 'P404')], NOW);
    expect(before.known.users).toEqual(new Set(['U2']));
    expect(before.known.products.has('P404')).toBe(false);
    expect(before.window.snapshot(order({ userId: 'U2' })).user).toMatchObject({ lifetimeOrders: 1, riskStatus: 'Good Standing' });

    await oltp.db.insertInto('risk_list').values({ user_id: 'U2', risk_status: 'Blacklist', fraud_orders: 1, total_orders: 1 }).execute();
    await oltp.db
      .insertInto('orders')
      .values(stored('U2', T - 3 * MINUTE))
      .execute();
    const after = await cache.prepare(oltp, [order({ userId: 'U2' })], NOW + 1);
    expect(after.window.snapshot(order({ userId: 'U2' })).user).toMatchObject({ lifetimeOrders: 2, riskStatus: 'Blacklist' });
    await oltp.db.deleteFrom('risk_list').execute();
  });

  it('reads a key again when an order needs older history than the cache holds', async () => {
    const cache = new FeatureCache({ refreshMs: REFRESH_MS });
    const early = T - 3 * 24 * 60 * MINUTE;
    await oltp.db
      .insertInto('orders')
      .values(stored('U4', early - MINUTE))
      .execute();
    await cache.prepare(oltp, [order({ userId: 'U4' })], NOW);
    const late = await cache.prepare(oltp, [order({ userId: 'U4', placedAtMs: early })], NOW + 1);
    expect(late.window.snapshot(order({ userId: 'U4', placedAtMs: early })).user.orders1h).toBe(1);
  });

  it('empties itself past maxOrders and reads everything again', async () => {
    const cache = new FeatureCache({ refreshMs: REFRESH_MS, maxOrders: 1 });
    await cache.prepare(oltp, [order({ userId: 'U1' })], NOW);
    expect(cache.size).toBeGreaterThan(1);
    await oltp.db
      .insertInto('orders')
      .values(stored('U4', T - MINUTE))
      .execute();
    const again = await cache.prepare(oltp, [order({ userId: 'U1', placedAtMs: T + 1 })], NOW + 1);
    expect(again.window.snapshot(order({ userId: 'U1', placedAtMs: T + 1 })).device.distinctUsers24h).toBe(3);
  });
});
