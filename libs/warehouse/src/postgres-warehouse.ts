// The warehouse on Postgres: a server through a pg pool, or the embedded PGlite; layers are prefixed schemas.
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { digestFromSums, pgDigestQuery, type PartitionDigest } from './digest.js';
import { compactDate, verifyStaged, type PartitionLoad, type Warehouse } from './partition-loader.js';
import {
  assertIsoDate,
  LOADED_AT_COLUMN,
  LOGICAL_DATE_COLUMN,
  loadColumns,
  rawTable,
  type ColumnType,
  type RawColumn,
  type RawTable,
  type RawTableName,
} from './raw-tables.js';
import { LAYERS, type Layer, type Row } from './warehouse-sql.js';

export const DEFAULT_PG_LAYER_PREFIX = 'wh_';

/** Named parameters (`@name`, as BigQuery spells them) become positional `$n` for Postgres. */
export function toPositional(sql: string, params: Record<string, unknown> = {}): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const positions = new Map<string, number>();
  const text = sql.replace(/(?<![@\w])@(\w+)/g, (match, name: string) => {
    if (!(name in params)) return match;
    let position = positions.get(name);
    if (position === undefined) {
      values.push(params[name]);
      position = values.length;
      positions.set(name, position);
    }
    return `$${position}`;
  });
  return { text, values };
}

