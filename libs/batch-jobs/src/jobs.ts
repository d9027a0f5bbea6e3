// The batch jobs by name: what `batch-loader run <job>` and the scheduler both execute, for one logical date.
import { runProductsJob, runUsersJob, seedMerchantsAndDevices } from '@fraudline/catalog';
import type { Database } from '@fraudline/db';
import { extractLoad, type ExtractSource, type LoadProgress, type TableLoadResult } from '@fraudline/extract';
import type { RawTableName, Warehouse } from '@fraudline/warehouse';
import type { Kysely } from 'kysely';

/** Builds the transform layers for a date once its loads are in; the transforms library provides it. */
export type TransformStep = (date: string) => Promise<{ models: number; tests: number; failedTests: number }>;

export interface BatchContext {
  db: Kysely<Database>;
  source: ExtractSource;
  warehouse: Warehouse;
  timeZone: string;
  transform: TransformStep;
  onLoadProgress?: (progress: LoadProgress) => void;
}

export type JobOutcome = { job: JobName; date: string; detail: unknown };

/** Seed A split its daily load over three times of night; each slot loads its tables for D = yesterday. */
export const LOAD_SLOTS = {
  'load-users': { cron: '0 3 * * *', tables: ['users', 'merchants'] },
  'load-products': { cron: '30 3 * * *', tables: ['products'] },
  'load-orders': { cron: '0 4 * * *', tables: ['orders', 'decisions', 'order_labels', 'order_events', 'order_outcomes', 'shadow_decisions'] },
} as const satisfies Record<string, { cron: string; tables: readonly RawTableName[] }>;

export const JOB_NAMES = ['users', 'products', 'load', ...(Object.keys(LOAD_SLOTS) as (keyof typeof LOAD_SLOTS)[]), 'transform', 'daily'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

const load = (context: BatchContext, date: string, tables?: readonly RawTableName[]): Promise<TableLoadResult[]> =>
  extractLoad({ source: context.source, warehouse: context.warehouse, date, tables, tz: context.timeZone, onProgress: context.onLoadProgress });

/** Runs one job for logical date D (the catalog jobs ignore D and use `seed`). */
export async function runJob(context: BatchContext, job: JobName, date: string, seed = Date.now() % 1_000_000): Promise<JobOutcome> {
  switch (job) {
    case 'users':
      return { job, date, detail: await runUsersJob(context.db, { seed }) };
    case 'products': {
      const products = await runProductsJob(context.db, { seed });
      const others = await seedMerchantsAndDevices(context.db, { seed, merchants: 0, devices: 10 });
      return {
        job,
        date,
        detail: { upserted: products.upserted, merchants: products.merchants + others.merchants, devices: products.devices + others.devices },
      };
    }
    case 'load':
      return { job, date, detail: await load(context, date) };
    case 'load-users':
    case 'load-products':
    case 'load-orders':
      return { job, date, detail: await load(context, date, LOAD_SLOTS[job].tables) };
    case 'transform':
      return { job, date, detail: await context.transform(date) };
    case 'daily': {
      const loaded = await load(context, date);
      return { job, date, detail: { loaded, transformed: await context.transform(date) } };
    }
  }
}
