import { createTestDatabase, type TestDatabase } from '@fraudline/testing';
import { v7 as uuidv7 } from 'uuid';
import { insertMerchants, insertUsers, upsertProducts } from './catalog.js';
import { migrateToLatest, openDatabase, type OltpDatabase } from './connect.js';
import { countRows } from './count-rows.js';
import { loadFeatureInputs, storeDecidedBatch, type DecidedBatch } from './order-store.js';
import { activateModel, activeModelRef, loadModel, nextModelVersion, saveModel } from './scoring-models.js';
import type { Database } from './schema.js';

/** Text that COPY's format must escape, and JSON that carries backslashes and quotes. */
const AWKWARD = 'tab\there\nnew line\\back slash\r"quoted"';

/** A message spelt the way no serializer would (spaces, key order), so the landing shows whether it kept the text. */
const landedText = (orderId: string) => `{ "orderId" : "${orderId}",  "note": ${JSON.stringify(AWKWARD)}, "simulation": {"pattern":"velocity_burst","isFraud":true} }`;

function decidedBatch(orderIds: string[], firstOffset = 0): DecidedBatch {
  const placedAt = (i: number) => `2026-11-21T0${i % 10}:15:00.123+07:00`;
  return {
    landed: orderIds.map((order_id, i) => ({
      topic: 'orders',
      partition: 1,
      offset: String(firstOffset + i),
      message_key: `U1 ${AWKWARD}`,
      order_id,
      message: landedText(order_id),
    })),
    orders: orderIds.map((order_id, i) => ({
      order_id,
      user_id: 'U1',
      product_id: 'P1',
      merchant_id: 'M1',
      quantity: 2,
      unit_price: '62500000.50',
      amount: '125000001.00',
      currency: 'IDR',
      payment_method: `OVO ${AWKWARD}`,
      country: 'ID',
      device_id: 'D1',
      ip: '10.1.2.3',
      ip_country: 'ID',
      is_vpn: i % 2 === 0,
      email: i % 2 === 0 ? 'Sri.Wahyuni@Example.co.id' : null,
      created_at: placedAt(i),
    })),
    decisions: orderIds.map((order_id, i) => ({
      order_id,
      decision: 'review',
      score: 55,
      status: 'fraud',
      is_fraud: true,
      reasons: JSON.stringify([{ ruleId: 'r1', reason: AWKWARD, score: 55 }]),
      rule_failures: i === 0 ? JSON.stringify([{ ruleId: 'r2', message: AWKWARD }]) : null,
      ruleset_id: 'default',
      ruleset_version: 1,
      latency_ms: 12.5,
      order_created_at: placedAt(i),
      decision_seq: 1_700_000_000_000_000 + firstOffset + i,
      risk_list_version: null,
      features: JSON.stringify({ 'user.orders1h': i, 'order.paymentMethod': AWKWARD }),
    })),
    shadows: orderIds.map((order_id, i) => ({
      order_id,
      ruleset_id: 'candidate',
      ruleset_version: 2,
      decision: 'decline',
      score: 90,
      reasons: JSON.stringify([{ ruleId: 'c1', reason: AWKWARD, score: 90 }]),
      rule_failures: null,
      order_created_at: placedAt(i),
    })),
    rejected: [
      {
        topic: 'orders',
        partition: 1,
        offset: String(firstOffset + orderIds.length),
        message_key: null,
        payload: `{"bad": ${AWKWARD}`,
        payload_encoding: 'utf8',
        error_kind: 'invalid_json',
        error: [{ field: '', message: AWKWARD }],
      },
    ],
  };
}

