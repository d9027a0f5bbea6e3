// End-to-end streaming benchmark: producer → Kafka → subscriber → Postgres, against the same consume-and-write with no logic on the same machine.
import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase, saveRuleset, setShadow } from '@fraudline/db';
import { encodeOrderPlaced, orderMessageKey } from '@fraudline/events';
import { defaultRuleset } from '@fraudline/fraud-rules';
import { generateOrders } from '@fraudline/generators';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase } from '@fraudline/testing';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ALTERNATIVE_SCHEMA } from './alternative-schema.js';
import { percentile } from './record.js';
import { runProducerProcess, startConsumerProcess, type ConsumerKind } from './stream-processes.js';

/** One consumer's run over the pre-produced topic. */
export interface ConsumerRun {
  /** Sustained: orders after the first committed batch over the time from that batch to the last (start-up excluded). */
  ordersPerSecond: number;
  /** The same run timed from before the consumer joins its group. */
  withStartUpPerSecond: number;
  /** From the first committed batch to the last. */
  sustainedSeconds: number;
  batches: number;
  /** The 1-minute load average when the run ended. */
  load: number;
  /** CPU seconds of the consumer process, and of every Postgres process on this machine, from its first committed batch to its last. */
  consumerCpuSeconds: number;
  postgresCpuSeconds: number;
}

export interface StreamBenchResult {
  orders: number;
  subscriber: ConsumerRun;
  /** The subscriber's write (same consumer, tables, keys, checks, trigger and store call) with no logic. */
  ceiling: ConsumerRun;
  /** The older baseline: the same consumer COPYing each message into one table with one key. */
  oneTable: ConsumerRun;
  /** The subscriber again, with one shadow ruleset deciding every order beside the live one. */
  shadowed: ConsumerRun;
  /** The subscriber and the ceiling again, each on a database with the alternative schema. */
  alternative: { subscriber: ConsumerRun; ceiling: ConsumerRun };
  /** Seconds per subscriber phase, summed over the concurrent partitions, and the subscriber's busy seconds. */
  phases: Record<string, number>;
  busySeconds: number;
  latencyOrders: number;
  p50Ms: number;
  p99Ms: number;
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Counts committed orders. The sustained rate runs from the first committed batch to the last, counting the orders
 * after that first batch, so neither side is charged for connecting and joining its consumer group.
 */
class Throughput {
  readonly #startedAt = Date.now();
  #firstAt = 0;
  #firstCount = 0;
  #lastAt = 0;
  count = 0;
  batches = 0;

  add(orders: number): void {
    this.batches += 1;
    this.#lastAt = Date.now();
    if (this.count === 0) {
      this.#firstAt = this.#lastAt;
      this.#firstCount = orders;
    }
    this.count += orders;
  }

