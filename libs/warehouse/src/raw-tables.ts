// The typed schemas of the warehouse `raw` tables, written once so both engines create the same columns and the loader checks them.

/** Engine-neutral column types; each adapter maps them to its own exact type (never a float for money). */
export type ColumnType = 'string' | 'int64' | 'numeric' | 'bool' | 'timestamp' | 'json';

export interface RawColumn {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  /** Precision and scale of a `numeric` column on Postgres; BigQuery NUMERIC holds 29 integer and 9 fraction digits. */
  numeric?: { precision: number; scale: number };
}

export interface RawTable {
  name: RawTableName;
  columns: readonly RawColumn[];
  /** BigQuery clustering columns (at most four), chosen for the joins and filters the marts run. */
  clusterBy: readonly string[];
}

/** The partition column: the business-time-zone date D the row belongs to. */
export const LOGICAL_DATE_COLUMN = '_logical_date';
/** When the load that wrote the row ran. */
export const LOADED_AT_COLUMN = '_loaded_at';

export const RAW_TABLE_NAMES = [
  'users',
  'products',
  'merchants',
  'orders',
  'decisions',
  'order_labels',
  'order_events',
  'order_outcomes',
  'shadow_decisions',
] as const;
export type RawTableName = (typeof RAW_TABLE_NAMES)[number];

const money = { precision: 18, scale: 2 };
const text = (name: string, nullable = false): RawColumn => ({ name, type: 'string', nullable });
const at = (name: string): RawColumn => ({ name, type: 'timestamp' });

export const RAW_TABLES: Readonly<Record<RawTableName, RawTable>> = {
  users: {
    name: 'users',
    columns: [
      text('user_id'),
      text('first_name'),
      text('last_name'),
      text('email'),
      text('default_payment'),
      text('phone', true),
      text('country'),
      at('created_at'),
      at('updated_at'),
    ],
    clusterBy: ['user_id'],
  },
  products: {
    name: 'products',
    columns: [
      text('product_id'),
      text('product_name'),
      text('category'),
      { name: 'price', type: 'numeric', numeric: money },
      at('created_at'),
      at('updated_at'),
    ],
    clusterBy: ['product_id'],
  },
  merchants: {
    name: 'merchants',
    columns: [text('merchant_id'), text('merchant_name'), text('category'), text('country'), at('created_at'), at('updated_at')],
    clusterBy: ['merchant_id'],
  },
  orders: {
    name: 'orders',
    columns: [
      text('order_id'),
      text('user_id'),
      text('product_id'),
      text('merchant_id'),
      { name: 'quantity', type: 'int64' },
      { name: 'unit_price', type: 'numeric', numeric: money },
      { name: 'amount', type: 'numeric', numeric: money },
      text('currency'),
      text('payment_method'),
      text('country'),
      text('device_id'),
      text('ip'),
      text('ip_country'),
      { name: 'is_vpn', type: 'bool' },
      text('email', true),
      at('created_at'),
      at('ingested_at'),
    ],
    clusterBy: ['user_id', 'device_id'],
  },
  decisions: {
    name: 'decisions',
    columns: [
      text('order_id'),
      text('decision'),
      { name: 'score', type: 'int64' },
      text('status'),
      { name: 'is_fraud', type: 'bool' },
      { name: 'reasons', type: 'json' },
      text('ruleset_id'),
      { name: 'ruleset_version', type: 'int64' },
      { name: 'latency_ms', type: 'numeric', numeric: { precision: 12, scale: 3 } },
      at('order_created_at'),
      at('decided_at'),
    ],
    clusterBy: ['order_id'],
  },
  order_labels: {
    name: 'order_labels',
    columns: [text('order_id'), text('pattern'), { name: 'is_fraud', type: 'bool' }],
    clusterBy: ['order_id'],
  },
  order_events: {
    name: 'order_events',
    columns: [
      text('topic'),
      { name: 'partition', type: 'int64' },
      { name: 'offset', type: 'int64' },
      text('message_key', true),
      text('order_id'),
      { name: 'message', type: 'json' },
      at('received_at'),
    ],
    clusterBy: ['order_id'],
  },
  // An outcome belongs to the day it became known (known_at), not to its order's day: a chargeback weeks later lands then.
  order_outcomes: {
    name: 'order_outcomes',
    columns: [
      text('outcome_id'),
      text('order_id'),
      text('kind'),
      text('label', true),
      { name: 'amount', type: 'numeric', numeric: money, nullable: true },
      at('occurred_at'),
      at('known_at'),
      text('source', true),
    ],
    clusterBy: ['order_id'],
  },
  // A shadow ruleset's decision of an order, beside the live one in `decisions`: one row per order and ruleset version.
  shadow_decisions: {
    name: 'shadow_decisions',
    columns: [
      text('order_id'),
      text('ruleset_id'),
      { name: 'ruleset_version', type: 'int64' },
      text('decision'),
      { name: 'score', type: 'int64' },
      { name: 'reasons', type: 'json' },
      { name: 'rule_failures', type: 'json', nullable: true },
      at('order_created_at'),
      at('decided_at'),
    ],
    clusterBy: ['order_id', 'ruleset_id'],
  },
};

/**
 * Column order of load lines: JSON columns first, so the checksummed columns (all but JSON) form one contiguous tail of
 * every line and the extractor can hash that tail without splitting fields.
 */
export function loadColumns(table: RawTable): RawColumn[] {
  return [...table.columns.filter((column) => column.type === 'json'), ...table.columns.filter((column) => column.type !== 'json')];
}

export function rawTable(name: string): RawTable {
  if (!(RAW_TABLE_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown raw table '${name}': expected one of ${RAW_TABLE_NAMES.join(', ')}`);
  }
  return RAW_TABLES[name as RawTableName];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The logical date is spliced into DDL and partition names, so it must be exactly `YYYY-MM-DD`. */
export function assertIsoDate(date: string): string {
  if (!ISO_DATE.test(date)) throw new Error(`invalid logical date '${date}': expected YYYY-MM-DD`);
  return date;
}
