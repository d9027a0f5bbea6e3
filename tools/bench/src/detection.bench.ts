// Detection benchmark: the handbook-style world decided day by day by the subscriber while its outcomes arrive, then backtested on its later days.
import { storeCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase } from '@fraudline/db';
import { replayPeriod, runBacktest, startOrderSubscriber, trainScoringModel } from '@fraudline/decisioning';
import { encodeOrderPlaced, orderMessageKey } from '@fraudline/events';
import { compileRuleset, defaultRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import { BENCHMARK_FRAUD_PATTERNS, generateDetectionBenchmark } from '@fraudline/generators';
import { recordOutcome } from '@fraudline/outcomes';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase } from '@fraudline/testing';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';

const TIME_ZONE = 'Asia/Jakarta';
const DAY_MS = 86_400_000;
const START = new Date('2026-08-01T00:00:00+07:00');

/** What default@2 added to default@1; the earlier version is this one without them, measured on the same replay. */
const DETECTION_RULES = new Set(['new-device-and-country', 'new-device-and-payment', 'amount-far-above-spread', 'merchant-fraud-rate-7d', 'model-score-high']);

export interface DetectionQuality {
  ruleset: string;
  precision: number;
  recall: number;
  recallByPattern: Record<string, number>;
}

export interface DetectionBenchResult {
  orders: number;
  days: number;
  measuredDays: number;
  measuredOrders: number;
  fraudOrders: number;
  outcomes: number;
  /** The learned score trained on the first half (outcomes known by then), measured by its held-out latest fifth. */
  model: { ref: string; trainRows: number; auc: number | null; precision: number | null; recall: number | null; seconds: number };
  quality: DetectionQuality[];
  /** Stored decisions the backtest of the live ruleset reproduced exactly, of those it made. */
  reproduced: number;
  sameRuleset: number;
}

const round = (value: number) => Number(value.toFixed(3));

