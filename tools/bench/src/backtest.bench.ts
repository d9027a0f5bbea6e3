// Backtest benchmark: a week of orders decided by the subscriber on Kafka and Postgres, then replayed with point-in-time features, with and without the rules.
import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase } from '@fraudline/db';
import { replayPeriod, runBacktest, startOrderSubscriber } from '@fraudline/decisioning';
import { encodeOrderPlaced, orderMessageKey } from '@fraudline/events';
import { compileRuleset, defaultRuleset } from '@fraudline/fraud-rules';
import { generateOrders } from '@fraudline/generators';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase } from '@fraudline/testing';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';

export interface BacktestBenchResult {
  orders: number;
  days: number;
  /** Seconds the subscriber took to decide them (the setup, not a figure of its own). */
  decideSeconds: number;
  /** The full backtest: replay, default ruleset, labels, diff. */
  backtestPerSecond: number;
  /** The same replay with no rules run: reading, decoding and point-in-time features only. */
  rulesOffPerSecond: number;
  /** Stored decisions the backtest of the live ruleset reproduced exactly, of those it made. */
  reproduced: number;
  sameRuleset: number;
  peakRssMb: number;
}

const TIME_ZONE = 'Asia/Jakarta';
const DAY_MS = 86_400_000;
const WEEK_START = new Date('2026-11-01T00:00:00+07:00');

export async function benchBacktest(options: { brokers: string[]; orders?: number; days?: number }): Promise<BacktestBenchResult> {
  const { brokers, orders = 1_000_000, days = 7 } = options;
  const database = await createTestDatabase('bench_backtest');
  const oltp = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  const log = new KafkaLog({ brokers, clientId: 'bench-backtest' });
  try {
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 1, users: 2000, products: 300, merchants: 40, devices: 500 });
    const catalog = await producerCatalog(oltp.db);
    const topic = `bench-backtest-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const producer = await log.producer();
    for (let day = 0; day < days; day++) {
      // A day at a time, so a million generated orders are never held at once.
      const from = new Date(WEEK_START.getTime() + day * DAY_MS);
      const count = Math.floor(orders / days) + (day < orders % days ? 1 : 0);
      const batch = generateOrders({ seed: 10 + day, catalog, count, from, to: new Date(from.getTime() + DAY_MS) });
      for (let i = 0; i < batch.length; i += 2000) await producer.send(topic, batch.slice(i, i + 2000).map((o) => ({ key: orderMessageKey(o), value: encodeOrderPlaced(o) })));
    }
    await producer.disconnect();
    console.log(`produced ${orders} orders over ${days} days`);

    const decideStarted = performance.now();
    let stored = 0;
    const subscriber = await startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger: pino({ level: 'warn' }),
      groupId: `bench-backtest-${topic}`,
      topic,
      timeZone: TIME_ZONE,
      maxBatchSize: 2000,
      onStored: (messages) => void (stored += messages.length),
    });
    while (stored < orders) await new Promise((resolve) => setTimeout(resolve, 250));
    await subscriber.stop();
    const decideSeconds = (performance.now() - decideStarted) / 1000;
    console.log(`the subscriber decided and stored them in ${decideSeconds.toFixed(1)} s`);

    const period = { from: WEEK_START, to: new Date(WEEK_START.getTime() + days * DAY_MS) };
    let peakRss = 0;
    const sampleRss = () => void (peakRss = Math.max(peakRss, process.memoryUsage().rss));
    const offStarted = performance.now();
    let replayed = 0;
    await replayPeriod(oltp, { period, timeZone: TIME_ZONE, onProgress: sampleRss }, () => void replayed++);
    const rulesOffPerSecond = replayed / ((performance.now() - offStarted) / 1000);
    console.log(`replay without rules: ${replayed} orders, ${Math.round(rulesOffPerSecond)} orders/s`);

    const report = await runBacktest(oltp, { ruleset: compileRuleset(defaultRuleset), period, timeZone: TIME_ZONE, onProgress: sampleRss });
    const backtestPerSecond = report.periodOrders / (report.elapsedMs / 1000);
    console.log(
      `backtest of default@${defaultRuleset.version}: ${report.periodOrders} orders, ${Math.round(backtestPerSecond)} orders/s; ` +
        `${report.sameRuleset.reproduced} of ${report.sameRuleset.orders} stored decisions reproduced; peak RSS ${Math.round(peakRss / 2 ** 20)} MB`,
    );
    return {
      orders: report.periodOrders,
      days,
      decideSeconds: Number(decideSeconds.toFixed(1)),
      backtestPerSecond,
      rulesOffPerSecond,
      reproduced: report.sameRuleset.reproduced,
      sameRuleset: report.sameRuleset.orders,
      peakRssMb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    await log.close();
    await oltp.close();
    await database.drop();
  }
}
