// An order-independent checksum of a day's rows: the extractor hashes the load lines as they stream by, and Postgres and BigQuery recompute it in SQL.
//
// A row's canonical text is its COPY text line without the JSON columns: the other columns in schema order, rendered as
// RowValues (numerics without trailing zeros, timestamps as UTC text with microseconds, booleans true/false), escaped as
// COPY TO escapes them, NULL as \N, joined by tabs. Each is hashed with MD5, and the checksum is the sum of the first
// 64 hash bits modulo 2^64, so a duplicated or missing row changes it and row order does not. JSON columns are left out:
// the engines spell JSON differently (key order, spacing, numbers), so their exactness is checked by round-trip tests.
import { hash } from 'node:crypto';
import type { ColumnType, RawColumn, RawTable } from './raw-tables.js';

export interface PartitionDigest {
  rows: number;
  /** 16 hex digits. */
  checksum: string;
}

/** Folds sums of the high and low 32-bit halves of the row hashes into the checksum. */
export function checksumFromSums(highSum: bigint, lowSum: bigint): string {
  return BigInt.asUintN(64, (highSum << 32n) + lowSum)
    .toString(16)
    .padStart(16, '0');
}

const NEWLINE = 0x0a;
const TAB = 0x09;
/** Below 2^53 / 2^32 rows, plain numbers sum 32-bit halves exactly; flush to BigInt before that. */
const ROWS_PER_FLUSH = 1 << 20;

/** Sums the row hashes of COPY text lines in load column order (see loadColumns) as they stream by. */
export class LineDigest {
  /** JSON columns lead each line; the hashed part starts after this many tabs. */
  private readonly skippedFields: number;
  private rows = 0;
  private pending = 0;
  private highPending = 0;
  private lowPending = 0;
  private high = 0n;
  private low = 0n;

  constructor(table: RawTable) {
    this.skippedFields = table.columns.filter((column) => column.type === 'json').length;
  }

  /** Adds every line of a chunk that holds whole lines, each ending in a newline. */
  addLines(chunk: Buffer): void {
    for (let start = 0; start < chunk.length;) {
      const end = chunk.indexOf(NEWLINE, start);
      let from = start;
      for (let field = 0; field < this.skippedFields; field += 1) from = chunk.indexOf(TAB, from) + 1;
      // Hex output and parseInt beat a Buffer per row by a third.
      const md5 = hash('md5', chunk.subarray(from, end));
      this.highPending += parseInt(md5.slice(0, 8), 16);
      this.lowPending += parseInt(md5.slice(8, 16), 16);
      this.rows += 1;
      if (++this.pending === ROWS_PER_FLUSH) this.flush();
      start = end + 1;
    }
  }

  digest(): PartitionDigest {
    this.flush();
    return { rows: this.rows, checksum: checksumFromSums(this.high, this.low) };
  }

  private flush(): void {
    this.high += BigInt(this.highPending);
    this.low += BigInt(this.lowPending);
    this.highPending = 0;
    this.lowPending = 0;
    this.pending = 0;
  }
}

type HashedType = Exclude<ColumnType, 'json'>;
const hashedColumns = (columns: readonly RawColumn[]) => columns.filter((column) => column.type !== 'json');

