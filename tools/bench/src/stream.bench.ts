// End-to-end streaming benchmark: producer → Kafka → subscriber → Postgres, against the raw consume-and-COPY ceiling of the same machine.
import { producerCatalog, seedCatalog } from '@fraudline/catalog';
import { migrateToLatest, openDatabase } from '@fraudline/db';
import { startOrderSubscriber } from '@fraudline/decisioning';
import { encodeOrderPlaced, orderMessageKey, type OrderPlacedV1Input } from '@fraudline/events';
import { createOrderGenerator, generateOrders } from '@fraudline/generators';
import { publishOrders } from '@fraudline/order-feed';
import { KafkaLog } from '@fraudline/streaming';
import { createTestDatabase } from '@fraudline/testing';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { percentile } from './record.js';

export interface StreamBenchResult {
  orders: number;
  subscriberOrdersPerSecond: number;
  ceilingOrdersPerSecond: number;
  latencyOrders: number;
  p50Ms: number;
  p99Ms: number;
}

const logger = pino({ level: 'warn' });

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Where the subscriber's time went, from its own phase histogram: "store 12.3 s (61%), …" of wall time. */
async function phaseBreakdown(registry: Registry, wallSeconds: number): Promise<string> {
  const metric = await registry.getSingleMetric('fraudline_batch_phase_seconds')!.get();
  return (metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[])
    .filter((value) => value.metricName === 'fraudline_batch_phase_seconds_sum')
    .map((value) => `${value.labels.phase} ${value.value.toFixed(1)} s (${Math.round((100 * value.value) / wallSeconds)}%)`)
    .join(', ');
}

/** The ceiling: consume the same topic and COPY the same rows into an equivalent table, with no validation, features or rules. */
async function consumeAndCopy(log: KafkaLog, topic: string, databaseUrl: string, orders: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  await pool.query(`CREATE TABLE ceiling_orders (LIKE orders INCLUDING DEFAULTS, message jsonb NOT NULL, PRIMARY KEY (order_id))`);
  const consumer = log.kafka.consumer({ groupId: `ceiling-${randomUUID()}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let copied = 0;
  const started = Date.now();
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const lines = batch.messages.map((message) => {
        const o = JSON.parse(message.value!.toString());
        const cells = [
          o.orderId,
          o.userId,
          o.productId,
          o.merchantId,
          o.quantity,
          o.unitPrice,
          o.amount,
          o.currency ?? 'IDR',
          o.paymentMethod,
          o.country,
          o.device.deviceId,
          o.device.ip,
          o.device.ipCountry,
          o.device.isVpn,
          o.customer?.email ?? '\\N',
          o.placedAt,
          new Date().toISOString(),
          message.value!.toString().replace(/\\/g, '\\\\'),
        ];
        return `${cells.join('\t')}\n`;
      });
      const client = await pool.connect();
      try {
        await pipeline(Readable.from(lines), client.query(copyFrom('COPY ceiling_orders FROM STDIN')));
      } finally {
        client.release();
      }
      const last = batch.messages[batch.messages.length - 1]!.offset;
      await consumer.commitOffsets([{ topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      copied += batch.messages.length;
    },
  });
  await until('the ceiling consumer', () => copied >= orders, 600_000);
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  await pool.end();
  return orders / seconds;
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
    console.log(`produced ${orders} orders in ${((Date.now() - produceStarted) / 1000).toFixed(1)} s`);

    let stored = 0;
    let batches = 0;
    const started = Date.now();
    const registry = new Registry();
    const subscriber = await startOrderSubscriber({
      database: oltp,
      log,
      registry,
      logger,
      groupId: `bench-${randomUUID()}`,
      topic,
      deadLetterTopic: `${topic}.dlq`,
      timeZone: 'Asia/Jakarta',
      onStored: (messages) => {
        stored += messages.length;
        batches += 1;
      },
    });
    await until('the subscriber', () => stored >= orders, 600_000);
    const elapsedSeconds = (Date.now() - started) / 1000;
    const subscriberOrdersPerSecond = orders / elapsedSeconds;
    await subscriber.stop();
    console.log(`subscriber: ${Math.round(subscriberOrdersPerSecond)} orders/s in ${batches} batches (mean ${Math.round(orders / batches)} orders)`);
    console.log(`  time per phase, summed over the concurrent partitions: ${await phaseBreakdown(registry, elapsedSeconds)}`);

    const ceilingOrdersPerSecond = await consumeAndCopy(log, topic, database.url, orders);
    console.log(`ceiling (consume + COPY): ${Math.round(ceilingOrdersPerSecond)} orders/s`);

    const liveTopic = `bench-live-${randomUUID()}`;
    await log.ensureTopic(liveTopic, 3);
    const latencies: number[] = [];
    let delivered = 0;
    let liveBatches = 0;
    let measureFrom = Number.POSITIVE_INFINITY;
    const live = await startOrderSubscriber({
      database: oltp,
      log,
      registry: new Registry(),
      logger,
      groupId: `bench-live-${randomUUID()}`,
      topic: liveTopic,
      deadLetterTopic: `${liveTopic}.dlq`,
      timeZone: 'Asia/Jakarta',
      onStored: (messages, storedAt) => {
        delivered += messages.length;
        liveBatches += 1;
        for (const message of messages) if (message.timestamp >= measureFrom) latencies.push(storedAt - message.timestamp);
      },
    });
    // Orders are generated before the clock starts, and kept as JSON text: the generator plans a day of orders at a
    // time, and neither that work nor collecting a heap of order objects may stall the subscriber's event loop.
    const generator = createOrderGenerator({ seed: 3, catalog, start: new Date() });
    const liveOrders = Array.from({ length: Math.ceil(latencyRate * (LATENCY_WARM_UP_MS / 1000 + latencySeconds)) + latencyRate }, () =>
      JSON.stringify(generator.next()),
    );
    let nextLive = 0;
    measureFrom = Date.now() + LATENCY_WARM_UP_MS;
    const sent = await publishOrders({
      producer,
      topic: liveTopic,
      nextOrder: () => (nextLive < liveOrders.length ? (JSON.parse(liveOrders[nextLive++]!) as OrderPlacedV1Input) : undefined),
      ratePerSecond: latencyRate,
      durationMs: LATENCY_WARM_UP_MS + latencySeconds * 1000,
      batchSize: 20,
    });
    await until('the live orders', () => delivered >= sent.sent, 120_000);
    await live.stop();
    await producer.disconnect();
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `latency at ${Math.round(sent.sent / (sent.elapsedMs / 1000))} orders/s offered, ${sorted.length} orders measured after a ${LATENCY_WARM_UP_MS / 1000} s warm-up: ` +
        `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms (${liveBatches} batches, ${(sent.sent / liveBatches).toFixed(1)} orders each)`,
    );
    return {
      orders,
      subscriberOrdersPerSecond,
      ceilingOrdersPerSecond,
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
