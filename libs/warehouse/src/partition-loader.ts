// The load side of the warehouse port: replace one logical day of a raw table atomically with freshly extracted rows.
import type { PartitionDigest } from './digest.js';
import type { RawTableName } from './raw-tables.js';
import type { WarehouseSql } from './warehouse-sql.js';

export interface PartitionLoadHooks {
  /** Runs after the rows are staged and verified, before the swap; a throw leaves the target partition untouched. */
  afterStage?: () => void | Promise<void>;
}

export interface PartitionLoad {
  table: RawTableName;
  /** The logical date D, `YYYY-MM-DD`; it becomes `_logical_date` of every row. */
  date: string;
  /**
   * The day's rows as Postgres COPY text lines (see RowValues and loadColumns; never `_logical_date`/`_loaded_at`), in
   * chunks of whole lines; read once, with backpressure, so memory stays flat.
   */
  lines: AsyncIterable<Buffer>;
  /** Digest of the extracted rows, asked for once `lines` is exhausted; the staged rows must match it or nothing is replaced. */
  expected: () => PartitionDigest;
  hooks?: PartitionLoadHooks;
}

export interface PartitionLoader {
  /** Stages the rows, verifies them against `expected`, then replaces partition D in one atomic step; returns the staged digest. */
  loadPartition(load: PartitionLoad): Promise<PartitionDigest>;
  /** Row count and checksum of partition D as stored (zero rows when the table or partition does not exist). */
  partitionDigest(table: RawTableName, date: string): Promise<PartitionDigest>;
}

/** A warehouse that runs SQL and loads raw partitions: what the Postgres, PGlite and BigQuery adapters return. */
export type Warehouse = WarehouseSql & PartitionLoader;

export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
  constructor(
    readonly where: string,
    readonly expected: PartitionDigest,
    readonly actual: PartitionDigest,
  ) {
    super(
      `${where}: staged ${actual.rows} rows with checksum ${actual.checksum}, but the extract had ${expected.rows} rows ` +
        `with checksum ${expected.checksum}; the partition was not replaced`,
    );
  }
}

/** Throws unless the staged rows are exactly the extracted ones. */
export function verifyStaged(where: string, expected: PartitionDigest, actual: PartitionDigest): PartitionDigest {
  if (expected.rows !== actual.rows || expected.checksum !== actual.checksum) throw new DigestMismatchError(where, expected, actual);
  return actual;
}

/** Suffix for per-day object names: `20260131` for 2026-01-31. */
export const compactDate = (date: string): string => date.replaceAll('-', '');
