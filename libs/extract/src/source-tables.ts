// Where each raw table's rows come from in the OLTP database, which timestamp puts a row on day D, and the SQL that reads a day.
import { loadColumns, pgUtcText, RAW_TABLES, type ColumnType, type RawTableName } from '@fraudline/warehouse';
import type { DayBounds } from './logical-date.js';

export interface SourceTable {
  table: RawTableName;
  /** FROM clause; `alias` names the table that holds the raw columns. */
  from: string;
  alias: string;
  /** The timestamptz whose business date is the row's logical date. */
  dayColumn: string;
  /** A unique sort key, day column first so keyset pages walk its index. */
  key: readonly string[];
  /** Source expressions for raw columns that are not plainly `alias.column`. */
  expressions?: Readonly<Record<string, string>>;
}

export const SOURCE_TABLES: Readonly<Record<RawTableName, SourceTable>> = {
  // Users load by change time, not sign-up time: an edited user (e.g. a new email) must reach the warehouse's SCD2 dimension.
  users: { table: 'users', from: 'users u', alias: 'u', dayColumn: 'u.updated_at', key: ['u.updated_at', 'u.user_id'] },
  products: { table: 'products', from: 'products p', alias: 'p', dayColumn: 'p.updated_at', key: ['p.updated_at', 'p.product_id'] },
  merchants: { table: 'merchants', from: 'merchants m', alias: 'm', dayColumn: 'm.updated_at', key: ['m.updated_at', 'm.merchant_id'] },
  orders: {
    table: 'orders',
    from: 'orders o',
    alias: 'o',
    dayColumn: 'o.created_at',
    key: ['o.created_at', 'o.order_id'],
    // inet's text cast appends /32; abbrev() spells an address the way it was written.
    expressions: { ip: 'abbrev(o.ip)' },
  },
  decisions: { table: 'decisions', from: 'decisions d', alias: 'd', dayColumn: 'd.order_created_at', key: ['d.order_created_at', 'd.order_id'] },
  order_labels: {
    table: 'order_labels',
    from: 'order_labels l JOIN orders o ON o.order_id = l.order_id',
    alias: 'l',
    dayColumn: 'o.created_at',
    key: ['o.created_at', 'l.order_id'],
  },
  order_events: {
    table: 'order_events',
    from: 'raw.order_events e',
    alias: 'e',
    dayColumn: 'e.received_at',
    key: ['e.received_at', 'e.topic', 'e.partition', 'e."offset"'],
  },
  // An outcome loads on the day it became known: a chargeback 30 days after its order lands in that later day.
  order_outcomes: {
    table: 'order_outcomes',
    from: 'order_outcomes c',
    alias: 'c',
    dayColumn: 'c.known_at',
    key: ['c.known_at', 'c.outcome_id'],
  },
  // A shadow decision loads on its order's day, like the live decision beside it; an order has one per shadow ruleset version.
  shadow_decisions: {
    table: 'shadow_decisions',
    from: 'shadow_decisions s',
    alias: 's',
    dayColumn: 's.order_created_at',
    key: ['s.order_created_at', 's.order_id', 's.ruleset_id', 's.ruleset_version'],
  },
};

/** Every value leaves Postgres as text in the RowValues spelling, so nothing is parsed, rounded or shifted on the way. */
const AS_TEXT: Record<ColumnType, (expression: string) => string> = {
  string: (e) => `(${e})::text`,
  int64: (e) => `(${e})::text`,
  numeric: (e) => `trim_scale(${e})::text`,
  bool: (e) => `(${e})::text`,
  timestamp: pgUtcText,
  json: (e) => `(${e})::text`,
};

export interface KeysetPage {
  /** Key of the last row of the previous page, as text; undefined for the first page. */
  after: readonly string[] | undefined;
  limit: number;
}

export interface DayQuery {
  text: string;
  values: string[];
}

/**
 * SELECT of the raw columns as text, in load column order, for every row of the day; when paged, also `key_0..n` (as
 * text) in key order, with the previous page's key as parameters. The bounds are literals (they are computed instants,
 * never user text), because COPY takes no parameters.
 */
export function daySelect(source: SourceTable, bounds: DayBounds, page?: KeysetPage): DayQuery {
  const select = loadColumns(RAW_TABLES[source.table]).map((column) => {
    const expression = source.expressions?.[column.name] ?? `${source.alias}."${column.name}"`;
    return `${AS_TEXT[column.type](expression)} AS "${column.name}"`;
  });
  const where = [`${source.dayColumn} >= '${bounds.start.toISOString()}'`, `${source.dayColumn} < '${bounds.end.toISOString()}'`];
  const values: string[] = [];
  let tail = '';
  if (page) {
    select.push(...source.key.map((expression, index) => `(${expression})::text AS key_${index}`));
    if (page.after) {
      where.push(`(${source.key.join(', ')}) > (${page.after.map((_, index) => `$${index + 1}`).join(', ')})`);
      values.push(...page.after);
    }
    tail = ` ORDER BY ${source.key.join(', ')} LIMIT ${page.limit}`;
  }
  return { text: `SELECT ${select.join(', ')} FROM ${source.from} WHERE ${where.join(' AND ')}${tail}`, values };
}
