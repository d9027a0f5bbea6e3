// The processes of the stream benchmark: the two consumers it times and the paced producer of the latency run, each on its own as deployed services would be.
import { producerCatalog } from '@fraudline/catalog';
import { openDatabase } from '@fraudline/db';
import type { OrderPlacedV1Input } from '@fraudline/events';
import { createOrderGenerator } from '@fraudline/generators';
import { publishOrders, type PublishProgress } from '@fraudline/order-feed';
import { startOrderSubscriber } from '@fraudline/decisioning';
import { KafkaLog } from '@fraudline/streaming';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pino } from 'pino';
import { Registry } from 'prom-client';

interface ConsumerJob {
  kind: 'subscriber' | 'ceiling';
  brokers: string[];
  topic: string;
  databaseUrl: string;
  /** Report each stored message's latency (message timestamp → commit), as [timestamp, ms] pairs. */
  latencies?: boolean;
}

/** Publishes generated orders at a fixed rate; the latency run's load, kept out of the measuring process's heap and pauses. */
interface ProducerJob {
  kind: 'producer';
  brokers: string[];
  topic: string;
  /** The catalog the orders refer to is read from here. */
  databaseUrl: string;
  ratePerSecond: number;
  durationMs: number;
  seed: number;
}

/** A message's timestamp and the milliseconds from it to its batch's commit. */
export type Latency = [timestampMs: number, latencyMs: number];

/**
 * What a bench process reports. A consumer: that it runs, each committed batch, then, once stopped, seconds per phase.
 * The producer: when it starts publishing, then how many it sent over how long.
 */
type Report = { ready: true } | { stored: number; latencies?: Latency[] } | { phases: Record<string, number> } | { publishing: number } | PublishProgress;

/** A running consumer process; `stop` ends it and returns the subscriber's seconds per phase (none for the ceiling). */
export interface ConsumerProcess {
  /** Resolves once the consumer has started (its group may still be joining). */
  ready: Promise<void>;
  stop(): Promise<Record<string, number>>;
}

/** Runs `job` in a child process of this module (same Node flags, so TypeScript sources load as in the parent). */
const forkJob = (job: ConsumerJob | ProducerJob) =>
  fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_JOB: JSON.stringify(job) }, execArgv: process.execArgv });

/** Starts a consumer of `topic` in a child process. */
export function startConsumerProcess(job: ConsumerJob, onBatch: (orders: number, latencies: Latency[]) => void): ConsumerProcess {
  const child = forkJob(job);
  let phases: Record<string, number> = {};
  const ready = new Promise<void>((resolve) =>
    child.on('message', (report: Report) => {
      if ('ready' in report) resolve();
      else if ('stored' in report) onBatch(report.stored, report.latencies ?? []);
      else if ('phases' in report) phases = report.phases;
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    ready,
    async stop() {
      child.send('stop');
      const code = await exited;
      if (code !== 0) throw new Error(`the ${job.kind} process exited with ${code}`);
      return phases;
    },
  };
}

/**
 * Publishes in a child process; `onPublishing` gets the instant publishing starts (after the orders are generated),
 * and the result resolves with how many were sent over how long, once the process has exited.
 */
export function runProducerProcess(job: Omit<ProducerJob, 'kind'>, onPublishing: (startedAtMs: number) => void): Promise<PublishProgress> {
  const child = forkJob({ kind: 'producer', ...job });
  let result: PublishProgress | undefined;
  child.on('message', (report: Report) => {
    if ('publishing' in report) onPublishing(report.publishing);
    else if ('sent' in report) result = report;
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`the producer process exited with ${code}`)))),
  );
}

const logger = pino({ level: 'warn' });
const report = (message: Report) => process.send!(message);

/** Seconds per batch phase from the subscriber's own histogram. */
async function phaseSeconds(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('fraudline_batch_phase_seconds')!.get();
  return Object.fromEntries(
    (metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[])
      .filter((value) => value.metricName === 'fraudline_batch_phase_seconds_sum')
      .map((value) => [String(value.labels.phase), value.value]),
  );
}

