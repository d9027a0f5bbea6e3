// Real warehouses for integration tests (a throw-away Postgres database, or fresh datasets on the BigQuery emulator) and
// a normal form for their values, so rows from both engines compare equal.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, requireService } from '@fraudline/testing';
import { bigQueryWarehouse, LAYERS, postgresWarehouse, type Layer, type Row, type WarehouseSql } from '@fraudline/warehouse';
import pg from 'pg';

export type Engine = 'postgres' | 'bigquery';
export const ENGINES: Engine[] = ['postgres', 'bigquery'];

export interface TestWarehouse {
  engine: Engine;
  warehouse: WarehouseSql;
  /** A Postgres connection string to the same database (Postgres only), e.g. for OLTP tables. */
  databaseUrl?: string;
  close(): Promise<void>;
}

const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/** Dates and wall-clock timestamps stay text, so no process time zone shifts them. */
const wallClockTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID || oid === TIMESTAMP_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openTestWarehouse(engine: Engine): Promise<TestWarehouse> {
  if (engine === 'postgres') {
    const database = await createTestDatabase('transforms');
    const pool = new pg.Pool({ connectionString: database.url, max: 4, types: wallClockTypes });
    return {
      engine,
      warehouse: postgresWarehouse(pool),
      databaseUrl: database.url,
      close: async () => {
        await pool.end();
        await database.drop();
      },
    };
  }
  const { BIGQUERY_EMULATOR_HOST, BIGQUERY_PROJECT } = await requireService('bigquery');
  const warehouse = bigQueryWarehouse({ projectId: BIGQUERY_PROJECT ?? 'test', emulatorHost: BIGQUERY_EMULATOR_HOST, prefix: `t${randomBytes(4).toString('hex')}_` });
  return {
    engine,
    warehouse,
    // The emulator slows down as datasets pile up, so each test warehouse removes its own.
    close: async () => {
      for (const layer of LAYERS) await warehouse.client.dataset(warehouse.layerName(layer)).delete({ force: true }).catch(() => undefined);
      await warehouse.close();
    },
  };
}

export type Normal = string | boolean | null;

const DECIMAL = /^-?\d+\.\d+$/;

/** Numbers, NUMERIC (pg text or BigQuery Big), BIGINT text, dates and timestamps in one spelling per value. */
export function normalize(value: unknown): Normal {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    if (DECIMAL.test(value)) return value.replace(/\.?0+$/, '');
    if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return value.replace(' ', 'T');
    return value;
  }
  const name = (value as object).constructor?.name;
  const wrapped = (value as { value?: unknown }).value;
  if (name === 'BigQueryTimestamp') return new Date(String(wrapped)).toISOString();
  if (name === 'BigQueryDate' || name === 'BigQueryDatetime') return String(wrapped).replace(/\.0+$/, '');
  if (name === 'Big') return normalize(String(value));
  return JSON.stringify(value);
}

/** The rows of a relation as tuples of normalized values in `columns` order, sorted by `orderBy`. */
export async function tableRows(warehouse: WarehouseSql, layer: Layer, name: string, columns: readonly string[], orderBy: string): Promise<Normal[][]> {
  const rows = await warehouse.query(`SELECT ${columns.join(', ')} FROM ${warehouse.table(layer, name)} ORDER BY ${orderBy}`);
  return rows.map((row: Row) => columns.map((column) => normalize(row[column])));
}