type Session = { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

interface PostgresEngine {
  query(text: string, values?: unknown[]): Promise<Row[]>;
  transaction(work: (session: Session) => Promise<void>): Promise<void>;
  /** Bulk-loads COPY text chunks into `table (columns)`. */
  copyIn(table: string, columns: string, chunks: AsyncIterable<Buffer>): Promise<void>;
  close(): Promise<void>;
}

/** How far COPY data may run ahead of the server before the extractor waits. */
const COPY_BUFFER_BYTES = 4 << 20;
/** PGlite reads COPY data from a Blob per statement; chunks are gathered up to this size, which bounds its memory. */
const PGLITE_COPY_BYTES = 8 << 20;

function poolEngine(pool: pg.Pool, ownsPool: boolean): PostgresEngine {
  return {
    query: async (text, values) => (await pool.query(text, values)).rows,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work(client);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async copyIn(table, columns, chunks) {
      const client = await pool.connect();
      let finished = false;
      try {
        await pipeline(chunks, client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`, { highWaterMark: COPY_BUFFER_BYTES })));
        finished = true;
      } finally {
        // An aborted COPY leaves the connection unusable: the pool discards it.
        client.release(!finished);
      }
    },
    close: async () => {
      if (ownsPool) await pool.end();
    },
  };
}

function pgliteEngine(lite: PGlite): PostgresEngine {
  return {
    query: async (text, values) => (await lite.query<Row>(text, values)).rows,
    transaction: async (work) => {
      await lite.transaction((tx) => work(tx));
    },
    async copyIn(table, columns, chunks) {
      const copy = (parts: Buffer[]) => lite.query(`COPY ${table} (${columns}) FROM '/dev/blob'`, [], { blob: new Blob(parts) });
      let parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of chunks) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= PGLITE_COPY_BYTES) {
          await copy(parts);
          parts = [];
          size = 0;
        }
      }
      if (parts.length > 0) await copy(parts);
    },
    close: async () => undefined,
  };
}

const PG_TYPES: Record<ColumnType, (column: RawColumn) => string> = {
  string: () => 'text',
  int64: () => 'bigint',
  numeric: (column) => (column.numeric ? `numeric(${column.numeric.precision},${column.numeric.scale})` : 'numeric'),
  bool: () => 'boolean',
  timestamp: () => 'timestamptz',
  json: () => 'jsonb',
};

const quote = (name: string) => `"${name}"`;

class PostgresWarehouse implements Warehouse {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly engine: PostgresEngine,
    private readonly prefix: string,
  ) {}

  layerName(layer: Layer): string {
    return `${this.prefix}${layer}`;
  }

  table(layer: Layer, name: string): string {
    return `"${this.layerName(layer)}"."${name}"`;
  }

  query<T extends Row = Row>(sql: string, params?: Record<string, unknown>): Promise<T[]> {
    const { text, values } = toPositional(sql, params);
    return this.engine.query(text, values) as Promise<T[]>;
  }

  transaction(statements: string[]): Promise<void> {
    return this.engine.transaction(async (session) => {
      for (const statement of statements) await session.query(statement);
    });
  }

  async ensureLayers(layers: readonly Layer[] = LAYERS): Promise<void> {
    for (const layer of layers) await this.engine.query(`CREATE SCHEMA IF NOT EXISTS "${this.layerName(layer)}"`);
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /**
   * Partition exchange: COPY streams the lines into a standalone stage table shaped like partition D (with a CHECK
   * constraint matching the partition bound, so attaching it needs no scan); once its digest matches the extract, one
   * transaction drops the old partition and attaches the stage in its place. Readers see the old day or the new one,
   * never a mix, and no row is written twice.
   */
  async loadPartition({ table, date, lines, expected, hooks }: PartitionLoad): Promise<PartitionDigest> {
    const schema = rawTable(table);
    assertIsoDate(date);
    await this.ensureRawTable(schema);
    const stageName = `_load_${table}_${compactDate(date)}`;
    const stage = this.table('raw', stageName);
    await this.engine.query(`DROP TABLE IF EXISTS ${stage}`);
    await this.engine.query(`CREATE TABLE ${stage} (LIKE ${this.table('raw', table)})`);
    await this.engine.query(
      `ALTER TABLE ${stage}
        ALTER COLUMN ${LOGICAL_DATE_COLUMN} SET DEFAULT DATE '${date}',
        ALTER COLUMN ${LOADED_AT_COLUMN} SET DEFAULT '${new Date().toISOString()}'::timestamptz,
        ADD CONSTRAINT ${quote(`${stageName}_day`)} CHECK (${LOGICAL_DATE_COLUMN} >= DATE '${date}' AND ${LOGICAL_DATE_COLUMN} < DATE '${date}' + 1)`,
    );
    await this.engine.copyIn(
      stage,
      loadColumns(schema)
        .map((column) => quote(column.name))
        .join(', '),
      lines,
    );
    const staged = verifyStaged(`${stage} for ${date}`, expected(), await this.digestOf(schema, stage));
    await hooks?.afterStage?.();
    const partitionName = this.partitionName(table, date);
    await this.engine.transaction(async (session) => {
      await session.query(`DROP TABLE IF EXISTS ${this.table('raw', partitionName)}`);
      await session.query(`ALTER TABLE ${stage} RENAME TO ${quote(partitionName)}`);
      await session.query(
        `ALTER TABLE ${this.table('raw', table)} ATTACH PARTITION ${this.table('raw', partitionName)} FOR VALUES FROM ('${date}') TO (DATE '${date}' + 1)`,
      );
    });
    return staged;
  }

  async partitionDigest(table: RawTableName, date: string): Promise<PartitionDigest> {
    const partition = this.table('raw', this.partitionName(table, assertIsoDate(date)));
    const [found] = await this.engine.query('SELECT to_regclass($1) IS NOT NULL AS found', [partition]);
    return found?.['found'] ? this.digestOf(rawTable(table), partition) : digestFromSums(undefined);
  }

  private partitionName(table: RawTableName, date: string): string {
    return `${table}_p${compactDate(date)}`;
  }

  private async digestOf(schema: RawTable, relation: string): Promise<PartitionDigest> {
    const [sums] = await this.engine.query(pgDigestQuery(schema.columns, relation));
    return digestFromSums(sums);
  }

  private async ensureRawTable(schema: RawTable): Promise<void> {
    await this.ensureLayers(['raw']);
    const columns = schema.columns.map((column) => `${quote(column.name)} ${PG_TYPES[column.type](column)}${column.nullable ? '' : ' NOT NULL'}`);
    await this.engine.query(
      `CREATE TABLE IF NOT EXISTS ${this.table('raw', schema.name)} (
        ${[...columns, `${LOGICAL_DATE_COLUMN} date NOT NULL`, `${LOADED_AT_COLUMN} timestamptz NOT NULL`].join(',\n        ')}
      ) PARTITION BY RANGE (${LOGICAL_DATE_COLUMN})`,
    );
  }
}

export interface PostgresWarehouseOptions {
  /** Schema prefix; the default keeps warehouse layers apart from the OLTP `raw` landing schema. */
  prefix?: string;
  /** Whether closing the warehouse ends the pool (false when the pool is shared with the OLTP database). */
  ownsPool?: boolean;
}

export function postgresWarehouse(pool: pg.Pool, options: PostgresWarehouseOptions = {}): Warehouse {
  return new PostgresWarehouse(poolEngine(pool, options.ownsPool ?? false), options.prefix ?? DEFAULT_PG_LAYER_PREFIX);
}

export function pgliteWarehouse(lite: PGlite, options: PostgresWarehouseOptions = {}): Warehouse {
  return new PostgresWarehouse(pgliteEngine(lite), options.prefix ?? DEFAULT_PG_LAYER_PREFIX);
}
