// The processes of the stream benchmark: the consumers it times and the paced producer of the latency run, each on its own as deployed services would be.
import { producerCatalog } from '@fraudline/catalog';
import { openDatabase } from '@fraudline/db';
import type { OrderPlacedV1Input } from '@fraudline/events';
import { createOrderGenerator } from '@fraudline/generators';
import { publishOrders, type PublishProgress } from '@fraudline/order-feed';
import { startOrderSubscriber } from '@fraudline/decisioning';
import { KafkaLog } from '@fraudline/streaming';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { copyOneTable, ONE_TABLE_DDL, storeUndecided } from './stream-ceilings.js';

/**
 * 'subscriber': the real one. 'ceiling': its write with no logic (see stream-ceilings.ts). 'one-table': the older
 * baseline, every message COPYed into one table with one key.
 */
export type ConsumerKind = 'subscriber' | 'ceiling' | 'one-table';

interface ConsumerJob {
  kind: ConsumerKind;
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

/** A committed batch: its orders, its messages' latencies if asked for, and the consumer process's CPU seconds so far. */
export interface StoredBatch {
  stored: number;
  latencies?: Latency[];
  cpuSeconds: number;
}

/**
 * What a bench process reports. A consumer: that it runs, each committed batch, then, once stopped, seconds per phase.
 * The producer: when it starts publishing, then how many it sent over how long.
 */
type Report = { ready: true } | StoredBatch | { phases: Record<string, number> } | { publishing: number } | PublishProgress;

/** A running consumer process; `stop` ends it and returns the subscriber's seconds per phase (none for the baselines). */
export interface ConsumerProcess {
  /** Resolves once the consumer has started (its group may still be joining). */
  ready: Promise<void>;
  /** True once the process has ended, e.g. crashed before it was stopped. */
  readonly exited: boolean;
  stop(): Promise<Record<string, number>>;
}

/** Runs `job` in a child process of this module (same Node flags, so TypeScript sources load as in the parent). */
const forkJob = (job: ConsumerJob | ProducerJob) =>
  fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_JOB: JSON.stringify(job) }, execArgv: process.execArgv });

/** Starts a consumer of `topic` in a child process. */
export function startConsumerProcess(job: ConsumerJob, onBatch: (batch: StoredBatch) => void): ConsumerProcess {
  const child = forkJob(job);
  let phases: Record<string, number> = {};
  const ready = new Promise<void>((resolve) =>
    child.on('message', (report: Report) => {
      if ('ready' in report) resolve();
      else if ('stored' in report) onBatch(report);
      else if ('phases' in report) phases = report.phases;
    }),
  );
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => ((ended = true), resolve(code))));
  return {
    ready,
    get exited() {
      return ended;
    },
    async stop() {
      if (!ended) child.send('stop');
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

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Seconds per batch phase from the subscriber's own histogram. */
async function phaseSeconds(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('fraudline_batch_phase_seconds')!.get();
  return Object.fromEntries(
    (metric.values as { metricName?: string; labels: Record<string, string | number>; value: number }[])
      .filter((value) => value.metricName === 'fraudline_batch_phase_seconds_sum')
      .map((value) => [String(value.labels.phase), value.value]),
  );
}

/** The subscriber's pool; the ceiling opens the same. */
const POOL_SIZE = 10;

/** The consumer group every bench consumer joins the way the subscriber does: a group of its own, from the beginning, batches as fetched. */
const groupId = () => `bench-${randomUUID()}`;

async function runSubscriber(job: ConsumerJob): Promise<() => Promise<Record<string, number>>> {
  const oltp = await openDatabase({ kind: 'postgres', url: job.databaseUrl, poolSize: POOL_SIZE });
  const log = new KafkaLog({ brokers: job.brokers, clientId: 'bench-subscriber' });
  const registry = new Registry();
  const subscriber = await startOrderSubscriber({
    database: oltp,
    log,
    registry,
    logger,
    groupId: groupId(),
    topic: job.topic,
    deadLetterTopic: `${job.topic}.dlq`,
    timeZone: 'Asia/Jakarta',
    onStored: (messages, storedAt) =>
      report({
        stored: messages.length,
        cpuSeconds: cpuSeconds(),
        ...(job.latencies && { latencies: messages.map((message): Latency => [message.timestamp, storedAt - message.timestamp]) }),
      }),
  });
  return async () => {
    await subscriber.stop();
    await log.close();
    await oltp.close();
    return phaseSeconds(registry);
  };
}

/**
 * A baseline: the same consumer as the subscriber's (the same KafkaLog consumer, a group of its own, partitions at
 * once, offsets committed after each batch, the batches as fetched), writing each batch and doing nothing else.
 */
async function runBaseline(job: ConsumerJob): Promise<() => Promise<Record<string, number>>> {
  const oltp = await openDatabase({ kind: 'postgres', url: job.databaseUrl, poolSize: POOL_SIZE });
  const pool = oltp.pool!;
  if (job.kind === 'one-table') await pool.query(ONE_TABLE_DDL);
  const log = new KafkaLog({ brokers: job.brokers, clientId: `bench-${job.kind}` });
  const consumer = log.consumer({ groupId: groupId(), topic: job.topic });
  await consumer.start(async (batch) => {
    await (job.kind === 'one-table' ? copyOneTable(pool, batch.messages) : storeUndecided(oltp, batch.messages));
    report({ stored: batch.messages.length, cpuSeconds: cpuSeconds() });
  });
  return async () => {
    await consumer.stop();
    await log.close();
    await oltp.close();
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
    const stop = await (job.kind === 'subscriber' ? runSubscriber(job) : runBaseline(job));
    report({ ready: true });
    process.once('message', async () => {
      const phases = await stop();
      process.send!({ phases } satisfies Report, () => process.exit(0));
    });
  }
}
