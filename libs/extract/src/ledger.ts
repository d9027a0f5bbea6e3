// The load ledger in the OLTP database: one row per (table, logical date) saying whether its last load ran, succeeded or failed.
import type { Database } from '@fraudline/db';
import type { PartitionDigest } from '@fraudline/warehouse';
import { sql, type Kysely } from 'kysely';
import type { LogicalDate } from './logical-date.js';

export type LoadStatus = 'running' | 'succeeded' | 'failed';

export interface LedgerRow {
  table: string;
  date: LogicalDate;
  status: LoadStatus;
  rows: number | null;
  checksum: string | null;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

/** Marks a load as running; a rerun of the same (table, date) counts one more attempt and clears the last outcome. */
export async function markRunning(db: Kysely<Database>, table: string, date: LogicalDate): Promise<void> {
  const now = new Date();
  await db
    .insertInto('load_ledger')
    .values({ table_name: table, logical_date: date, status: 'running', started_at: now, attempts: 1 })
    .onConflict((oc) =>
      oc.columns(['table_name', 'logical_date']).doUpdateSet((eb) => ({
        status: 'running',
        started_at: now,
        finished_at: null,
        row_count: null,
        checksum: null,
        error: null,
        attempts: eb('load_ledger.attempts', '+', 1),
      })),
    )
    .execute();
}

export async function markSucceeded(db: Kysely<Database>, table: string, date: LogicalDate, digest: PartitionDigest): Promise<void> {
  await db
    .updateTable('load_ledger')
    .set({ status: 'succeeded', row_count: digest.rows, checksum: digest.checksum, finished_at: new Date(), error: null })
    .where('table_name', '=', table)
    .where('logical_date', '=', date)
    .execute();
}

export async function markFailed(db: Kysely<Database>, table: string, date: LogicalDate, error: unknown): Promise<void> {
  await db
    .updateTable('load_ledger')
    .set({ status: 'failed', finished_at: new Date(), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
    .where('table_name', '=', table)
    .where('logical_date', '=', date)
    .execute();
}

export interface LedgerFilter {
  from?: LogicalDate;
  to?: LogicalDate;
  tables?: readonly string[];
  status?: LoadStatus;
}

/** The ledger for a status table, newest day first, then by table. */
export async function ledgerStatus(db: Kysely<Database>, filter: LedgerFilter = {}): Promise<LedgerRow[]> {
  if (filter.tables?.length === 0) return [];
  let query = db
    .selectFrom('load_ledger')
    .select(['table_name', 'status', 'row_count', 'checksum', 'attempts', 'started_at', 'finished_at', 'error'])
    // A DATE comes back from the drivers as a local-midnight Date; as text it stays the calendar date.
    .select(sql<string>`logical_date::text`.as('date'));
  if (filter.from) query = query.where('logical_date', '>=', filter.from);
  if (filter.to) query = query.where('logical_date', '<=', filter.to);
  if (filter.tables) query = query.where('table_name', 'in', [...filter.tables]);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('logical_date', 'desc').orderBy('table_name').execute();
  return rows.map((row) => ({
    table: row.table_name,
    date: row.date,
    status: row.status,
    rows: row.row_count === null ? null : Number(row.row_count),
    checksum: row.checksum,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  }));
}
