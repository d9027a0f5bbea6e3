// The batch load: for each logical date and table, stream the day out of the OLTP database into the warehouse partition, and record it in the ledger.
import { LineDigest, RAW_TABLE_NAMES, RAW_TABLES, rawTable, type RawTableName, type Warehouse } from '@fraudline/warehouse';
import { markFailed, markRunning, markSucceeded } from './ledger.js';
import { businessTimeZone, datesBetween, dayBounds, parseLogicalDate, parseTimeZone, type LogicalDate } from './logical-date.js';
import { readAhead } from './read-ahead.js';
import type { ExtractSource } from './source.js';
import { SOURCE_TABLES } from './source-tables.js';

/** Chunks the source may run ahead of the warehouse load: enough to keep both busy, few enough to keep memory flat. */
const READ_AHEAD_CHUNKS = 8;

export interface TableLoadResult {
  table: RawTableName;
  date: LogicalDate;
  rows: number;
  checksum: string;
  durationMs: number;
}

export interface LoadProgress {
  date: LogicalDate;
  table: RawTableName;
  /** (table, date) loads finished so far in this run, including this one, and how many the run has. */
  done: number;
  total: number;
  result?: TableLoadResult;
  error?: Error;
}

export interface LoadHooks {
  /** Called after a table's rows are staged in the warehouse and verified, before the partition swap; a throw fails that load. */
  afterStage?: (table: RawTableName, date: LogicalDate) => void | Promise<void>;
}

export interface LoadOptions {
  /** The OLTP database to read (and to keep the ledger in). */
  source: ExtractSource;
  warehouse: Warehouse;
  /** Raw tables to load, by default all of them. */
  tables?: readonly RawTableName[];
  /** Business time zone; defaults to BUSINESS_TZ or Asia/Jakarta. */
  tz?: string;
  onProgress?: (progress: LoadProgress) => void;
  hooks?: LoadHooks;
}

export interface ExtractLoadOptions extends LoadOptions {
  date: LogicalDate;
}

export interface BackfillOptions extends LoadOptions {
  from: LogicalDate;
  to: LogicalDate;
}

export interface FailedLoad {
  table: RawTableName;
  date: LogicalDate;
  error: Error;
}

/** Thrown after every requested load was tried, when some failed; the ledger has each error too. */
export class LoadFailedError extends Error {
  override readonly name = 'LoadFailedError';
  constructor(
    readonly failures: readonly FailedLoad[],
    readonly results: readonly TableLoadResult[],
  ) {
    super(`${failures.length} load(s) failed: ${failures.map((failure) => `${failure.table} ${failure.date} (${failure.error.message})`).join('; ')}`);
  }
}

/** Loads day `date` of each table: safe to rerun, a rerun replaces the day instead of adding to it. */
export function extractLoad(options: ExtractLoadOptions): Promise<TableLoadResult[]> {
  return loadDates(options, [parseLogicalDate(options.date)]);
}

/** Loads every day from `from` to `to` (both included), oldest first; each day is an independent, rerunnable load. */
export function backfill(options: BackfillOptions): Promise<TableLoadResult[]> {
  return loadDates(options, datesBetween(options.from, options.to));
}

async function loadDates(options: LoadOptions, dates: readonly LogicalDate[]): Promise<TableLoadResult[]> {
  const tz = options.tz === undefined ? businessTimeZone() : parseTimeZone(options.tz);
  const tables = (options.tables ?? RAW_TABLE_NAMES).map((table) => rawTable(table).name);
  const total = dates.length * tables.length;
  const results: TableLoadResult[] = [];
  const failures: FailedLoad[] = [];
  for (const date of dates) {
    for (const table of tables) {
      const outcome = await loadTable(options, table, date, tz).then(
        (result) => ({ result }),
        (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
      );
      if ('result' in outcome) results.push(outcome.result);
      else failures.push({ table, date, error: outcome.error });
      options.onProgress?.({ date, table, done: results.length + failures.length, total, ...outcome });
    }
  }
  if (failures.length > 0) throw new LoadFailedError(failures, results);
  return results;
}

async function loadTable({ source, warehouse, hooks }: LoadOptions, table: RawTableName, date: LogicalDate, tz: string): Promise<TableLoadResult> {
  const started = performance.now();
  await markRunning(source.db, table, date);
  try {
    const digest = new LineDigest(RAW_TABLES[table]);
    async function* digested(): AsyncGenerator<Buffer> {
      for await (const chunk of readAhead(source.lines(SOURCE_TABLES[table], dayBounds(date, tz)), READ_AHEAD_CHUNKS)) {
        digest.addLines(chunk);
        yield chunk;
      }
    }
    const afterStage = hooks?.afterStage;
    await warehouse.loadPartition({
      table,
      date,
      lines: digested(),
      expected: () => digest.digest(),
      hooks: afterStage && { afterStage: () => afterStage(table, date) },
    });
    const extracted = digest.digest();
    await markSucceeded(source.db, table, date, extracted);
    return { table, date, ...extracted, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    await markFailed(source.db, table, date, error);
    throw error;
  }
}
