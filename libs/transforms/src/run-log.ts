// The run log `meta.transform_runs`: one row per model and run, so a warehouse answers what built it, when, and from which SQL.
import type { WarehouseSql } from '@fraudline/warehouse';
import type { RelationCache } from './catalog.js';
import type { SqlDialect, SqlType } from './dialect.js';

export const RUN_LOG_TABLE = 'transform_runs';

export interface RunLogEntry {
  runId: string;
  model: string;
  status: string;
  /** Rows in the relation after the build; null for views and for models that did not build. */
  rowCount: number | null;
  durationMs: number;
  /** sha256 of the compiled SELECT. */
  sqlHash: string;
  startedAt: Date;
}

const COLUMNS: readonly [string, SqlType][] = [
  ['run_id', 'string'],
  ['model', 'string'],
  ['status', 'string'],
  ['row_count', 'int64'],
  ['duration_ms', 'int64'],
  ['sql_hash', 'string'],
  ['started_at', 'timestamp'],
];

/** Creates the log when the catalog lacks it: the BigQuery emulator fails `CREATE TABLE IF NOT EXISTS` on an existing table. */
export async function ensureRunLog(warehouse: WarehouseSql, dialect: SqlDialect, relations: RelationCache): Promise<void> {
  await warehouse.ensureLayers(['meta']);
  if (await relations.kindOf('meta', RUN_LOG_TABLE)) return;
  const columns = COLUMNS.map(([name, type]) => `${name} ${dialect.typeName(type)}`).join(', ');
  await warehouse.query(`CREATE TABLE IF NOT EXISTS ${warehouse.table('meta', RUN_LOG_TABLE)} (${columns})`);
  await relations.built('meta', RUN_LOG_TABLE, 'table');
}

/**
 * Appends a run's entries in one INSERT (one DML job on BigQuery). Values are escaped literals, not parameters: the
 * BigQuery emulator rejects numeric parameter values, and BigQuery needs a type for a NULL parameter.
 */
export async function recordRuns(warehouse: WarehouseSql, dialect: SqlDialect, entries: readonly RunLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((entry) =>
    [
      dialect.literal(entry.runId),
      dialect.literal(entry.model),
      dialect.literal(entry.status),
      dialect.literal(entry.rowCount),
      dialect.literal(Math.round(entry.durationMs)),
      dialect.literal(entry.sqlHash),
      dialect.typedLiteral(entry.startedAt.toISOString().replace('T', ' ').replace('Z', '+00'), 'timestamp'),
    ].join(', '),
  );
  await warehouse.query(
    `INSERT INTO ${warehouse.table('meta', RUN_LOG_TABLE)} (${COLUMNS.map(([name]) => name).join(', ')}) VALUES\n(${rows.join('),\n(')})`,
  );
}
