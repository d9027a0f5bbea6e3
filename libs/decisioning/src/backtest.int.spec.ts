import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase, replaceRiskList, saveRuleset, setShadow, type OltpDatabase } from '@fraudline/db';
import { encodeOrderPlaced, orderMessageKey, type OrderPlacedV1Input } from '@fraudline/events';
import { compileRuleset, defaultRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import { generateOrders, type Catalog } from '@fraudline/generators';
import { recordOutcome } from '@fraudline/outcomes';
import { KafkaLog, type OutgoingMessage } from '@fraudline/streaming';
import { createTestDatabase, requireService, waitFor, type TestDatabase } from '@fraudline/testing';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { runBacktest } from './backtest.js';
import { startOrderSubscriber } from './order-subscriber.js';
import { replayPeriod } from './replay.js';

const DAY_MS = 86_400_000;
const WEEK_START = new Date('2026-11-09T00:00:00+07:00');
const TIME_ZONE = 'Asia/Jakarta';

describe('backtest on decisions made by the subscriber on real Kafka and Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  let log: KafkaLog;
  let catalog: Catalog;

  beforeAll(async () => {
    const { KAFKA_BROKERS } = await requireService('kafka');
    testDb = await createTestDatabase('backtest');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 41, users: 200, products: 40, merchants: 10, devices: 40 });
    catalog = await producerCatalog(oltp.db);
    log = new KafkaLog({ brokers: KAFKA_BROKERS!.split(','), clientId: 'backtest-int' });
  }, 120_000);
  afterAll(async () => {
    await log?.close();
    await oltp?.close();
    await testDb?.drop();
  });

  const storedOrders = async () => Number((await oltp.db.selectFrom('decisions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  /** Sends orders through a running subscriber (three partitions) and waits until all are stored. */
  async function decide(topic: string, batches: OrderPlacedV1Input[][], between: (index: number) => Promise<void> = async () => undefined): Promise<void> {
    await log.ensureTopic(topic, 3);
    const subscriber = await startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      groupId: `backtest-${topic}`,
      topic,
      deadLetterTopic: `${topic}.dlq`,
      timeZone: TIME_ZONE,
      rulesetRefreshMs: 50,
      maxBatchSize: 100,
    });
    try {
      const producer = await log.producer();
      for (const [index, orders] of batches.entries()) {
        const before = await storedOrders();
        const messages: OutgoingMessage[] = orders.map((order) => ({ key: orderMessageKey(order), value: encodeOrderPlaced(order) }));
        for (let i = 0; i < messages.length; i += 500) await producer.send(topic, messages.slice(i, i + 500));
        await waitFor(`batch ${index}`, async () => (await storedOrders()) === before + orders.length, 120_000, 100);
        await between(index);
      }
      await producer.disconnect();
    } finally {
      await subscriber.stop();
    }
  }

  it('replays a generated week and reproduces every stored decision and its evidence, across two risk-list versions', async () => {
    const week = generateOrders({ seed: 42, catalog, count: 3500, from: WEEK_START, to: new Date(WEEK_START.getTime() + 7 * DAY_MS) });
    const users = catalog.users.map((user) => user.userId);
    const listed = (from: number) => users.slice(from, from + 12).map((user_id, i) => ({ user_id, risk_status: i % 2 ? ('Watchlist' as const) : ('Blacklist' as const), fraud_orders: 2, total_orders: 3 }));
    await replaceRiskList(oltp.db, listed(0), new Date(), 'test');
    // A shadow beside the live ruleset: its backtest must reproduce its shadow decisions as the live one's does the stored ones.
    const cautious: RulesetDocument = { ...defaultRuleset, id: 'cautious', version: 1, thresholds: { review: 20, decline: 50 } };
    await saveRuleset(oltp.db, { ruleset_id: 'cautious', version: 1, document: cautious as unknown as Record<string, unknown> });
    expect(await setShadow(oltp.db, { ruleset_id: 'cautious', version: 1 }, true)).toBe(true);
    const half = week.findIndex((order) => Date.parse(order.placedAt) >= WEEK_START.getTime() + 4 * DAY_MS);
    // A UTC day at a time, as a live stream stores each day before the next begins: a merchant's orders of the days
    // before an order are then all stored when its batch is read (the bound merchant.orders7d is exact within).
    const utcDay = (order: OrderPlacedV1Input) => Math.floor(Date.parse(order.placedAt) / DAY_MS);
    const firstDay = utcDay(week[0]!);
    const days = Array.from({ length: utcDay(week[week.length - 1]!) - firstDay + 1 }, (_, day) => week.filter((order) => utcDay(order) === firstDay + day));
    // After the fifth UTC day, the first half's fraud is reported (known a day after each order): the second half's merchant,
    // device and IP reports count them, and only those known before each order.
    const reported = week.slice(0, half).filter((order) => order.simulation.isFraud);
    await decide(`backtest-week-${randomUUID()}`, days, async (index) => {
      if (index !== 4) return;
      await replaceRiskList(oltp.db, listed(6), new Date(), 'test');
      for (const order of reported) {
        const knownAt = new Date(Date.parse(order.placedAt) + DAY_MS).toISOString();
        await recordOutcome(oltp.db, { type: 'OrderOutcome', version: 1, outcomeId: `refund-${order.orderId}`, orderId: order.orderId, kind: 'fraud_refund', amount: order.amount, currency: 'IDR', occurredAt: knownAt, knownAt });
      }
    });
    expect(reported.length).toBeGreaterThan(20);

    // Day 1 to day 6: day 0 is the history the first replayed decisions saw.
    const period = { from: new Date(WEEK_START.getTime() + DAY_MS), to: new Date(WEEK_START.getTime() + 7 * DAY_MS) };
    const live = compileRuleset(defaultRuleset);
    const report = await runBacktest(oltp, { ruleset: live, period, timeZone: TIME_ZONE, pageSize: 500 });
    const inPeriod = week.filter((order) => Date.parse(order.placedAt) >= period.from.getTime()).length;
    expect(report.periodOrders).toBe(inPeriod);
    expect(report.unordered).toBe(0);
    expect(report.sameRuleset).toEqual({ orders: inPeriod, reproduced: inPeriod });
    expect(report.changes).toEqual({});
    // The reports did reach the second half's decisions, so the replay reproduced them too.
    const withReports = await oltp.db.selectFrom('decisions').select(sql<number>`count(*)`.as('n')).where(sql<boolean>`(features->>'merchant.reportedOrders7d')::int > 0`).executeTakeFirstOrThrow();
    expect(Number(withReports.n)).toBeGreaterThan(0);
    expect(report.backtested).toEqual(report.stored);
    const shadow = await runBacktest(oltp, { ruleset: compileRuleset(cautious), period, timeZone: TIME_ZONE, pageSize: 700 });
    expect(shadow.shadowed).toEqual({ orders: inPeriod, reproduced: inPeriod });
    expect(Object.keys(shadow.changes).length).toBeGreaterThan(0);
    await setShadow(oltp.db, { ruleset_id: 'cautious', version: 1 }, false);

    // The evidence each decision stored is what the replay recomputes, and the week exercised the windows and both lists.
    const evidence: { stored: unknown; replayed: unknown }[] = [];
    const seen = { velocity: 0, shared: 0, lists: new Set<number | null>(), listed: 0 };
    const features = new Map((await oltp.db.selectFrom('decisions').select(['order_id', 'features']).execute()).map((row) => [row.order_id, row.features]));
    await replayPeriod(oltp, { period, timeZone: TIME_ZONE, pageSize: 500 }, ({ stored, snapshot }) => {
      evidence.push({ stored: features.get(stored.order_id), replayed: live.evidence(snapshot) });
      if (snapshot.user.orders24h > 0) seen.velocity++;
      if (snapshot.device.distinctUsers24h + snapshot.ip.distinctUsers24h + snapshot.email.distinctUsers24h > 0) seen.shared++;
      if (snapshot.user.riskStatus !== 'Good Standing') seen.listed++;
      seen.lists.add(stored.risk_list_version);
    });
    expect(evidence).toHaveLength(inPeriod);
    expect(evidence.filter((e) => !sameJson(e.stored, e.replayed))).toEqual([]);
    expect(seen.velocity).toBeGreaterThan(inPeriod / 2);
    expect(seen.shared).toBeGreaterThan(0);
    expect(seen.listed).toBeGreaterThan(0);
    expect(seen.lists).toEqual(new Set([1, 2]));
    expect(report.stored.byDecision.decline).toBeGreaterThan(0);
  }, 300_000);

  it('reports the outcomes a changed ruleset would change, with precision and recall against the labels', async () => {
    // One account, five orders a minute apart on a quiet weekday morning; nothing else about them is risky.
    const [template] = generateOrders({ seed: 7, catalog, count: 1, from: WEEK_START, to: new Date(WEEK_START.getTime() + DAY_MS) });
    const user = catalog.users[150]!.userId;
    const placed = new Date('2026-11-20T10:00:00+07:00').getTime();
    const orders: OrderPlacedV1Input[] = Array.from({ length: 5 }, (_, i) => ({
      ...template!,
      orderId: uuidv7({ msecs: placed + i * 60_000 }),
      userId: user,
      quantity: 1,
      unitPrice: '200000.00',
      amount: '200000.00',
      paymentMethod: 'Credit Card',
      country: 'ID',
      placedAt: new Date(placed + i * 60_000).toISOString(),
      device: { ...template!.device, deviceId: `fixture-device-${user}`, ip: '10.20.30.40', ipCountry: 'ID', isVpn: false },
      customer: { email: `fixture-${user}@example.com`, accountCreatedAt: '2025-01-01T00:00:00+07:00' },
      simulation: undefined,
    }));
    await decide(`backtest-fixture-${randomUUID()}`, [orders]);
    const ids = orders.map((order) => order.orderId);
    await recordOutcome(oltp.db, { type: 'OrderOutcome', version: 1, outcomeId: 'cb-5', orderId: ids[4]!, kind: 'chargeback', reasonCode: '10.4', category: 'fraud', amount: '200000.00', occurredAt: '2026-11-25T10:00:00+07:00', knownAt: '2026-11-27T10:00:00+07:00' });
    await recordOutcome(oltp.db, { type: 'OrderOutcome', version: 1, outcomeId: 'ok-3', orderId: ids[2]!, kind: 'customer_confirmation', occurredAt: '2026-11-21T10:00:00+07:00', knownAt: '2026-11-21T10:00:00+07:00' });

    // The live rules see 0..4 earlier orders in 10 minutes and fire only from 3 (25 points: approve). The change fires from 2, for 40 points: review.
    const strict: RulesetDocument = {
      ...defaultRuleset,
      id: 'strict',
      version: 1,
      rules: defaultRuleset.rules.map((rule) => (rule.id === 'velocity-orders-10m' ? { ...rule, when: 'user.orders10m >= 2', score: 40 } : rule)),
    };
    const period = { from: new Date('2026-11-20T00:00:00+07:00'), to: new Date('2026-11-21T00:00:00+07:00') };
    const now = new Date('2026-12-01T00:00:00+07:00');
    const report = await runBacktest(oltp, { ruleset: compileRuleset(strict), period, timeZone: TIME_ZONE, now });
    const stored = await oltp.db.selectFrom('decisions').select(['order_id', 'decision', 'score']).where('order_id', 'in', ids).execute();
    expect(new Map(stored.map((d) => [d.order_id, `${d.decision} ${d.score}`]))).toEqual(new Map(ids.map((id, i) => [id, i >= 3 ? 'approve 25' : 'approve 0'])));

    expect(report.periodOrders).toBe(5);
    expect(report.changes).toEqual({ 'approve→review': 3 });
    expect(report.changed).toEqual([
      { orderId: ids[2], label: 'legitimate', from: { decision: 'approve', score: 0, rules: [] }, to: { decision: 'review', score: 40, rules: ['velocity-orders-10m'] } },
      { orderId: ids[3], label: 'unknown', from: { decision: 'approve', score: 25, rules: ['velocity-orders-10m'] }, to: { decision: 'review', score: 40, rules: ['velocity-orders-10m'] } },
      { orderId: ids[4], label: 'fraud', from: { decision: 'approve', score: 25, rules: ['velocity-orders-10m'] }, to: { decision: 'review', score: 40, rules: ['velocity-orders-10m'] } },
    ]);
    expect(report.backtested).toMatchObject({ byDecision: { approve: 2, review: 3, decline: 0 }, truePositives: 1, falsePositives: 1, falseNegatives: 0, unknown: 3, precision: 0.5, recall: 1, fraudAmountRecall: 1 });
    expect(report.backtested.f1).toBeCloseTo(2 / 3, 12);
    expect(report.stored).toMatchObject({ byDecision: { approve: 5, review: 0, decline: 0 }, truePositives: 0, falseNegatives: 1, trueNegatives: 1, precision: undefined, recall: 0 });
    expect(report.rules).toEqual([{ ruleId: 'velocity-orders-10m', fires: 3, fraudFires: 1, legitimateFires: 1, precision: 0.5 }]);
    expect(report.sameRuleset.orders).toBe(0);

    // The stored ruleset reproduces itself on the same orders; as of a later day, the unlabelled orders count as legitimate.
    const later = await runBacktest(oltp, { ruleset: compileRuleset(defaultRuleset), period, timeZone: TIME_ZONE, now: new Date('2027-01-01T00:00:00+07:00') });
    expect(later.sameRuleset).toEqual({ orders: 5, reproduced: 5 });
    expect(later.backtested).toMatchObject({ unknown: 0, trueNegatives: 4, falseNegatives: 1, recall: 0 });
  }, 180_000);
});

const sameJson = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const sortKeys = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sortKeys(v)])) : value;