export async function benchDetection(options: { brokers: string[]; days?: number; seed?: number }): Promise<DetectionBenchResult> {
  const { brokers, days = 60, seed = 7 } = options;
  const world = generateDetectionBenchmark({ seed, start: START, days });
  const end = new Date(START.getTime() + days * DAY_MS);
  const outcomes = world.outcomes(end).sort((a, b) => Date.parse(a.knownAt) - Date.parse(b.knownAt));
  console.log(`generated ${world.orders.length} orders over ${days} days and ${outcomes.length} outcomes known by the end`);

  const database = await createTestDatabase('bench_detection');
  const oltp = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  const log = new KafkaLog({ brokers, clientId: 'bench-detection' });
  try {
    await migrateToLatest(oltp.db);
    await storeCatalog(oltp.db, world.catalog);
    const topic = `bench-detection-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const producer = await log.producer();
    let stored = 0;
    const subscriber = await startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger: pino({ level: 'warn' }),
      groupId: `bench-detection-${topic}`,
      topic,
      timeZone: TIME_ZONE,
      maxBatchSize: 2000,
      onStored: (messages) => void (stored += messages.length),
    });
    // A day at a time: its orders are decided, then the outcomes known by its end arrive, as they would in production.
    // After the first half, the learned score is trained on it with the outcomes known by then and goes live.
    const measuredDays = Math.floor(days / 2);
    const trainedAt = new Date(START.getTime() + (days - measuredDays) * DAY_MS);
    let model: DetectionBenchResult['model'] | undefined;
    let sent = 0;
    let recorded = 0;
    for (let day = 0; day < days; day++) {
      if (day === days - measuredDays) {
        const started = performance.now();
        const trained = await trainScoringModel(oltp, { period: { from: START, to: trainedAt }, timeZone: TIME_ZONE, now: trainedAt, labelMaturityDays: 7, activate: true });
        const test = trained.model.metrics.test;
        model = {
          ref: `${trained.ref.model_id}@${trained.ref.version}`,
          trainRows: trained.rows.train,
          auc: test?.auc ?? null,
          precision: test?.precision ?? null,
          recall: test?.recall ?? null,
          seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        };
        console.log(`trained ${model.ref} on ${model.trainRows} orders in ${model.seconds} s; held out: ${JSON.stringify(test)}`);
        // The subscriber re-reads the live model every second.
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
      const dayEnd = START.getTime() + (day + 1) * DAY_MS;
      const orders = world.orders.filter((order) => {
        const at = Date.parse(order.placedAt);
        return at >= dayEnd - DAY_MS && at < dayEnd;
      });
      for (let i = 0; i < orders.length; i += 2000) await producer.send(topic, orders.slice(i, i + 2000).map((o) => ({ key: orderMessageKey(o), value: encodeOrderPlaced(o) })));
      sent += orders.length;
      while (stored < sent) await new Promise((resolve) => setTimeout(resolve, 100));
      while (recorded < outcomes.length && Date.parse(outcomes[recorded]!.knownAt) < dayEnd) await recordOutcome(oltp.db, outcomes[recorded++]!);
      if (day % 10 === 9) console.log(`day ${day + 1}: ${stored} orders decided, ${recorded} outcomes recorded`);
    }
    await producer.disconnect();
    await subscriber.stop();

    // The second half is measured: the model never trained on it.
    const period = { from: new Date(end.getTime() - measuredDays * DAY_MS), to: end };
    const live = await runBacktest(oltp, { ruleset: compileRuleset(defaultRuleset), period, timeZone: TIME_ZONE, truth: 'simulation' });
    const earlier: RulesetDocument = {
      ...defaultRuleset,
      version: 1,
      rules: defaultRuleset.rules.filter((rule) => !DETECTION_RULES.has(rule.id)),
      examples: [],
    };
    const rulesets = [compileRuleset(defaultRuleset), compileRuleset(earlier)];
    const counts = rulesets.map(() => ({ tp: 0, fp: 0, fn: 0, byPattern: new Map<string, { flagged: number; orders: number }>() }));
    let measuredOrders = 0;
    let fraudOrders = 0;
    await replayPeriod(oltp, { period, timeZone: TIME_ZONE }, ({ event, snapshot }) => {
      measuredOrders++;
      const truth = event.simulation;
      if (truth?.isFraud) fraudOrders++;
      rulesets.forEach((ruleset, i) => {
        const flagged = ruleset.decide(snapshot).decision !== 'approve';
        const count = counts[i]!;
        if (flagged && truth?.isFraud) count.tp++;
        else if (flagged) count.fp++;
        else if (truth?.isFraud) count.fn++;
        if (!truth?.isFraud) return;
        const pattern = count.byPattern.get(truth.pattern) ?? { flagged: 0, orders: 0 };
        pattern.orders++;
        if (flagged) pattern.flagged++;
        count.byPattern.set(truth.pattern, pattern);
      });
    });
    const quality = rulesets.map((ruleset, i): DetectionQuality => {
      const { tp, fp, fn, byPattern } = counts[i]!;
      const recallByPattern = Object.fromEntries(
        BENCHMARK_FRAUD_PATTERNS.filter((pattern) => byPattern.has(pattern)).map((pattern) => {
          const { flagged, orders } = byPattern.get(pattern)!;
          return [pattern, round(flagged / orders)];
        }),
      );
      return { ruleset: `${ruleset.id}@${ruleset.version}`, precision: round(tp / (tp + fp)), recall: round(tp / (tp + fn)), recallByPattern };
    });
    for (const q of quality) console.log(`${q.ruleset}: precision ${q.precision}, recall ${q.recall}; by pattern ${JSON.stringify(q.recallByPattern)}`);
    for (const rule of live.rules.filter((r) => r.fires > 0)) console.log(`  ${rule.ruleId}: ${rule.fires} fires, precision ${rule.precision?.toFixed(3)}`);
    return {
      orders: world.orders.length,
      days,
      measuredDays,
      measuredOrders,
      fraudOrders,
      outcomes: outcomes.length,
      model: model!,
      quality,
      reproduced: live.sameRuleset.reproduced,
      sameRuleset: live.sameRuleset.orders,
    };
  } finally {
    await log.close();
    await oltp.close();
    await database.drop();
  }
}
