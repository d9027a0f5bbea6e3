import { seedCatalog, producerCatalog } from '@fraudline/catalog';
import { activateRuleset, countRows, migrateToLatest, openDatabase, saveRuleset, setShadow, type OltpDatabase } from '@fraudline/db';
import { encodeOrderOutcome, encodeOrderPlaced, MAX_MESSAGE_BYTES, orderMessageKey, type OrderPlacedV1Input } from '@fraudline/events';
import { compileRuleset, defaultRuleset } from '@fraudline/fraud-rules';
import { generateOrders, type Catalog } from '@fraudline/generators';
import { KafkaLog, type LogMessage, type OutgoingMessage } from '@fraudline/streaming';
import { createTestDatabase, requireService, type TestDatabase } from '@fraudline/testing';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import { startOrderSubscriber, type OrderSubscriber, type OrderSubscriberOptions } from './order-subscriber.js';
import { startOutcomeSubscriber } from './outcome-subscriber.js';
import { runBacktest } from './backtest.js';
import { trainScoringModel } from './train-model.js';
import { PartitionHealth } from './partition-health.js';

const logger = pino({ level: 'silent' });
const DAY = { from: new Date('2026-11-20T00:00:00+07:00'), to: new Date('2026-11-21T00:00:00+07:00') };

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('order subscriber on real Kafka and Postgres', () => {
  let testDb: TestDatabase;
  let oltp: OltpDatabase;
  let log: KafkaLog;
  let catalog: Catalog;

  beforeAll(async () => {
    const { KAFKA_BROKERS } = await requireService('kafka');
    testDb = await createTestDatabase('decisioning');
    oltp = await openDatabase({ kind: 'postgres', url: testDb.url });
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 11, users: 300, products: 60, merchants: 12, devices: 50 });
    catalog = await producerCatalog(oltp.db);
    log = new KafkaLog({ brokers: KAFKA_BROKERS!.split(','), clientId: 'decisioning-int' });
  }, 120_000);
  afterAll(async () => {
    await log?.close();
    await oltp?.close();
    await testDb?.drop();
  });

  const count = (table: 'orders' | 'decisions' | 'order_labels') => countRows(oltp.db, table);
  const countOnTopic = async (table: 'raw.order_events' | 'raw.rejected_events', topic: string) =>
    Number(
      (
        await oltp.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('topic', '=', topic)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const producer = await log.producer();
    for (let i = 0; i < messages.length; i += 500) await producer.send(topic, messages.slice(i, i + 500));
    await producer.disconnect();
  }

  const start = (
    topic: string,
    groupId: string,
    onStored?: (messages: readonly unknown[]) => void,
    maxBatchSize = 200,
    more: Partial<OrderSubscriberOptions> = {},
  ) =>
    startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger,
      groupId,
      topic,
      deadLetterTopic: `${topic}.dlq`,
      timeZone: 'Asia/Jakarta',
      rulesetRefreshMs: 50,
      maxBatchSize,
      onStored,
      ...more,
    });

  const asMessage = (order: OrderPlacedV1Input): OutgoingMessage => ({ key: orderMessageKey(order), value: encodeOrderPlaced(order) });

  /** 50 messages the subscriber must reject, 10 of each kind. */
  function poisonMessages(template: OrderPlacedV1Input): OutgoingMessage[] {
    return Array.from({ length: 10 }).flatMap((_, i) => [
      { key: 'poison', value: `{"type":"OrderPlaced","version":1,"orderId":` },
      { key: 'poison', value: JSON.stringify({ ...template, orderId: randomUUID(), quantity: -i }) },
      { key: 'poison', value: JSON.stringify({ ...template, version: 99 }) },
      { key: 'poison', value: Buffer.alloc(MAX_MESSAGE_BYTES + 1 + i, 0x61) },
      asMessage({ ...template, orderId: template.orderId.slice(0, -4) + String(1000 + i).slice(-4), userId: `GHOST${i}` }),
    ]);
  }

  it('decides 4,950 of 5,000 messages exactly once, live and in shadow, rejects the 50 poison ones with reasons, and survives a restart mid-stream', async () => {
    const topic = `orders-${randomUUID()}`;
    // A shadow with the live rules and lower thresholds: the same scores, some other outcomes, none of them applied.
    const cautious = { ruleset_id: 'cautious', version: 1 };
    await saveRuleset(oltp.db, { ...cautious, document: { ...defaultRuleset, id: 'cautious', version: 1, thresholds: { review: 20, decline: 50 } } });
    expect(await setShadow(oltp.db, cautious, true)).toBe(true);
    await log.ensureTopic(topic, 3);
    const orders = generateOrders({ seed: 21, catalog, count: 4950, ...DAY });
    const poison = poisonMessages(orders[0]!);
    const messages = orders.map(asMessage);
    for (const [i, message] of poison.entries()) messages.splice(100 * i + 7, 0, message);
    expect(messages).toHaveLength(5000);
    await send(topic, messages);

    // Stop from inside the stream, as soon as 1,000 messages are stored, so the restart really happens mid-stream.
    let stored = 0;
    let subscriber: OrderSubscriber | undefined;
    let stopping: Promise<void> | undefined;
    const stopAfterThousand = () => {
      if (stored >= 1000 && subscriber) stopping ??= subscriber.stop();
    };
    subscriber = await start(topic, `restart-${topic}`, (messages) => {
      stored += messages.length;
      stopAfterThousand();
    });
    stopAfterThousand();
    await waitFor('the stop after 1,000 messages', async () => stopping !== undefined);
    await stopping;
    const decidedBeforeRestart = await countOnTopic('raw.order_events', topic);
    expect(decidedBeforeRestart).toBeLessThan(4950);

    subscriber = await start(topic, `restart-${topic}`);
    await waitFor('the whole topic', async () => (await subscriber!.lag()) === 0 && (await countOnTopic('raw.order_events', topic)) === 4950);
    await subscriber!.stop();

    expect(await countOnTopic('raw.order_events', topic)).toBe(4950);
    expect(await countOnTopic('raw.rejected_events', topic)).toBe(50);
    expect(await count('orders')).toBe(4950);
    expect(await count('decisions')).toBe(4950);
    const kinds = await oltp.db
      .selectFrom('raw.rejected_events')
      .select(['error_kind', (eb) => eb.fn.countAll<string>().as('n')])
      .where('topic', '=', topic)
      .groupBy('error_kind')
      .orderBy('error_kind')
      .execute();
    expect(kinds.map((k) => [k.error_kind, Number(k.n)])).toEqual([
      ['invalid_json', 10],
      ['oversized', 10],
      ['schema_violation', 10],
      ['unknown_reference', 10],
      ['unknown_version', 10],
    ]);
    const ghost = await oltp.db.selectFrom('raw.rejected_events').select('error').where('error_kind', '=', 'unknown_reference').executeTakeFirstOrThrow();
    expect(ghost.error).toEqual([{ field: 'userId', message: expect.stringMatching(/^no userId "GHOST\d" in the catalog$/) }]);
    expect(await count('order_labels')).toBe(4950);
    const versions = await oltp.db.selectFrom('decisions').select(['ruleset_id', 'ruleset_version']).distinct().execute();
    expect(versions).toEqual([{ ruleset_id: 'default', ruleset_version: defaultRuleset.version }]);

    const dlq = log.consumer({ groupId: `dlq-${topic}`, topic: `${topic}.dlq` });
    const dead: string[] = [];
    await dlq.start(async (batch) => void dead.push(...batch.messages.map((m) => m.headers['x-error-kind']!)));
    await waitFor('the dead letters', async () => dead.length >= 50);
    await dlq.stop();
    expect(dead).toHaveLength(50);

    // Every order has exactly one shadow decision (the key allows no second), scored like the live one, decided by its own thresholds.
    await setShadow(oltp.db, cautious, false);
    const pairs = await oltp.db
      .selectFrom('shadow_decisions as s')
      .innerJoin('decisions as d', 'd.order_id', 's.order_id')
      .innerJoin('raw.order_events as e', 'e.order_id', 's.order_id')
      .select(['s.ruleset_id', 's.ruleset_version', 's.decision as shadow', 's.score as shadowScore', 'd.decision as live', 'd.score as liveScore'])
      .where('e.topic', '=', topic)
      .execute();
    expect(pairs).toHaveLength(4950);
    expect(new Set(pairs.map((p) => `${p.ruleset_id}@${p.ruleset_version}`))).toEqual(new Set(['cautious@1']));
    expect(pairs.filter((p) => p.shadowScore !== p.liveScore)).toEqual([]);
    const expected = (score: number, live: string) => (live === 'approve' && score >= 20 ? (score >= 50 ? 'decline' : 'review') : live === 'review' && score >= 50 ? 'decline' : live);
    expect(pairs.filter((p) => p.shadow !== expected(p.shadowScore, p.live))).toEqual([]);
    expect(pairs.filter((p) => p.shadow !== p.live).length).toBeGreaterThan(0);
  }, 180_000);

  it('records the new ruleset version on orders decided after it is activated, without a restart', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const [first, second] = [0, 1].map((half) =>
      generateOrders({
        seed: 31 + half,
        catalog,
        count: 200,
        from: new Date(DAY.from.getTime() + half * 86_400_000),
        to: new Date(DAY.to.getTime() + half * 86_400_000),
      }),
    );
    const subscriber = await start(topic, `ruleset-${topic}`);
    await send(topic, first!.map(asMessage));
    await waitFor('the first half', async () => (await countOnTopic('raw.order_events', topic)) === 200);

    const next = defaultRuleset.version + 1;
    await saveRuleset(oltp.db, { ruleset_id: 'default', version: next, document: { ...defaultRuleset, version: next } });
    await activateRuleset(oltp.db, { ruleset_id: 'default', version: next });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await send(topic, second!.map(asMessage));
    await waitFor('the second half', async () => (await countOnTopic('raw.order_events', topic)) === 400);
    await subscriber.stop();

    const versionOf = async (ids: string[]) =>
      (await oltp.db.selectFrom('decisions').select('ruleset_version').distinct().where('order_id', 'in', ids).execute()).map((r) => r.ruleset_version);
    expect(await versionOf(first!.map((o) => o.orderId))).toEqual([defaultRuleset.version]);
    expect(await versionOf(second!.map((o) => o.orderId))).toEqual([next]);
  }, 120_000);

  it('scores orders with a newly trained model from the next batch on, then with a retrained version, without a restart', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    // Three days of their own, so training and the replay see only these orders.
    const dayMs = 86_400_000;
    const first = new Date('2026-10-01T00:00:00+07:00').getTime();
    const day = (i: number) => ({ from: new Date(first + i * dayMs), to: new Date(first + (i + 1) * dayMs) });
    const days = [0, 1, 2].map((i) => generateOrders({ seed: 61 + i, catalog, count: 300, fraudRate: 0.05, ...day(i) }));
    // The built-in ruleset decides (an earlier test made another version live), so its backtest can reproduce them.
    await activateRuleset(oltp.db, { ruleset_id: defaultRuleset.id, version: defaultRuleset.version });
    const subscriber = await start(topic, `model-${topic}`);
    const train = (through: number) =>
      trainScoringModel(oltp, { period: { from: day(0).from, to: day(through).to }, timeZone: 'Asia/Jakarta', truth: 'simulation', numSteps: 100, activate: true });
    const trained: Awaited<ReturnType<typeof train>>[] = [];
    try {
      for (const [i, orders] of days.entries()) {
        if (i > 0) {
          trained.push(await train(i - 1));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await send(topic, orders.map(asMessage));
        await waitFor(`day ${i}`, async () => (await countOnTopic('raw.order_events', topic)) === 300 * (i + 1));
      }
    } finally {
      await subscriber.stop();
      await oltp.db.updateTable('scoring_models').set({ status: 'retired' }).where('status', '=', 'active').execute();
    }
    expect(trained.map((t) => [t.ref, t.activated])).toEqual([
      [{ model_id: 'fraud-lr', version: 1 }, true],
      [{ model_id: 'fraud-lr', version: 2 }, true],
    ]);
    const scoredBy = async (orders: OrderPlacedV1Input[]) =>
      oltp.db
        .selectFrom('decisions')
        .select(['model_id', 'model_version', sql<number | null>`(features->>'model.score')::float8`.as('score')])
        .where('order_id', 'in', orders.map((o) => o.orderId))
        .execute();
    const [unscored, byFirst, bySecond] = await Promise.all(days.map(scoredBy));
    expect(new Set(unscored!.map((d) => `${d.model_id}@${d.model_version}`))).toEqual(new Set(['null@null']));
    expect(unscored!.every((d) => d.score === 0)).toBe(true);
    expect(new Set(byFirst!.map((d) => `${d.model_id}@${d.model_version}`))).toEqual(new Set(['fraud-lr@1']));
    expect(new Set(bySecond!.map((d) => `${d.model_id}@${d.model_version}`))).toEqual(new Set(['fraud-lr@2']));
    // The score is the model's probability, and it separates the generator's fraud from the rest.
    const fraud = new Set(days[2]!.filter((o) => o.simulation.isFraud).map((o) => o.orderId));
    const scores = await oltp.db
      .selectFrom('decisions')
      .select(['order_id', sql<number>`(features->>'model.score')::float8`.as('score')])
      .where('order_id', 'in', days[2]!.map((o) => o.orderId))
      .execute();
    const mean = (rows: typeof scores) => rows.reduce((sum, r) => sum + r.score, 0) / rows.length;
    expect(scores.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
    expect(mean(scores.filter((r) => fraud.has(r.order_id)))).toBeGreaterThan(2 * mean(scores.filter((r) => !fraud.has(r.order_id))));
    // The replay scores each decision with the model it was scored by, so the backtest reproduces all three days.
    const report = await runBacktest(oltp, { ruleset: compileRuleset(defaultRuleset), period: { from: day(0).from, to: day(2).to }, timeZone: 'Asia/Jakarta' });
    expect(report.sameRuleset).toEqual({ orders: 900, reproduced: 900 });
  }, 180_000);

  it('keeps deciding with the last good ruleset when the activated version does not compile', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const [first, second] = [0, 1].map((half) => generateOrders({ seed: 83 + half, catalog, count: 50, ...DAY }));
    const subscriber = await start(topic, `broken-ruleset-${topic}`);
    await send(topic, first!.map(asMessage));
    await waitFor('the first orders', async () => (await countOnTopic('raw.order_events', topic)) === 50);
    const live = await oltp.db.selectFrom('rulesets').select(['ruleset_id', 'version']).where('status', '=', 'active').executeTakeFirstOrThrow();

    // Written straight to the table, as a bad migration or a hand edit would, past any validation.
    const [rule, ...rest] = defaultRuleset.rules;
    const broken = { ...defaultRuleset, id: 'broken', version: 1, rules: [{ ...rule!, when: `${rule!.when} &&` }, ...rest] };
    await saveRuleset(oltp.db, { ruleset_id: 'broken', version: 1, document: broken });
    try {
      await activateRuleset(oltp.db, { ruleset_id: 'broken', version: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await send(topic, second!.map(asMessage));
      await waitFor('the later orders', async () => (await countOnTopic('raw.order_events', topic)) === 100);
      expect((await subscriber.metrics.rulesetsRejected.get()).values[0]?.value).toBe(1);
    } finally {
      await activateRuleset(oltp.db, live);
      await subscriber.stop();
    }
    const rulesets = await oltp.db
      .selectFrom('decisions')
      .select(['ruleset_id', 'ruleset_version'])
      .distinct()
      .where(
        'order_id',
        'in',
        second!.map((o) => o.orderId),
      )
      .execute();
    expect(rulesets).toEqual([{ ruleset_id: live.ruleset_id, ruleset_version: live.version }]);
  }, 60_000);

  it('decides every order when a rule fails at run time, records the failure on the decision, and never retries the batch', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const orders = generateOrders({ seed: 97, catalog, count: 60, ...DAY });
    const live = await oltp.db.selectFrom('rulesets').select(['ruleset_id', 'version']).where('status', '=', 'active').executeTakeFirstOrThrow();
    // Valid CEL that type-checks but throws (index out of bounds) for every order placed from noon on, business time.
    const failing = {
      ...defaultRuleset,
      id: 'fails-at-run-time',
      version: 1,
      examples: undefined,
      rules: [...defaultRuleset.rules, { id: 'indexed', description: 'indexes a short list', when: '[1][int(order.hourLocal) / 12] > 5', score: 50, reason: 'indexed' }],
    };
    await saveRuleset(oltp.db, { ruleset_id: failing.id, version: 1, document: failing });
    await activateRuleset(oltp.db, { ruleset_id: failing.id, version: 1 });
    const subscriber = await start(topic, `failing-rule-${topic}`);
    try {
      await send(topic, orders.map(asMessage));
      await waitFor('every order', async () => (await countOnTopic('raw.order_events', topic)) === 60);
      expect((await subscriber.metrics.batchRetries.get()).values[0]?.value ?? 0).toBe(0);
      const failures = (await subscriber.metrics.ruleFailures.get()).values;
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((value) => value.labels.rule === 'indexed' && value.labels.ruleset === 'fails-at-run-time@1')).toBe(true);
    } finally {
      await subscriber.stop();
      await activateRuleset(oltp.db, live);
    }
    const decisions = await oltp.db
      .selectFrom('decisions')
      .select(['order_id', 'rule_failures', 'ruleset_id'])
      .where(
        'order_id',
        'in',
        orders.map((o) => o.orderId),
      )
      .execute();
    expect(decisions).toHaveLength(60);
    const failed = decisions.filter((d) => d.rule_failures !== null);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(60);
    expect(failed[0]!.rule_failures).toEqual([{ ruleId: 'indexed', message: expect.stringContaining('index out of bounds') }]);
    expect(new Set(decisions.map((d) => d.ruleset_id))).toEqual(new Set(['fails-at-run-time']));
  }, 60_000);

  it('records the outcomes topic once per outcome id and dead-letters the bad ones with their reason', async () => {
    const topic = `orders-${randomUUID()}`;
    const outcomesTopic = `order-outcomes-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const orders = generateOrders({ seed: 131, catalog, count: 3, ...DAY });
    const subscriber = await start(topic, `outcome-orders-${topic}`);
    await send(topic, orders.map(asMessage));
    await waitFor('the orders', async () => (await countOnTopic('raw.order_events', topic)) === 3);
    await subscriber.stop();

    const outcomes = await startOutcomeSubscriber({ db: oltp.db, log, registry: new Registry(), logger: pino({ level: 'silent' }), groupId: `g-${outcomesTopic}`, topic: outcomesTopic });
    const at = { occurredAt: '2026-11-25T10:00:00+07:00', knownAt: '2026-11-27T09:00:00+07:00' };
    const verdict = { type: 'OrderOutcome' as const, version: 1 as const, outcomeId: 'kafka-1', orderId: orders[0]!.orderId, kind: 'analyst_verdict' as const, verdict: 'fraud' as const, analyst: 'budi', ...at };
    const chargeback = { type: 'OrderOutcome' as const, version: 1 as const, outcomeId: 'kafka-2', orderId: orders[1]!.orderId, kind: 'chargeback' as const, reasonCode: '10.4', category: 'fraud' as const, amount: '1000', ...at };
    try {
      await send(outcomesTopic, [
        { key: verdict.orderId, value: encodeOrderOutcome(verdict) },
        { key: verdict.orderId, value: encodeOrderOutcome(verdict) },
        { key: verdict.orderId, value: encodeOrderOutcome({ ...verdict, verdict: 'legitimate' as const }) },
        { key: chargeback.orderId, value: encodeOrderOutcome(chargeback) },
        { key: 'x', value: '{"type":"OrderOutcome",' },
        { key: 'y', value: encodeOrderOutcome({ ...chargeback, outcomeId: 'kafka-3', orderId: '019a8f5e-7c3b-7d2a-9f1e-3b4c5d6e7f80' }) },
      ]);
      await waitFor('the bad outcomes kept', async () => (await countOnTopic('raw.rejected_events', outcomesTopic)) === 3);
      const rejected = await oltp.db.selectFrom('raw.rejected_events').select('error_kind').where('topic', '=', outcomesTopic).execute();
      expect(rejected.map((row) => row.error_kind).sort()).toEqual(['conflicting_duplicate', 'invalid_json', 'unknown_reference']);
      await waitFor('both outcomes', async () => (await oltp.db.selectFrom('order_outcomes').select('outcome_id').where('outcome_id', 'in', ['kafka-1', 'kafka-2']).execute()).length === 2);
      const labels = await oltp.db.selectFrom('order_verdicts').select(['order_id', 'label', 'kind']).where('order_id', 'in', [verdict.orderId, chargeback.orderId]).orderBy('kind').execute();
      expect(labels).toEqual([
        { order_id: verdict.orderId, label: 'fraud', kind: 'analyst_verdict' },
        { order_id: chargeback.orderId, label: 'fraud', kind: 'chargeback' },
      ]);

      const dlq = log.consumer({ groupId: `dlq-${outcomesTopic}`, topic: `${outcomesTopic}.dlq` });
      const kinds: string[] = [];
      await dlq.start(async (batch) => {
        for (const message of batch.messages) kinds.push(message.headers['x-error-kind']!);
      });
      await waitFor('the dead letters', async () => kinds.length === 3);
      await dlq.stop();
      expect(kinds.sort()).toEqual(['conflicting_duplicate', 'invalid_json', 'unknown_reference']);
    } finally {
      await outcomes.stop();
    }
  }, 120_000);

  it('marks an outcomes partition failing while its database is unreachable, for readiness, and retries instead of dropping', async () => {
    const outcomesTopic = `order-outcomes-${randomUUID()}`;
    const unreachable = await openDatabase({ kind: 'postgres', url: 'postgres://fraudline:x@127.0.0.1:1/none' });
    const health = new PartitionHealth();
    const registry = new Registry();
    const outcomes = await startOutcomeSubscriber({
      db: unreachable.db,
      log,
      registry,
      logger: pino({ level: 'silent' }),
      groupId: `g-${outcomesTopic}`,
      topic: outcomesTopic,
      health,
      retry: { initialMs: 50, maxMs: 100 },
    });
    try {
      await send(outcomesTopic, [{ key: 'k', value: '{"type":"OrderOutcome"}' }]);
      await waitFor('the partition marked failing', async () => health.failing === 1);
      expect(health.stuck(0).map((stuck) => stuck.partition.startsWith(`${outcomesTopic}/`))).toEqual([true]);
      const retries = await registry.getSingleMetric('fraudline_outcome_batch_retries_total')!.get();
      expect(retries.values[0]!.value).toBeGreaterThan(0);
    } finally {
      await outcomes.stop();
      await unreachable.close();
    }
    expect(health.failing).toBe(0);
  }, 60_000);

  it('counts the accounts on a shared device exactly across two subscribers of one group, for orders stored a refresh apart', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 2);
    // A ruleset whose one rule reads the linked-account features, so every decision stores them as evidence.
    const probe = {
      id: 'linked-probe',
      version: 1,
      description: 'reads the accounts linked by device',
      thresholds: { review: 50, decline: 90 },
      rules: [
        {
          id: 'linked',
          description: 'reads every device sharing feature',
          when: 'device.distinctUsers24h + device.distinctUsers1h + device.orders1h >= 0.0',
          score: 1,
          reason: '{{device.distinctUsers24h}} accounts in 24 h',
        },
      ],
    };
    await saveRuleset(oltp.db, { ruleset_id: probe.id, version: 1, document: probe });
    await activateRuleset(oltp.db, { ruleset_id: probe.id, version: 1 });
    const refreshMs = 200;
    const storedBy = [0, 0];
    const group = `linked-${topic}`;
    const subscribers = await Promise.all(
      [0, 1].map((i) => start(topic, group, (messages) => (storedBy[i]! += messages.length), 200, { featureCache: { refreshMs } })),
    );
    // Eight accounts on one device, sixteen orders six minutes apart: the hour holds the last ten, the day all of them.
    const [base] = generateOrders({ seed: 43, catalog, count: 1, ...DAY });
    const deviceId = `D-linked-${randomUUID()}`;
    const startMs = Date.parse('2026-11-20T08:00:00+07:00');
    const orders = Array.from({ length: 16 }, (_, i) => ({
      ...base!,
      orderId: uuidv7({ msecs: startMs + i * 6 * 60_000 }),
      userId: catalog.users[20 + (i % 8)]!.userId,
      placedAt: new Date(startMs + i * 6 * 60_000).toISOString(),
      device: { ...base!.device, deviceId, ip: `198.51.100.${i + 1}` },
    }));
    try {
      for (const [i, order] of orders.entries()) {
        await send(topic, [asMessage(order)]);
        await waitFor(`order ${i}`, async () => (await countOnTopic('raw.order_events', topic)) === i + 1);
        await new Promise((resolve) => setTimeout(resolve, refreshMs + 50));
      }
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.stop()));
      await activateRuleset(oltp.db, { ruleset_id: defaultRuleset.id, version: defaultRuleset.version });
    }
    // Both subscribers decided some: the accounts were split across partitions, so each saw the other's orders.
    expect(storedBy.every((n) => n > 0)).toBe(true);
    const evidence = new Map(
      (await oltp.db.selectFrom('decisions').select(['order_id', 'features']).where('order_id', 'in', orders.map((o) => o.orderId)).execute()).map((row) => [row.order_id, row.features]),
    );
    const expected = orders.map((order, i) => {
      const t = Date.parse(order.placedAt);
      const earlier = orders.slice(0, i);
      const inHour = earlier.filter((o) => t - Date.parse(o.placedAt) <= 3_600_000);
      return {
        'device.distinctUsers24h': new Set(earlier.map((o) => o.userId)).size,
        'device.distinctUsers1h': new Set(inHour.map((o) => o.userId)).size,
        'device.orders1h': inHour.length,
      };
    });
    expect(orders.map((order) => evidence.get(order.orderId))).toEqual(expected);
  }, 120_000);

  it('lets the second of two orders by one user in one batch see the first in its velocity features', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    await saveRuleset(oltp.db, {
      ruleset_id: 'velocity-probe',
      version: 1,
      document: {
        id: 'velocity-probe',
        version: 1,
        description: 'fires on any earlier order of the user in the last 10 minutes',
        thresholds: { review: 50, decline: 90 },
        rules: [
          {
            id: 'seen-recently',
            description: 'earlier order within 10 minutes',
            when: 'user.orders10m >= 1.0',
            score: 10,
            reason: '{{user.orders10m}} earlier order(s) in 10 minutes',
          },
        ],
      },
    });
    await activateRuleset(oltp.db, { ruleset_id: 'velocity-probe', version: 1 });
    const [base] = generateOrders({ seed: 41, catalog, count: 1, ...DAY });
    const userId = catalog.users[5]!.userId;
    const firstOrder = { ...base!, userId, orderId: '019a9f00-0000-7000-8000-000000000001', placedAt: '2026-11-20T10:00:00.000+07:00' };
    const secondOrder = { ...base!, userId, orderId: '019a9f00-0000-7000-8000-000000000002', placedAt: '2026-11-20T10:01:00.000+07:00' };
    await send(topic, [asMessage(firstOrder), asMessage(secondOrder)]);
    const subscriber = await start(topic, `velocity-${topic}`);
    await waitFor('both orders', async () => (await countOnTopic('raw.order_events', topic)) === 2);
    await subscriber.stop();

    const reasons = await oltp.db
      .selectFrom('decisions')
      .select(['order_id', 'reasons'])
      .where('order_id', 'in', [firstOrder.orderId, secondOrder.orderId])
      .orderBy('order_id')
      .execute();
    expect(reasons.map((r) => r.reasons)).toEqual([[], [{ ruleId: 'seen-recently', reason: '1 earlier order(s) in 10 minutes', score: 10 }]]);
  }, 60_000);

  it('counts every earlier order of the user exactly once across batches, in velocity windows and lifetime totals', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const probe = {
      id: 'window-probe',
      version: 1,
      description: 'reports the velocity and lifetime features of every order',
      thresholds: { review: 50, decline: 90 },
      rules: [{ id: 'features', description: 'always', when: 'true', score: 0, reason: '{{user.orders10m}}/{{user.lifetimeOrders}}' }],
    };
    await saveRuleset(oltp.db, { ruleset_id: probe.id, version: 1, document: probe });
    await activateRuleset(oltp.db, { ruleset_id: probe.id, version: 1 });
    const [base] = generateOrders({ seed: 43, catalog, count: 1, ...DAY });
    const userId = catalog.users[7]!.userId;
    const orders = Array.from({ length: 8 }, (_, i) => ({
      ...base!,
      userId,
      orderId: `019a9f00-0000-7000-8000-00000000010${i}`,
      placedAt: `2026-10-01T11:0${i}:00.000+07:00`,
    }));
    await send(topic, orders.map(asMessage));
    // One order per batch: each order's features come from the stored earlier ones (history and lifetime totals).
    const subscriber = await start(topic, `window-${topic}`, undefined, 1);
    await waitFor('all orders', async () => (await countOnTopic('raw.order_events', topic)) === orders.length);
    await subscriber.stop();

    const decisions = await oltp.db
      .selectFrom('decisions')
      .select(['order_id', 'reasons'])
      .where(
        'order_id',
        'in',
        orders.map((order) => order.orderId),
      )
      .orderBy('order_id')
      .execute();
    const lifetimeBefore =
      Number(
        (
          await oltp.db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('user_id', '=', userId)
            .executeTakeFirstOrThrow()
        ).n,
      ) - orders.length;
    expect(decisions.map((row) => row.reasons[0]?.reason)).toEqual(orders.map((_, i) => `${i}/${lifetimeBefore + i}`));
  }, 60_000);

  it('stores or rejects text Postgres cannot hold (U+0000, lone surrogates) instead of retrying the batch forever', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const [good, nulEscape, surrogate] = generateOrders({ seed: 47, catalog, count: 3, ...DAY });
    const messages: OutgoingMessage[] = [
      // A valid order under a key holding a NUL byte: stored, with the key made storable.
      { key: `${good!.userId}\u0000k`, value: encodeOrderPlaced(good!) },
      // JSON that decodes, but whose strings jsonb cannot store: rejected, naming the field.
      { key: 'bad', value: JSON.stringify({ ...nulEscape!, device: { ...nulEscape!.device, deviceId: 'D\u0000' } }) },
      { key: 'bad', value: JSON.stringify({ ...surrogate!, userId: 'U\ud800' }) },
      // Bytes with a NUL that are not JSON: rejected and kept as base64.
      { key: 'bad', value: Buffer.from([0x7b, 0x00, 0x7d]) },
    ];
    await send(topic, messages);
    const subscriber = await start(topic, `unstorable-${topic}`);
    await waitFor('every message stored or rejected', async () => (await subscriber.lag()) === 0);
    await subscriber.stop();

    const landed = await oltp.db.selectFrom('raw.order_events').select(['order_id', 'message_key']).where('topic', '=', topic).execute();
    expect(landed).toEqual([{ order_id: good!.orderId, message_key: `${good!.userId}\uFFFDk` }]);
    const rejected = await oltp.db
      .selectFrom('raw.rejected_events')
      .select(['error_kind', 'error', 'payload_encoding'])
      .where('topic', '=', topic)
      .orderBy('offset')
      .execute();
    expect(rejected).toEqual([
      { error_kind: 'invalid_json', error: [expect.objectContaining({ field: 'device.deviceId' })], payload_encoding: 'utf8' },
      { error_kind: 'invalid_json', error: [expect.objectContaining({ field: 'userId' })], payload_encoding: 'utf8' },
      { error_kind: 'invalid_json', error: [expect.objectContaining({ field: '' })], payload_encoding: 'base64' },
    ]);
  }, 60_000);

  it('pauses while Postgres refuses connections, retries with backoff, and then stores every order exactly once', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const orders = generateOrders({ seed: 61, catalog, count: 500, ...DAY }).map(asMessage);
    await send(topic, orders.slice(0, 200));
    const subscriber = await start(topic, `outage-${topic}`);
    await waitFor('the orders sent before the outage', async () => (await countOnTopic('raw.order_events', topic)) === 200);

    // A real outage of this database: no new connections, and every open one (the subscriber's pool too) cut.
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const allowConnections = (allow: boolean) => admin.query(`ALTER DATABASE "${testDb.name}" WITH ALLOW_CONNECTIONS ${allow}`);
    try {
      await allowConnections(false);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [testDb.name]);
      await send(topic, orders.slice(200));
      const retries = async () => (await subscriber.metrics.batchRetries.get()).values[0]?.value ?? 0;
      await waitFor('the subscriber to retry', async () => (await retries()) >= 2);
      // Nothing was committed meanwhile: the 300 orders are still the group's lag.
      expect(await subscriber.lag()).toBe(300);
    } finally {
      await allowConnections(true);
      await admin.end();
    }

    await waitFor('every order after the outage', async () => (await countOnTopic('raw.order_events', topic)) === 500);
    await subscriber.stop();
    const stored = await oltp.db
      .selectFrom('raw.order_events as e')
      .innerJoin('decisions as d', 'd.order_id', 'e.order_id')
      .select((eb) => [eb.fn.countAll<string>().as('decided'), eb.fn.count<string>('e.order_id').distinct().as('orders')])
      .where('e.topic', '=', topic)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ decided: '500', orders: '500' });
    expect(await countOnTopic('raw.rejected_events', topic)).toBe(0);
  }, 90_000);

  /** Every message on a topic, read from the beginning by a group of its own. */
  async function readTopic(topic: string, expected: number): Promise<LogMessage[]> {
    const read: LogMessage[] = [];
    const consumer = log.consumer({ groupId: `reader-${randomUUID()}`, topic });
    await consumer.start(async (batch) => void read.push(...batch.messages));
    try {
      await waitFor(`${expected} messages on ${topic}`, async () => read.length >= expected);
    } finally {
      await consumer.stop();
    }
    return read;
  }

  const rejectedOn = (topic: string) =>
    oltp.db.selectFrom('raw.rejected_events').select(['error_kind', 'error', 'payload_encoding']).where('topic', '=', topic).orderBy('offset').execute();

  it('sets apart the orders Postgres refuses for their data, rejects them with the reason, and stores the rest of their batch', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const orders = generateOrders({ seed: 71, catalog, count: 252, ...DAY });
    // Valid by the schema, refused by the table: an amount numeric(18,2) cannot hold, and a device a constraint refuses.
    const overflow = { ...orders[40]!, amount: '123456789012345678' };
    const refused = { ...orders[200]!, device: { ...orders[200]!.device, deviceId: 'POISON-DEVICE' } };
    const messages = orders.map((order, i) => asMessage(i === 40 ? overflow : i === 200 ? refused : order));
    await oltp.db.schema
      .alterTable('orders')
      .addCheckConstraint('test_poison_device', sql`device_id <> 'POISON-DEVICE'`)
      .execute();
    try {
      await send(topic, messages);
      const subscriber = await start(topic, `refused-${topic}`, undefined, 500);
      await waitFor('every message stored or rejected', async () => (await subscriber.lag()) === 0);
      await subscriber.stop();
    } finally {
      await oltp.db.schema.alterTable('orders').dropConstraint('test_poison_device').execute();
    }

    expect(await countOnTopic('raw.order_events', topic)).toBe(250);
    expect(await rejectedOn(topic)).toEqual([
      { error_kind: 'unstorable', error: [{ field: '', message: expect.stringMatching(/numeric field overflow.*SQLSTATE 22003/) }], payload_encoding: 'utf8' },
      { error_kind: 'unstorable', error: [{ field: '', message: expect.stringMatching(/test_poison_device.*SQLSTATE 23514/) }], payload_encoding: 'utf8' },
    ]);
    const dead = await readTopic(`${topic}.dlq`, 2);
    expect(dead.map((m) => [m.headers['x-error-kind'], JSON.parse(m.value!.toString()).orderId])).toEqual([
      ['unstorable', overflow.orderId],
      ['unstorable', refused.orderId],
    ]);
  }, 90_000);

  it('rejects an order id reused with other content, within a batch and across batches, and ignores an identical redelivery', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const [first, second] = generateOrders({ seed: 73, catalog, count: 2, ...DAY });
    await send(topic, [asMessage(first!)]);
    const subscriber = await start(topic, `reused-${topic}`);
    await waitFor('the first order', async () => (await countOnTopic('raw.order_events', topic)) === 1);
    await send(topic, [
      asMessage({ ...first!, amount: '1.00' }),
      asMessage(first!),
      asMessage(second!),
      asMessage({ ...second!, quantity: second!.quantity + 1 }),
      asMessage(second!),
    ]);
    await waitFor('every message stored or rejected', async () => (await subscriber.lag()) === 0);
    await subscriber.stop();

    const stored = await oltp.db.selectFrom('orders').select(['order_id', 'amount']).where('order_id', 'in', [first!.orderId, second!.orderId]).execute();
    expect(stored).toHaveLength(2);
    expect(stored.find((row) => row.order_id === first!.orderId)?.amount).toBe(Number(first!.amount).toFixed(2));
    const conflicting = { error_kind: 'conflicting_duplicate', payload_encoding: 'utf8' };
    expect(await rejectedOn(topic)).toEqual([
      { ...conflicting, error: [{ field: 'orderId', message: expect.stringContaining(first!.orderId) }] },
      { ...conflicting, error: [{ field: 'orderId', message: expect.stringContaining(second!.orderId) }] },
    ]);
    expect((await readTopic(`${topic}.dlq`, 2)).map((m) => m.headers['x-error-kind'])).toEqual(['conflicting_duplicate', 'conflicting_duplicate']);
  }, 60_000);

  it('dead-letters a message too large for the dead-letter topic as a pointer to its kept row, and decides the order behind it', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    await log.ensureTopic(`${topic}.dlq`, 1, { 'max.message.bytes': '100000' });
    const [order] = generateOrders({ seed: 79, catalog, count: 1, ...DAY });
    for (let i = 0; i < 3; i += 1) await send(topic, [{ key: 'big', value: Buffer.alloc(900_000 + i, 0x61) }]);
    await send(topic, [asMessage(order!)]);
    const subscriber = await start(topic, `oversized-${topic}`);
    await waitFor('every message stored or rejected', async () => (await subscriber.lag()) === 0, 90_000);
    await subscriber.stop();

    expect(await countOnTopic('raw.order_events', topic)).toBe(1);
    const kept = await oltp.db
      .selectFrom('raw.rejected_events')
      .select(['error_kind', 'payload', 'offset'])
      .where('topic', '=', topic)
      .orderBy('offset')
      .execute();
    expect(kept.map((row) => [row.error_kind, row.payload.length])).toEqual([
      ['oversized', 900_000],
      ['oversized', 900_001],
      ['oversized', 900_002],
    ]);
    const dead = await readTopic(`${topic}.dlq`, 3);
    expect(dead.map((m) => [m.headers['x-payload'], JSON.parse(m.value!.toString()).rejectedEvent.offset])).toEqual(
      kept.map((row) => ['omitted', String(row.offset)]),
    );
  }, 120_000);

  it('reports not ready while a partition keeps failing with the database up, and ready once it moves again', async () => {
    const topic = `orders-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    // A batch that cannot be stored for a reason no message causes (its table is missing) is retried, not rejected.
    await sql`ALTER TABLE raw.rejected_events RENAME TO rejected_events_away`.execute(oltp.db);
    let subscriber: OrderSubscriber | undefined;
    try {
      await send(topic, [{ key: 'bad', value: 'not json' }]);
      subscriber = await start(topic, `stuck-${topic}`, undefined, 200, { readyMaxFailingMs: 500 });
      const retries = async () => (await subscriber!.metrics.batchRetries.get()).values[0]?.value ?? 0;
      await waitFor('the batch to fail', async () => (await retries()) >= 1);
      await waitFor('not ready', async () => !(await subscriber!.readiness()).ready);
      expect((await subscriber.readiness()).stuck).toEqual([{ partition: `${topic}/0`, failingMs: expect.any(Number) }]);
      expect((await subscriber.metrics.failingPartitions.get()).values[0]?.value).toBe(1);
      expect(await subscriber.lag()).toBe(1);
    } finally {
      await sql`ALTER TABLE raw.rejected_events_away RENAME TO rejected_events`.execute(oltp.db);
    }
    await waitFor('the rejection stored', async () => (await subscriber!.lag()) === 0);
    expect(await subscriber.readiness()).toEqual({ ready: true, stuck: [] });
    await subscriber.stop();
    expect(await countOnTopic('raw.rejected_events', topic)).toBe(1);
  }, 60_000);
});
