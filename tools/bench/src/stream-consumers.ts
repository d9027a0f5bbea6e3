// The two consumers the stream benchmark times, each run in a process of its own as a deployed service would be.
import { openDatabase } from '@fraudline/db';
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

/** A message's timestamp and the milliseconds from it to its batch's commit. */
export type Latency = [timestampMs: number, latencyMs: number];

/** What a consumer process reports: that it runs, each committed batch, then, once stopped, seconds per phase. */
type Report = { ready: true } | { stored: number; latencies?: Latency[] } | { phases: Record<string, number> };

/** A running consumer process; `stop` ends it and returns the subscriber's seconds per phase (none for the ceiling). */
export interface ConsumerProcess {
  /** Resolves once the consumer has started (its group may still be joining). */
  ready: Promise<void>;
  stop(): Promise<Record<string, number>>;
}

/** Starts a consumer of `topic` in a child process (same Node flags, so TypeScript sources load as in the parent). */
export function startConsumerProcess(job: ConsumerJob, onBatch: (orders: number, latencies: Latency[]) => void): ConsumerProcess {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_CONSUMER_JOB: JSON.stringify(job) }, execArgv: process.execArgv });
  let phases: Record<string, number> = {};
  const ready = new Promise<void>((resolve) =>
    child.on('message', (report: Report) => {
      if ('ready' in report) resolve();
      else if ('stored' in report) onBatch(report.stored, report.latencies ?? []);
      else phases = report.phases;
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

const jobText = process.env.BENCH_CONSUMER_JOB;
if (jobText !== undefined && process.send) {
  const job = JSON.parse(jobText) as ConsumerJob;
  const stop = await (job.kind === 'subscriber' ? runSubscriber(job) : runCeiling(job));
  report({ ready: true });
  process.once('message', async () => {
    const phases = await stop();
    process.send!({ phases } satisfies Report, () => process.exit(0));
  });
}
