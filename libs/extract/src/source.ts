// Reads a day's rows out of the OLTP database as COPY text lines with flat memory: COPY TO STDOUT on Postgres, keyset pages on PGlite.
import type { Database, OltpDatabase } from '@fraudline/db';
import { encodeCopyLines, loadColumns, RAW_TABLES } from '@fraudline/warehouse';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DayBounds } from './logical-date.js';
import { daySelect, type SourceTable } from './source-tables.js';

export interface ExtractSource {
  /** The OLTP database, where the load ledger lives too. */
  readonly db: Kysely<Database>;
  /** Streams one table's rows of the day as COPY text lines (see RowValues, loadColumns), in chunks of whole lines. */
  lines(table: SourceTable, bounds: DayBounds): AsyncIterable<Buffer>;
}

export const DEFAULT_PAGE_ROWS = 5_000;

const NEWLINE = 0x0a;

/** Re-cuts a byte stream into chunks that end on a newline, carrying a split line over to the next chunk. */
export async function* wholeLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    carry = end < bytes.length ? bytes.subarray(end) : undefined;
    if (end > 0) yield bytes.subarray(0, end);
  }
  if (carry) throw new Error(`COPY output ended inside a line: ${carry.toString('utf8', 0, 200)}`);
}

/**
 * Postgres server: `COPY (SELECT ...) TO STDOUT` on one pooled connection. Postgres renders the lines itself and the
 * stream reads the socket only as fast as the warehouse takes them. (A pg-query-stream cursor, parsing every row into
 * JavaScript strings, measured a third as fast; see README.)
 */
export function copySource(db: Kysely<Database>, pool: pg.Pool): ExtractSource {
  return {
    db,
    async *lines(table, bounds) {
      const client = await pool.connect();
      let finished = false;
      try {
        yield* wholeLines(client.query(copyTo(`COPY (${daySelect(table, bounds).text}) TO STDOUT`)));
        finished = true;
      } finally {
        // A connection left mid-COPY (on an error, or when the consumer stops early) is not reusable: the pool discards it.
        client.release(!finished);
      }
    },
  };
}

/**
 * Any kysely database, including PGlite (which streams neither COPY nor cursors): pages of `pageRows` rows in key
 * order, each starting after the last key of the page before, so every page is an index range scan.
 */
export function pagedSource(db: Kysely<Database>, pageRows = DEFAULT_PAGE_ROWS): ExtractSource {
  return {
    db,
    async *lines(table, bounds) {
      const columns = loadColumns(RAW_TABLES[table.table]).map((column) => column.name);
      let after: string[] | undefined;
      for (;;) {
        const { text, values } = daySelect(table, bounds, { after, limit: pageRows });
        const { rows } = await db.executeQuery<Record<string, string | null>>(CompiledQuery.raw(text, values));
        if (rows.length > 0) yield Buffer.from(encodeCopyLines(rows.map((row) => columns.map((column) => row[column] ?? null))));
        const last = rows.at(-1);
        if (rows.length < pageRows || !last) return;
        after = table.key.map((_, index) => last[`key_${index}`] as string);
      }
    },
  };
}

/** The right source for an opened OLTP database: COPY on a Postgres server, pages on PGlite. */
export function extractSource(oltp: Pick<OltpDatabase, 'db' | 'pool'>): ExtractSource {
  return oltp.pool ? copySource(oltp.db, oltp.pool) : pagedSource(oltp.db);
}