  get sustainedPerSecond(): number {
    return (this.count - this.#firstCount) / this.sustainedSeconds;
  }

  /** From the first committed batch to the last. */
  get sustainedSeconds(): number {
    return (this.#lastAt - this.#firstAt) / 1000;
  }

  /** From the start to the last committed batch. */
  get busySeconds(): number {
    return (this.#lastAt - this.#startedAt) / 1000;
  }

  get withStartUpPerSecond(): number {
    return this.count / this.busySeconds;
  }
}

/** Load offered before latencies count: the consumer group's first join and rebalance are not steady state. */
const LATENCY_WARM_UP_MS = 5000;

async function runStatements(url: string, statements: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database migrated to the latest schema (then altered by `alterations`) and seeded with the same catalog as every
 * other the bench makes.
 */
async function orderDatabase(prefix: string, alterations: readonly string[] = []) {
  const database = await createTestDatabase(prefix);
  const oltp = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  try {
    await migrateToLatest(oltp.db);
    await runStatements(database.url, alterations);
    await seedCatalog(oltp.db, { seed: 1, users: 2000, products: 300, merchants: 40, devices: 500 });
    return { database, catalog: await producerCatalog(oltp.db) };
  } finally {
    await oltp.close();
  }
}

/** Marks a candidate as shadow: the default rules with lower thresholds, so it costs what the live ruleset costs. */
async function withShadowRuleset(url: string): Promise<void> {
  const oltp = await openDatabase({ kind: 'postgres', url });
  try {
    const candidate = { ruleset_id: 'candidate', version: 1 };
    await saveRuleset(oltp.db, { ...candidate, document: { ...defaultRuleset, id: 'candidate', version: 1, thresholds: { review: 30, decline: 60 } } });
    if (!(await setShadow(oltp.db, candidate, true))) throw new Error('could not mark the candidate ruleset as shadow');
  } finally {
    await oltp.close();
  }
}

/** Writes out what an earlier run left dirty, so no run pays for the one before it. */
const checkpoint = (url: string) => runStatements(url, ['CHECKPOINT']);

const load = () => Number(loadavg()[0]!.toFixed(2));

/** Linux reports process times in clock ticks, USER_HZ, which is 100 on every platform Node runs Linux on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by the Postgres server, when it runs on this machine (NaN elsewhere): every live `postgres`
 * process's own time plus what its reaped children used (a closed backend's time moves to the postmaster).
 */
function postgresCpuSeconds(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // After "(comm)": state, ppid, ... utime, stime, cutime, cstime are fields 14-17 of the whole line.
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    }
  } catch {
    return NaN;
  }
  return ticks / TICKS_PER_SECOND;
}

/** Consumes the whole pre-produced topic with one consumer process of `kind`, writing into the database at `url`. */
async function consumeAll(kind: ConsumerKind, brokers: string[], topic: string, url: string, orders: number, label: string = kind) {
  await checkpoint(url);
  const stored = new Throughput();
  const cpu = { consumer: [NaN, NaN], postgres: [NaN, NaN] };
  const consumer = startConsumerProcess({ kind, brokers, topic, databaseUrl: url }, (batch) => {
    const at = stored.count === 0 ? 0 : 1;
    stored.add(batch.stored);
    cpu.consumer[at] = batch.cpuSeconds;
    cpu.postgres[at] = postgresCpuSeconds();
  });
  await until(`the ${label} consumer`, () => stored.count >= orders || consumer.exited, 600_000);
  const phases = await consumer.stop();
  const spent = ([first, last]: number[]) => Number((last! - first!).toFixed(1));
  const run: ConsumerRun = {
    ordersPerSecond: stored.sustainedPerSecond,
    withStartUpPerSecond: stored.withStartUpPerSecond,
    sustainedSeconds: Number(stored.sustainedSeconds.toFixed(2)),
    batches: stored.batches,
    load: load(),
    consumerCpuSeconds: spent(cpu.consumer),
    postgresCpuSeconds: spent(cpu.postgres),
  };
  console.log(
    `${label}: ${Math.round(run.ordersPerSecond)} orders/s sustained, ${Math.round(run.withStartUpPerSecond)} orders/s with start-up, ` +
      `in ${run.batches} batches (mean ${Math.round(orders / run.batches)} orders); CPU from the first batch to the last ` +
      `(${run.sustainedSeconds} s): consumer ${run.consumerCpuSeconds} s, Postgres ${run.postgresCpuSeconds} s; load average ${run.load}`,
  );
  const busySeconds = stored.busySeconds;
  if (Object.keys(phases).length > 0)
    console.log(
      `  time per phase, summed over the concurrent partitions, as a share of ${busySeconds.toFixed(1)} s: ` +
        Object.entries(phases)
          .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s (${Math.round((100 * seconds) / busySeconds)}%)`)
          .join(', '),
    );
  return { run, phases, busySeconds };
}

export async function benchStream(options: { brokers: string[]; orders?: number; latencyRate?: number; latencySeconds?: number }): Promise<StreamBenchResult> {
  const { brokers, orders = 100_000, latencyRate = 2000, latencySeconds = 30 } = options;
  // The subscriber and the ceiling each write into empty tables of a database of their own, with the same catalog.
  const { database, catalog } = await orderDatabase('bench_stream');
  const ceilingDatabase = await orderDatabase('bench_stream_ceiling');
  // The same pair again on the schema stream.alternative_* measures (see alternative-schema.ts).
  const alternativeDatabase = await orderDatabase('bench_stream_alt', ALTERNATIVE_SCHEMA);
  const alternativeCeilingDatabase = await orderDatabase('bench_stream_alt_ceiling', ALTERNATIVE_SCHEMA);
  const shadowDatabase = await orderDatabase('bench_stream_shadow');
  await withShadowRuleset(shadowDatabase.database.url);
  const log = new KafkaLog({ brokers, clientId: 'bench' });
  try {
    const topic = `bench-orders-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const producer = await log.producer();
    const produceStarted = Date.now();
    {
      // Scoped, so the generated orders are garbage before anything is timed.
      const batch = generateOrders({ seed: 2, catalog, count: orders, from: new Date('2026-11-01T00:00:00+07:00'), to: new Date('2026-11-08T00:00:00+07:00') });
      for (let i = 0; i < batch.length; i += 2000)
        await producer.send(
          topic,
          batch.slice(i, i + 2000).map((o) => ({ key: orderMessageKey(o), value: encodeOrderPlaced(o) })),
        );
    }
    await producer.disconnect();
    console.log(`produced ${orders} orders in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s; load average ${load()}`);

    // Each consumer runs in a process of its own, like a deployed service, apart from this one's generated orders.
    const subscriber = await consumeAll('subscriber', brokers, topic, database.url, orders);
    const ceiling = await consumeAll('ceiling', brokers, topic, ceilingDatabase.database.url, orders);
    const oneTable = await consumeAll('one-table', brokers, topic, ceilingDatabase.database.url, orders);
    const shadowed = await consumeAll('subscriber', brokers, topic, shadowDatabase.database.url, orders, 'subscriber with one shadow ruleset');
    console.log(`shadow overhead: ${(shadowed.run.ordersPerSecond / subscriber.run.ordersPerSecond).toFixed(3)} of the throughput without`);
    console.log(`ratio to the ceiling: ${(subscriber.run.ordersPerSecond / ceiling.run.ordersPerSecond).toFixed(3)}`);
    const alternative = {
      subscriber: await consumeAll('subscriber', brokers, topic, alternativeDatabase.database.url, orders, 'subscriber, alternative schema'),
      ceiling: await consumeAll('ceiling', brokers, topic, alternativeCeilingDatabase.database.url, orders, 'ceiling, alternative schema'),
    };

    const liveTopic = `bench-live-${randomUUID()}`;
    await log.ensureTopic(liveTopic, 3);
    await checkpoint(database.url);
    const latencies: number[] = [];
    const delivered = new Throughput();
    let measureFrom = Number.POSITIVE_INFINITY;
    const live = startConsumerProcess({ kind: 'subscriber', brokers, topic: liveTopic, databaseUrl: database.url, latencies: true }, (batch) => {
      delivered.add(batch.stored);
      for (const [timestamp, latency] of batch.latencies ?? []) if (timestamp >= measureFrom) latencies.push(latency);
    });
    await live.ready;
    const sent = await runProducerProcess(
      { brokers, topic: liveTopic, databaseUrl: database.url, ratePerSecond: latencyRate, durationMs: LATENCY_WARM_UP_MS + latencySeconds * 1000, seed: 3 },
      (startedAtMs) => (measureFrom = startedAtMs + LATENCY_WARM_UP_MS),
    );
    await until('the live orders', () => delivered.count >= sent.sent, 120_000);
    await live.stop();
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `latency at ${Math.round(sent.sent / (sent.elapsedMs / 1000))} orders/s offered, ${sorted.length} orders measured after a ${LATENCY_WARM_UP_MS / 1000} s warm-up: ` +
        `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms (${delivered.batches} batches, ${(sent.sent / delivered.batches).toFixed(1)} orders each); ` +
        `load average ${load()}`,
    );
    return {
      orders,
      subscriber: subscriber.run,
      ceiling: ceiling.run,
      oneTable: oneTable.run,
      shadowed: shadowed.run,
      alternative: { subscriber: alternative.subscriber.run, ceiling: alternative.ceiling.run },
      phases: subscriber.phases,
      busySeconds: subscriber.busySeconds,
      latencyOrders: latencies.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
    };
  } finally {
    await log.close();
    for (const made of [database, ceilingDatabase.database, alternativeDatabase.database, alternativeCeilingDatabase.database, shadowDatabase.database]) await made.drop();
  }
}
