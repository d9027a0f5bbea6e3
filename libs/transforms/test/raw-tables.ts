// Test-side raw tables with the warehouse raw-layer contract's columns, created and filled with plain SQL on either engine.
import type { WarehouseSql } from '@fraudline/warehouse';
import { sqlDialect, type RawSource, type SqlDialect, type SqlType } from '../src/index.js';

/** `money` is NUMERIC(18,2) on Postgres and NUMERIC on BigQuery; everything else maps through the dialect. */
export type RawType = SqlType | 'money';
export type RawValue = string | number | boolean | null;
export type RawRow = Record<string, RawValue>;

const ts = 'timestamp';

export const RAW_COLUMNS: Record<RawSource, Record<string, RawType>> = {
  users: {
    user_id: 'string', first_name: 'string', last_name: 'string', email: 'string', default_payment: 'string', phone: 'string', country: 'string',
    created_at: ts, updated_at: ts,
  },
  products: { product_id: 'string', product_name: 'string', category: 'string', price: 'money', created_at: ts, updated_at: ts },
  merchants: { merchant_id: 'string', merchant_name: 'string', category: 'string', country: 'string', created_at: ts, updated_at: ts },
  orders: {
    order_id: 'string', user_id: 'string', product_id: 'string', merchant_id: 'string', quantity: 'int64', unit_price: 'money', amount: 'money',
    currency: 'string', payment_method: 'string', country: 'string', device_id: 'string', ip: 'string', ip_country: 'string', is_vpn: 'bool',
    email: 'string', created_at: ts, ingested_at: ts,
  },
  decisions: {
    order_id: 'string', decision: 'string', score: 'int64', status: 'string', is_fraud: 'bool', reasons: 'json', ruleset_id: 'string',
    ruleset_version: 'int64', latency_ms: 'numeric', order_created_at: ts, decided_at: ts,
  },
  order_labels: { order_id: 'string', pattern: 'string', is_fraud: 'bool' },
  order_events: {
    topic: 'string', partition: 'int64', offset: 'int64', message_key: 'string', order_id: 'string', message: 'json', received_at: ts,
  },
  order_outcomes: {
    outcome_id: 'string', order_id: 'string', kind: 'string', label: 'string', amount: 'money', occurred_at: ts, known_at: ts, source: 'string',
  },
  shadow_decisions: {
    order_id: 'string', ruleset_id: 'string', ruleset_version: 'int64', decision: 'string', score: 'int64', reasons: 'json', rule_failures: 'json',
    order_created_at: ts, decided_at: ts,
  },
};

const PARTITION_COLUMNS: Record<string, RawType> = { _logical_date: 'date', _loaded_at: ts };

const columnsOf = (table: RawSource) => ({ ...RAW_COLUMNS[table], ...PARTITION_COLUMNS });

function typeName(dialect: SqlDialect, type: RawType): string {
  if (type !== 'money') return dialect.typeName(type);
  return dialect.name === 'postgres' ? 'numeric(18,2)' : dialect.typeName('numeric');
}

function literal(dialect: SqlDialect, type: RawType, value: RawValue): string {
  if (value === null || type === 'string' || type === 'int64' || type === 'bool') return dialect.literal(value);
  return dialect.typedLiteral(String(value), type === 'money' ? 'numeric' : type);
}

export function dialectOf(warehouse: WarehouseSql): SqlDialect {
  return sqlDialect({ name: warehouse.dialect });
}

/** Drops and recreates every raw table, empty. */
export async function createRawTables(warehouse: WarehouseSql): Promise<void> {
  const dialect = dialectOf(warehouse);
  await warehouse.ensureLayers();
  for (const table of Object.keys(RAW_COLUMNS) as RawSource[]) {
    const relation = warehouse.table('raw', table);
    const columns = Object.entries(columnsOf(table)).map(([name, type]) => `${dialect.ident(name)} ${typeName(dialect, type)}`);
    await warehouse.query(`DROP TABLE IF EXISTS ${relation}`);
    await warehouse.query(`CREATE TABLE ${relation} (${columns.join(', ')})`);
  }
}

/** Inserts rows (each with every contract column plus `_logical_date` and `_loaded_at`) in one statement per table. */
export async function insertRawRows(warehouse: WarehouseSql, rows: Partial<Record<RawSource, readonly RawRow[]>>): Promise<void> {
  const dialect = dialectOf(warehouse);
  for (const [table, tableRows] of Object.entries(rows) as [RawSource, readonly RawRow[]][]) {
    if (tableRows.length === 0) continue;
    const columns = Object.entries(columnsOf(table));
    const values = tableRows.map((row) => {
      const missing = columns.filter(([name]) => !(name in row)).map(([name]) => name);
      if (missing.length > 0) throw new Error(`raw.${table} row lacks ${missing.join(', ')}: ${JSON.stringify(row)}`);
      return `(${columns.map(([name, type]) => literal(dialect, type, row[name] as RawValue)).join(', ')})`;
    });
    await warehouse.query(
      `INSERT INTO ${warehouse.table('raw', table)} (${columns.map(([name]) => dialect.ident(name)).join(', ')}) VALUES\n${values.join(',\n')}`,
    );
  }
}
