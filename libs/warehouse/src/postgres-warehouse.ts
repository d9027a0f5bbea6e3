// The warehouse on Postgres: a server through a pg pool, or the embedded PGlite; layers are prefixed schemas.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { LAYERS, type Layer, type Row, type WarehouseSql } from './warehouse-sql.js';

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
  close(): Promise<void>;
}

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
    close: async () => undefined,
  };
}

class PostgresWarehouse implements WarehouseSql {
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
}

export interface PostgresWarehouseOptions {
  /** Schema prefix; the default keeps warehouse layers apart from the OLTP `raw` landing schema. */
  prefix?: string;
  /** Whether closing the warehouse ends the pool (false when the pool is shared with the OLTP database). */
  ownsPool?: boolean;
}

export function postgresWarehouse(pool: pg.Pool, options: PostgresWarehouseOptions = {}): WarehouseSql {
  return new PostgresWarehouse(poolEngine(pool, options.ownsPool ?? false), options.prefix ?? DEFAULT_PG_LAYER_PREFIX);
}

export function pgliteWarehouse(lite: PGlite, options: PostgresWarehouseOptions = {}): WarehouseSql {
  return new PostgresWarehouse(pgliteEngine(lite), options.prefix ?? DEFAULT_PG_LAYER_PREFIX);
}
