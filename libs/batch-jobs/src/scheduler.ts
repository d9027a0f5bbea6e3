// The worker's schedule on pg-boss: catalog jobs hourly, loads nightly for D = yesterday, then the transforms; retried with backoff.
import { previousBusinessDay } from '@fraudline/extract';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { LOAD_SLOTS, runJob, type BatchContext, type JobName } from './jobs.js';

export interface ScheduledJob {
  queue: JobName;
  cron: string;
}

/** Hourly users and products, as seed A did; the night loads at its three times; transforms follow the last load. */
export const SCHEDULE: readonly ScheduledJob[] = [
  { queue: 'users', cron: '0 * * * *' },
  { queue: 'products', cron: '0 * * * *' },
  ...Object.entries(LOAD_SLOTS).map(([queue, slot]) => ({ queue: queue as JobName, cron: slot.cron })),
];

const RETRIES = { retryLimit: 3, retryDelay: 30, retryBackoff: true } as const;

interface JobData {
  /** Logical date; scheduled runs leave it out and take yesterday in the business time zone. */
  date?: string;
}

export interface Scheduler {
  boss: PgBoss;
  /** Queues a job now, once per (job, date): a second request for the same pair is dropped while one is queued. */
  enqueue(job: JobName, date: string): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startScheduler(options: { connectionString: string; context: BatchContext; logger: Logger; workers?: number }): Promise<Scheduler> {
  const { context, logger } = options;
  const boss = new PgBoss({ connectionString: options.connectionString, schema: 'pgboss' });
  boss.on('error', (error) => logger.error({ err: error }, 'pg-boss error'));
  await boss.start();
  const enqueue = (job: JobName, date: string) => boss.send(job, { date }, { ...RETRIES, singletonKey: `${job}:${date}` });

  for (const queue of [...new Set([...SCHEDULE.map((s) => s.queue), 'transform' as const])]) {
    // 'stately': per singleton key, at most one job waiting and one running, so a (job, date) never runs twice at once.
    await boss.createQueue(queue, { name: queue, policy: 'stately', ...RETRIES });
    const handle = async ([job]: PgBoss.Job<JobData>[]) => {
      const date = job!.data.date ?? previousBusinessDay(new Date(), context.timeZone);
      logger.info({ job: queue, date, id: job!.id }, 'job started');
      const outcome = await runJob(context, queue, date);
      logger.info({ job: queue, date, id: job!.id }, 'job finished');
      if (queue === 'load-orders') await enqueue('transform', date);
      return outcome;
    };
    // Each work() call is one poller; several give this process that many concurrent jobs per queue.
    for (let worker = 0; worker < (options.workers ?? 1); worker++) await boss.work<JobData>(queue, { batchSize: 1, pollingIntervalSeconds: 1 }, handle);
  }
  for (const { queue, cron } of SCHEDULE) await boss.schedule(queue, cron, {}, { tz: context.timeZone, ...RETRIES });
  logger.info({ schedule: SCHEDULE, timeZone: context.timeZone }, 'scheduler running');
  return { boss, enqueue, stop: () => boss.stop({ graceful: true, wait: true }) };
}
