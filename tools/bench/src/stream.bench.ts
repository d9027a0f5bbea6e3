// End-to-end streaming benchmark: producer → Kafka → subscriber → Postgres, against the raw consume-and-COPY ceiling of the same machine.
import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase } from '@fraudline/db';
import { encodeOrderPlaced, orderMessageKey } from '@fraudline/events';
import { generateOrders } from '@fraudline/generators';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase } from '@fraudline/testing';
import { randomUUID } from 'node:crypto';
import { percentile } from './record.js';
import { runProducerProcess, startConsumerProcess } from './stream-processes.js';

export interface StreamBenchResult {
  orders: number;
  /** Sustained: orders after the first committed batch over the time from that batch to the last (start-up excluded). */
  subscriberOrdersPerSecond: number;
  ceilingOrdersPerSecond: number;
  /** The same runs timed from before the consumer joins its group. */
  subscriberWithStartUpPerSecond: number;
  ceilingWithStartUpPerSecond: number;
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
    return (this.count - this.#firstCount) / ((this.#lastAt - this.#firstAt) / 1000);
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

export async function benchStream(options: { brokers: string[]; orders?: number; latencyRate?: number; latencySeconds?: number }): Promise<StreamBenchResult> {
  const { brokers, orders = 100_000, latencyRate = 2000, latencySeconds = 30 } = options;
  const database = await createTestDatabase('bench_stream');
  const oltp = await openDatabase({ kind: 'postgres', url: database.url, poolSize: 10 });
  const log = new KafkaLog({ brokers, clientId: 'bench' });
  try {
    await migrateToLatest(oltp.db);
    await seedCatalog(oltp.db, { seed: 1, users: 2000, products: 300, merchants: 40, devices: 500 });
    const catalog = await producerCatalog(oltp.db);

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
    console.log(`produced ${orders} orders in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s`);

    // Each consumer runs in a process of its own, like a deployed service, apart from this one's generated orders.
    const stored = new Throughput();
    const subscriber = startConsumerProcess({ kind: 'subscriber', brokers, topic, databaseUrl: database.url }, (batch) => stored.add(batch));
    await until('the subscriber', () => stored.count >= orders, 600_000);
    const phases = await subscriber.stop();
    console.log(
      `subscriber: ${Math.round(stored.sustainedPerSecond)} orders/s sustained, ${Math.round(stored.withStartUpPerSecond)} orders/s with start-up, ` +
        `in ${stored.batches} batches (mean ${Math.round(orders / stored.batches)} orders)`,
    );
    const busySeconds = stored.busySeconds;
    console.log(
      `  time per phase, summed over the concurrent partitions, as a share of ${busySeconds.toFixed(1)} s: ` +
        Object.entries(phases)
          .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s (${Math.round((100 * seconds) / busySeconds)}%)`)
          .join(', '),
    );

    const ceiling = new Throughput();
    const ceilingConsumer = startConsumerProcess({ kind: 'ceiling', brokers, topic, databaseUrl: database.url }, (batch) => ceiling.add(batch));
    await until('the ceiling consumer', () => ceiling.count >= orders, 600_000);
    await ceilingConsumer.stop();
    console.log(
      `ceiling (consume + COPY): ${Math.round(ceiling.sustainedPerSecond)} orders/s sustained, ${Math.round(ceiling.withStartUpPerSecond)} orders/s with start-up`,
    );

    const liveTopic = `bench-live-${randomUUID()}`;
    await log.ensureTopic(liveTopic, 3);
    const latencies: number[] = [];
    const delivered = new Throughput();
    let measureFrom = Number.POSITIVE_INFINITY;
    const live = startConsumerProcess({ kind: 'subscriber', brokers, topic: liveTopic, databaseUrl: database.url, latencies: true }, (count, stored) => {
      delivered.add(count);
      for (const [timestamp, latency] of stored) if (timestamp >= measureFrom) latencies.push(latency);
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
        `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms (${delivered.batches} batches, ${(sent.sent / delivered.batches).toFixed(1)} orders each)`,
    );
    return {
      orders,
      subscriberOrdersPerSecond: stored.sustainedPerSecond,
      ceilingOrdersPerSecond: ceiling.sustainedPerSecond,
      subscriberWithStartUpPerSecond: stored.withStartUpPerSecond,
      ceilingWithStartUpPerSecond: ceiling.withStartUpPerSecond,
      latencyOrders: latencies.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
    };
  } finally {
    await log.close();
    await oltp.close();
    await database.drop();
  }
}