async function runSubscriber(job: ConsumerJob): Promise<() => Promise<Record<string, number>>> {
  const oltp = await openDatabase({ kind: 'postgres', url: job.databaseUrl, poolSize: 10 });
  const log = new KafkaLog({ brokers: job.brokers, clientId: 'bench-subscriber' });
  const registry = new Registry();
  const subscriber = await startOrderSubscriber({
    database: oltp,
    log,
    registry,
    logger,
    groupId: `bench-${randomUUID()}`,
    topic: job.topic,
    deadLetterTopic: `${job.topic}.dlq`,
    timeZone: 'Asia/Jakarta',
    onStored: (messages, storedAt) =>
      report(
        job.latencies
          ? { stored: messages.length, latencies: messages.map((message): Latency => [message.timestamp, storedAt - message.timestamp]) }
          : { stored: messages.length },
      ),
  });
  return async () => {
    await subscriber.stop();
    await log.close();
    await oltp.close();
    return phaseSeconds(registry);
  };
}

/**
 * The ceiling: consume the same topic through the same consumer (partitions at once, offsets committed after each
 * batch) and COPY the same rows into an equivalent table, with no validation, features or rules.
 */
async function runCeiling(job: ConsumerJob): Promise<() => Promise<Record<string, number>>> {
  const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 4 });
  await pool.query(`CREATE TABLE ceiling_orders (LIKE orders INCLUDING DEFAULTS, message jsonb NOT NULL, PRIMARY KEY (order_id))`);
  const log = new KafkaLog({ brokers: job.brokers, clientId: 'bench-ceiling' });
  const consumer = log.consumer({ groupId: `ceiling-${randomUUID()}`, topic: job.topic });
  await consumer.start(async (batch) => {
    const lines = batch.messages.map((message) => {
      const text = message.value!.toString();
      const o = JSON.parse(text);
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
        text.replace(/\\/g, '\\\\'),
      ];
      return `${cells.join('\t')}\n`;
    });
    const client = await pool.connect();
    try {
      await pipeline(Readable.from(lines), client.query(copyFrom('COPY ceiling_orders FROM STDIN')));
    } finally {
      client.release();
    }
    report({ stored: batch.messages.length });
  });
  return async () => {
    await consumer.stop();
    await log.close();
    await pool.end();
    return {};
  };
}

/**
 * Generates every order before publishing (as JSON text: the generator plans a day at a time, and neither that nor a
 * heap of order objects may stall the pacing), then publishes at the rate for the duration.
 */
async function runProducer(job: ProducerJob): Promise<void> {
  const oltp = await openDatabase({ kind: 'postgres', url: job.databaseUrl, poolSize: 1 });
  const catalog = await producerCatalog(oltp.db);
  await oltp.close();
  const generator = createOrderGenerator({ seed: job.seed, catalog, start: new Date() });
  const orders = Array.from({ length: Math.ceil((job.ratePerSecond * job.durationMs) / 1000) + job.ratePerSecond }, () => JSON.stringify(generator.next()));
  const log = new KafkaLog({ brokers: job.brokers, clientId: 'bench-producer' });
  const producer = await log.producer();
  let next = 0;
  report({ publishing: Date.now() });
  const sent = await publishOrders({
    producer,
    topic: job.topic,
    nextOrder: () => (next < orders.length ? (JSON.parse(orders[next++]!) as OrderPlacedV1Input) : undefined),
    ratePerSecond: job.ratePerSecond,
    durationMs: job.durationMs,
    batchSize: 20,
  });
  await producer.disconnect();
  await log.close();
  process.send!(sent satisfies Report, () => process.exit(0));
}

const jobText = process.env.BENCH_JOB;
if (jobText !== undefined && process.send) {
  const job = JSON.parse(jobText) as ConsumerJob | ProducerJob;
  if (job.kind === 'producer') await runProducer(job);
  else {
    const stop = await (job.kind === 'subscriber' ? runSubscriber(job) : runCeiling(job));
    report({ ready: true });
    process.once('message', async () => {
      const phases = await stop();
      process.send!({ phases } satisfies Report, () => process.exit(0));
    });
  }
}