describe('storing decided batches on a real Postgres server', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  const count = (table: keyof Database) => countRows(oltp.db, table);

  beforeAll(async () => {
    testDb = await createTestDatabase('order_store');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await insertUsers(oltp.db, [
      { user_id: 'U1', first_name: 'Sri', last_name: 'Wahyuni', email: 'sri@example.co.id', default_payment: 'OVO', phone: null, country: 'ID' },
    ]);
    await upsertProducts(oltp.db, [{ product_id: 'P1', product_name: 'Buku', category: 'Books', price: '62500000.50' }]);
    await insertMerchants(oltp.db, [{ merchant_id: 'M1', merchant_name: 'Toko', category: 'Books', country: 'ID' }]);
  });
  afterAll(async () => {
    await oltp?.close();
    await testDb?.drop();
  });

  it('COPYs a batch into every table, escaping text exactly, and a redelivery changes nothing', async () => {
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    const batch = decidedBatch(ids);
    expect(await storeDecidedBatch(oltp, batch, { copyFromRows: 1 })).toEqual({ orders: 3, rejected: 1, path: 'copy' });

    const landed = await oltp.db.selectFrom('raw.order_events').select(['message_key', 'message']).orderBy('offset').execute();
    expect(landed[0]).toEqual({ message_key: `U1 ${AWKWARD}`, message: landedText(ids[0]!) });
    const evidence = await oltp.db.selectFrom('decisions').select(['decision_seq', 'features']).where('order_id', '=', ids[2]!).executeTakeFirst();
    expect(evidence).toEqual({ decision_seq: '1700000000000002', features: { 'user.orders1h': 2, 'order.paymentMethod': AWKWARD } });
    const shadow = await oltp.db.selectFrom('shadow_decisions').select(['ruleset_id', 'decision', 'reasons']).where('order_id', '=', ids[0]!).execute();
    expect(shadow).toEqual([{ ruleset_id: 'candidate', decision: 'decline', reasons: [{ ruleId: 'c1', reason: AWKWARD, score: 90 }] }]);
    const order = await oltp.db.selectFrom('orders').select(['payment_method', 'amount', 'email', 'is_vpn']).where('order_id', '=', ids[1]!).executeTakeFirst();
    expect(order).toEqual({ payment_method: `OVO ${AWKWARD}`, amount: '125000001.00', email: null, is_vpn: false });
    const decision = await oltp.db.selectFrom('decisions').select(['reasons', 'rule_failures', 'latency_ms']).where('order_id', '=', ids[0]!).executeTakeFirst();
    expect(decision).toEqual({ reasons: [{ ruleId: 'r1', reason: AWKWARD, score: 55 }], rule_failures: [{ ruleId: 'r2', message: AWKWARD }], latency_ms: '12.500' });
    const clean = await oltp.db.selectFrom('decisions').select('rule_failures').where('order_id', '=', ids[1]!).executeTakeFirst();
    expect(clean).toEqual({ rule_failures: null });
    const rejected = await oltp.db.selectFrom('raw.rejected_events').select(['payload', 'error']).executeTakeFirst();
    expect(rejected).toEqual({ payload: `{"bad": ${AWKWARD}`, error: [{ field: '', message: AWKWARD }] });

    expect(await storeDecidedBatch(oltp, batch, { copyFromRows: 1 })).toEqual({ orders: 0, rejected: 0, path: 'redelivery' });
    expect([await count('orders'), await count('decisions'), await count('order_labels'), await count('raw.order_events')]).toEqual([3, 3, 3, 3]);
    expect(await count('shadow_decisions')).toBe(3);
    expect(await count('raw.rejected_events')).toBe(1);
  });

  it('writes only the new rows of a batch that overlaps stored ones, and small batches take one statement', async () => {
    const before = await count('orders');
    const stored = await oltp.db.selectFrom('raw.order_events').select(['order_id', 'offset']).orderBy('offset').limit(2).execute();
    const fresh = [uuidv7(), uuidv7()];
    const [old, young] = [decidedBatch(stored.map((row) => row.order_id)), decidedBatch(fresh, 10)];
    const overlapping: DecidedBatch = {
      landed: [...old.landed, ...young.landed],
      orders: [...old.orders, ...young.orders],
      decisions: [...old.decisions, ...young.decisions],
      rejected: [],
      shadows: [...old.shadows!, ...young.shadows!, { ...old.shadows![0]!, ruleset_version: 3 }],
    };
    const shadowsBefore = await count('shadow_decisions');
    expect(await storeDecidedBatch(oltp, overlapping, { copyFromRows: 1 })).toEqual({ orders: 2, rejected: 0, path: 'redelivery' });
    expect(await count('orders')).toBe(before + 2);
    // the new orders' shadows only: an order stored earlier keeps the shadow decisions it was stored with
    expect(await count('shadow_decisions')).toBe(shadowsBefore + 2);
    expect(await count('raw.order_events')).toBe(before + 2);

    const small = decidedBatch([uuidv7()], 100);
    expect(await storeDecidedBatch(oltp, small)).toEqual({ orders: 1, rejected: 1, path: 'statement' });
    expect(await count('orders')).toBe(before + 3);
    const failures = await oltp.db.selectFrom('decisions').select('rule_failures').where('order_id', '=', small.orders[0]!.order_id).executeTakeFirst();
    expect(failures).toEqual({ rule_failures: [{ ruleId: 'r2', message: AWKWARD }] });
  });

  it('loads a batch of feature inputs in one statement, amounts and times as numbers, emails matched case-blind', async () => {
    const since = new Date('2026-11-20T00:00:00Z');
    const keys = { userIds: ['U1', 'U404'], deviceIds: [], ips: [], emails: [], since };
    const references = { userIds: ['U1', 'U404'], productIds: ['P1', 'P404'], merchantIds: ['M1'] };
    const inputs = await loadFeatureInputs(oltp, keys, references);
    // The prepared statement (through the pool) and the plain one (through kysely, as on PGlite) read the same.
    expect(await loadFeatureInputs({ db: oltp.db, pool: undefined }, keys, references)).toEqual(inputs);
    const total = await count('orders');
    expect(inputs.history).toHaveLength(total);
    expect(inputs.history.find((row) => row.email !== undefined && row.placedAtMs === Date.parse('2026-11-21T00:15:00.123+07:00'))).toEqual({
      orderId: expect.any(String),
      userId: 'U1',
      deviceId: 'D1',
      ip: '10.1.2.3',
      email: 'sri.wahyuni@example.co.id',
      amount: 125000001,
      placedAtMs: Date.parse('2026-11-21T00:15:00.123+07:00'),
    });
    // The profile the triggers keep: Σ amount² exact in numeric (125000001² × n), the latest order, what the orders used.
    const profile = {
      userId: 'U1',
      orders: total,
      totalAmount: 125000001 * total,
      amountSquares: `${125000001n * 125000001n * BigInt(total)}.0000`,
      lastOrderAtMs: Math.max(...inputs.history.map((row) => row.placedAtMs)),
      seen: { devices: { D1: total }, ipCountries: { ID: total }, paymentMethods: { [`OVO ${AWKWARD}`]: total } },
    };
    expect(inputs.users).toEqual([profile]);
    expect(inputs.fraudReports).toEqual([]);
    expect(inputs.known).toEqual({ products: new Set(['P1']), merchants: new Set(['M1']) });

    await oltp.db.insertInto('risk_list').values({ user_id: 'U1', risk_status: 'Watchlist', fraud_orders: 1, total_orders: total }).execute();
    const byEmail = await loadFeatureInputs(
      oltp,
      { userIds: [], deviceIds: [], ips: [], emails: ['sri.wahyuni@example.co.id'], since },
      { userIds: ['U1'], productIds: [], merchantIds: [] },
    );
    expect(byEmail.history.length).toBe(inputs.history.filter((row) => row.email !== undefined).length);
    expect(byEmail.history.length).toBeGreaterThan(0);
    expect(byEmail.users).toEqual([{ ...profile, riskStatus: 'Watchlist' }]);
    expect(byEmail.known).toEqual({ products: new Set(), merchants: new Set() });
    await oltp.db.deleteFrom('risk_list').execute();
  });

  it('files each fraud-labelled outcome under every key of its order, once, and reads the reports a batch asks for', async () => {
    const [reported, disputed] = await oltp.db.selectFrom('orders').select(['order_id', 'device_id', 'email']).orderBy('order_id').limit(2).execute();
    const outcome = (outcomeId: string, orderId: string, label: 'fraud' | 'legitimate' | null, knownAt: string) => ({
      outcome_id: outcomeId,
      order_id: orderId,
      kind: 'chargeback' as const,
      label,
      occurred_at: knownAt,
      known_at: knownAt,
      message: JSON.stringify({ outcomeId }),
    });
    await oltp.db
      .insertInto('order_outcomes')
      .values([
        outcome('cb-1', reported!.order_id, 'fraud', '2026-11-25T00:00:00Z'),
        outcome('refund-1', reported!.order_id, 'fraud', '2026-11-23T00:00:00Z'),
        outcome('cb-2', disputed!.order_id, null, '2026-11-24T00:00:00Z'),
      ])
      .execute();
    const reports = await oltp.db.selectFrom('fraud_reports').select(['entity', 'key', 'order_id', 'known_at']).orderBy('entity').execute();
    const domain = reported!.email?.split('@')[1]?.toLowerCase();
    expect(reports.map((row) => [row.entity, row.key])).toEqual([
      ['device', 'D1'],
      ...(domain ? [['email_domain', domain]] : []),
      ['ip', '10.1.2.3'],
      ['merchant', 'M1'],
      ['product', 'P1'],
    ]);
    // the earliest known fraud outcome of the order is the report; the dispute files nothing
    expect(new Set(reports.map((row) => `${row.order_id} ${row.known_at.toISOString()}`))).toEqual(new Set([`${reported!.order_id} 2026-11-23T00:00:00.000Z`]));

    const keys = { userIds: [], deviceIds: [], ips: [], emails: [], since: new Date('2026-11-20T00:00:00Z') };
    const references = { userIds: [], productIds: [], merchantIds: [] };
    const read = (since: string) =>
      loadFeatureInputs(oltp, keys, references, { merchantIds: ['M1'], productIds: [], deviceIds: ['D404'], ips: [], emailDomains: [], since: new Date(since) });
    expect((await read('2026-11-01T00:00:00Z')).fraudReports).toEqual([
      { entity: 'merchant', key: 'M1', orderId: reported!.order_id, placedAtMs: expect.any(Number), knownAtMs: Date.parse('2026-11-23T00:00:00Z'), recordedAtMs: expect.any(Number) },
    ]);
    expect((await read('2026-11-24T00:00:00Z')).fraudReports).toEqual([]);
  });

  it('stores scoring models as versions and keeps exactly one live', async () => {
    expect(await nextModelVersion(oltp.db, 'lr')).toBe(1);
    await saveModel(oltp.db, { id: 'lr', version: 1 });
    expect(await nextModelVersion(oltp.db, 'lr')).toBe(2);
    await saveModel(oltp.db, { id: 'lr', version: 2 });
    await expect(saveModel(oltp.db, { id: 'lr', version: 2 })).rejects.toThrow();
    expect(await activeModelRef(oltp.db)).toBeUndefined();
    await activateModel(oltp.db, { model_id: 'lr', version: 1 });
    await activateModel(oltp.db, { model_id: 'lr', version: 2 });
    expect(await activeModelRef(oltp.db)).toEqual({ model_id: 'lr', version: 2 });
    await expect(activateModel(oltp.db, { model_id: 'lr', version: 9 })).rejects.toThrow('scoring model lr@9 is not stored');
    expect(await activeModelRef(oltp.db)).toEqual({ model_id: 'lr', version: 2 });
    const statuses = await oltp.db.selectFrom('scoring_models').select(['version', 'status']).orderBy('version').execute();
    expect(statuses).toEqual([
      { version: 1, status: 'retired' },
      { version: 2, status: 'active' },
    ]);
    expect(await loadModel(oltp.db, { model_id: 'lr', version: 1 })).toEqual({ id: 'lr', version: 1 });
    await oltp.db.deleteFrom('scoring_models').execute();
  });
});