/** Postgres text of a timestamptz in UTC with microseconds, the spelling the load lines and the checksum use. */
export function pgUtcText(expression: string): string {
  return `to_char((${expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * COPY TO's escapes as SQL string-literal bodies (Postgres E'' and BigQuery '' read them alike): backslash first, so the
 * backslashes added after it are not doubled; control characters as \x escapes, which both dialects know.
 */
const COPY_ESCAPES: [string, string][] = [
  ['\\\\', '\\\\\\\\'],
  ['\\x08', '\\\\b'],
  ['\\x0c', '\\\\f'],
  ['\\x0a', '\\\\n'],
  ['\\x0d', '\\\\r'],
  ['\\x09', '\\\\t'],
  ['\\x0b', '\\\\v'],
];

const pgEscaped = (e: string) => COPY_ESCAPES.reduce((escaped, [from, to]) => `replace(${escaped}, E'${from}', E'${to}')`, e);

const PG_CANONICAL: Record<HashedType, (expression: string) => string> = {
  string: (e) => e,
  int64: (e) => `(${e})::text`,
  bool: (e) => `(${e})::text`,
  numeric: (e) => `trim_scale(${e})::text`,
  timestamp: pgUtcText,
};

/** Postgres `SELECT` of the row count and the hash sums (as text) over `from`, a table or subquery. */
export function pgDigestQuery(columns: readonly RawColumn[], from: string, where = 'true'): string {
  const hashed = hashedColumns(columns);
  const value = (column: RawColumn) => PG_CANONICAL[column.type as HashedType](`t."${column.name}"`);
  // || on text is much cheaper than concat_ws(), which looks up an output function per argument per row.
  const canonical = (render: (column: RawColumn) => string) => hashed.map((column) => `coalesce(${render(column)}, E'\\\\N')`).join(` || E'\\t' || `);
  const strings = hashed.filter((column) => column.type === 'string');
  // Seven replace() calls per string column cost more than the rest of the hash; one regex per row finds the rare rows that need them.
  const needsEscapes = `(${strings.map((column) => `coalesce(t."${column.name}", '')`).join(' || ')}) ~ E'[\\\\\\\\\\x08-\\x0d]'`;
  const escapedRow = canonical((column) => (column.type === 'string' ? pgEscaped(value(column)) : value(column)));
  const text = strings.length > 0 ? `CASE WHEN ${needsEscapes} THEN ${escapedRow} ELSE ${canonical(value)} END` : canonical(value);
  // One signed 64-bit cast per row (half the cost of two 32-bit ones); a sum of signed values is the same modulo 2^64.
  return `SELECT count(*)::text AS row_count, '0' AS high_sum, coalesce(sum(('x' || left(h, 16))::bit(64)::bigint), 0)::text AS low_sum
    FROM (SELECT md5(${text}) AS h FROM ${from} AS t WHERE ${where}) AS hashed`;
}

/** BigQuery spelling of a TIMESTAMP as UTC text with microseconds; the Z is appended because the emulator drops literal text after %E6S. */
export function bigQueryUtcText(expression: string): string {
  return `CONCAT(FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6S', ${expression}, 'UTC'), 'Z')`;
}

const BQ_CANONICAL: Record<HashedType, (expression: string) => string> = {
  string: (e) => COPY_ESCAPES.reduce((escaped, [from, to]) => `REPLACE(${escaped}, '${from}', '${to}')`, e),
  int64: (e) => `CAST(${e} AS STRING)`,
  bool: (e) => `CAST(${e} AS STRING)`,
  numeric: (e) => `CAST(${e} AS STRING)`,
  timestamp: bigQueryUtcText,
};

/** BigQuery `SELECT` of the row count and the hash sums (as strings) over `from`, a table or subquery. */
export function bigQueryDigestQuery(columns: readonly RawColumn[], from: string, where = 'TRUE'): string {
  const canonical = hashedColumns(columns).map((column) => `COALESCE(${BQ_CANONICAL[column.type as HashedType](`\`${column.name}\``)}, '\\\\N')`);
  // Hex casts to INT64 must stay in range, so BigQuery sums the two 32-bit halves.
  return `SELECT CAST(COUNT(*) AS STRING) AS row_count,
      CAST(COALESCE(SUM(CAST(CONCAT('0x', SUBSTR(h, 1, 8)) AS INT64)), 0) AS STRING) AS high_sum,
      CAST(COALESCE(SUM(CAST(CONCAT('0x', SUBSTR(h, 9, 8)) AS INT64)), 0) AS STRING) AS low_sum
    FROM (SELECT TO_HEX(MD5(CONCAT(${canonical.join(", '\\t', ")}))) AS h FROM ${from} WHERE ${where})`;
}

/** Reads the `row_count`, `high_sum`, `low_sum` row both dialects' digest queries return. */
export function digestFromSums(row: Record<string, unknown> | undefined): PartitionDigest {
  if (!row) return { rows: 0, checksum: checksumFromSums(0n, 0n) };
  return { rows: Number(row['row_count']), checksum: checksumFromSums(BigInt(String(row['high_sum'])), BigInt(String(row['low_sum']))) };
}
