// The SQL that differs between Postgres and BigQuery, so one model definition compiles and runs on both engines.
import type { Dialect } from '@fraudline/warehouse';

/** Engine-neutral types a model can cast to; each dialect spells them its own way. */
export type SqlType = 'string' | 'int64' | 'numeric' | 'bool' | 'timestamp' | 'datetime' | 'date' | 'json';
export type DateUnit = 'week' | 'month' | 'year';
export type RelationKind = 'table' | 'view';
export type Literal = string | number | boolean | null;

/** Expression builders a model's SQL uses instead of engine-specific functions. */
export interface SqlHelpers {
  /** A quoted identifier, for column names that are reserved words (`offset` on Postgres, `partition` on BigQuery). */
  ident(name: string): string;
  /** A string, number, boolean or NULL literal. */
  literal(value: Literal): string;
  /** A literal of an exact type from its text, e.g. `typedLiteral('12.50', 'numeric')`. */
  typedLiteral(text: string, type: SqlType): string;
  /** The engine's name for a type, for DDL. */
  typeName(type: SqlType): string;
  cast(expression: string, type: SqlType): string;
  countIf(condition: string): string;
  /** Sum of `expression` over rows matching `condition`; 0 (not NULL) when none match. */
  sumIf(expression: string, condition: string): string;
  /** Exact (NUMERIC) division that gives NULL instead of failing on a zero divisor. */
  safeDivide(numerator: string, denominator: string): string;
  /** 100 × part / whole as NUMERIC rounded to 2 decimals; NULL when whole is 0. */
  percent(part: string, whole: string): string;
  /** Hour of day (0–23, integer) of a TIMESTAMP as seen in time zone `tz`. */
  hourIn(timestamp: string, tz: string): string;
  /** Calendar date of a TIMESTAMP in time zone `tz`. */
  dateIn(timestamp: string, tz: string): string;
  /** Wall-clock time of a TIMESTAMP in time zone `tz`: BigQuery DATETIME, Postgres timestamp without time zone. */
  datetimeIn(timestamp: string, tz: string): string;
  /** The instant (TIMESTAMP) a DATE begins in time zone `tz`: its first wall-clock moment there. */
  startOfDayIn(date: string, tz: string): string;
  /** A TIMESTAMP moved by whole days of 24 hours (negative to go back), whatever the time zone does meanwhile. */
  addDays(timestamp: string, days: number): string;
  /** The current instant (TIMESTAMP). */
  currentTimestamp(): string;
  /** First day of the ISO week (Monday), month or year holding a DATE. */
  dateTrunc(date: string, unit: DateUnit): string;
  /** Whole rupiah with dots between thousands, e.g. `Rp 1.250.000`; a display column next to the number, never instead. */
  rupiah(amount: string): string;
  /** A JSON scalar as text, by a dotted path of object keys such as `device.deviceId`; NULL when absent. */
  jsonValue(json: string, path: string): string;
  /** A FROM-clause join giving one row per element of a JSON array; `alias` is then the element (a JSON value). */
  crossJoinJsonArray(json: string, alias: string): string;
}

/** One unit of a materialization: a statement, or statements that must commit together. */
export type Step = { statement: string } | { transaction: string[]; replacesRelation?: string };

/** How a dialect creates and replaces relations; `relation` is a fully quoted name from `WarehouseSql.table`. */
export interface MaterializationSql {
  /** Steps that make `relation` hold the result of `select`, atomically where the engine allows it. */
  replace(relation: RelatedNames, kind: RelationKind, select: string): Step[];
  /** Steps that (re)create a scratch table no reader depends on. */
  createScratchTable(relation: string, select: string): Step[];
  dropIfExists(relation: string, kind: RelationKind): string;
  /** Condition that the key columns of the current row appear in `relation`. */
  keyIn(keyColumns: readonly string[], relation: string): string;
  beginTransaction: string;
  commitTransaction: string;
}

/** A relation's quoted name, its bare name, and the quoted name of its build-time twin. */
export interface RelatedNames {
  relation: string;
  name: string;
  /** Where a table is built before the swap (Postgres). */
  building: string;
}

export interface SqlDialect extends SqlHelpers, MaterializationSql {
  readonly name: Dialect;
}

const IANA_ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** Time zones are spliced into SQL, so only IANA-shaped names pass. */
export function assertTimeZone(tz: string): string {
  if (!IANA_ZONE.test(tz)) throw new Error(`invalid time zone '${tz}': expected an IANA name such as Asia/Jakarta`);
  return tz;
}

const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function jsonKeys(path: string): string[] {
  const keys = path.split('.');
  for (const key of keys) if (!JSON_KEY.test(key)) throw new Error(`invalid JSON path '${path}': use dotted object keys`);
  return keys;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as SQL`);
  return String(value);
}

function wholeDays(days: number): number {
  if (!Number.isInteger(days)) throw new Error(`addDays takes whole days, got ${days}`);
  return days;
}

const POSTGRES_TYPES: Record<SqlType, string> = {
  string: 'text',
  int64: 'bigint',
  numeric: 'numeric',
  bool: 'boolean',
  timestamp: 'timestamptz',
  datetime: 'timestamp',
  date: 'date',
  json: 'jsonb',
};

const postgresString = (value: string) => `'${value.replace(/'/g, "''")}'`;

function postgresDialect(): SqlDialect {
  const cast = (expression: string, type: SqlType) => `CAST(${expression} AS ${POSTGRES_TYPES[type]})`;
  const safeDivide = (numerator: string, denominator: string) => `(${cast(numerator, 'numeric')} / NULLIF(${denominator}, 0))`;
  const local = (timestamp: string, tz: string) => `(${timestamp} AT TIME ZONE ${postgresString(assertTimeZone(tz))})`;
  return {
    name: 'postgres',
    ident: (name) => `"${name.replace(/"/g, '""')}"`,
    literal: (value) =>
      value === null ? 'NULL' : typeof value === 'string' ? postgresString(value) : typeof value === 'number' ? numberLiteral(value) : String(value).toUpperCase(),
    typedLiteral: (text, type) => `CAST(${postgresString(text)} AS ${POSTGRES_TYPES[type]})`,
    typeName: (type) => POSTGRES_TYPES[type],
    cast,
    countIf: (condition) => `COUNT(*) FILTER (WHERE ${condition})`,
    sumIf: (expression, condition) => `COALESCE(SUM(${expression}) FILTER (WHERE ${condition}), 0)`,
    safeDivide,
    percent: (part, whole) => `ROUND(${safeDivide(`${part} * 100`, whole)}, 2)`,
    hourIn: (timestamp, tz) => `CAST(EXTRACT(HOUR FROM ${local(timestamp, tz)}) AS integer)`,
    dateIn: (timestamp, tz) => `CAST(${local(timestamp, tz)} AS date)`,
    datetimeIn: local,
    startOfDayIn: (date, tz) => `(CAST(${date} AS timestamp) AT TIME ZONE ${postgresString(assertTimeZone(tz))})`,
    addDays: (timestamp, days) => `(${timestamp} + INTERVAL '${wholeDays(days) * 24} hours')`,
    currentTimestamp: () => 'CURRENT_TIMESTAMP',
    dateTrunc: (date, unit) => `CAST(date_trunc('${unit}', ${date}) AS date)`,
    rupiah: (amount) => `('Rp ' || regexp_replace(CAST(CAST(trunc(${amount}) AS bigint) AS text), '(\\d)(?=(\\d{3})+$)', '\\1.', 'g'))`,
    jsonValue: (json, path) => `(${json} #>> '{${jsonKeys(path).join(',')}}')`,
    crossJoinJsonArray: (json, alias) => `CROSS JOIN LATERAL jsonb_array_elements(${json}) AS ${alias}_elements(${alias})`,
    replace: ({ relation, name, building }, kind, select) =>
      kind === 'view'
        ? [{ transaction: [`DROP VIEW IF EXISTS ${relation} CASCADE`, `CREATE VIEW ${relation} AS\n${select}`], replacesRelation: relation }]
        : [
            { statement: `DROP TABLE IF EXISTS ${building}` },
            { statement: `CREATE TABLE ${building} AS\n${select}` },
            { transaction: [`DROP TABLE IF EXISTS ${relation} CASCADE`, `ALTER TABLE ${building} RENAME TO "${name}"`], replacesRelation: relation },
          ],
    createScratchTable: (relation, select) => [{ statement: `DROP TABLE IF EXISTS ${relation}` }, { statement: `CREATE TABLE ${relation} AS\n${select}` }],
    dropIfExists: (relation, kind) => `DROP ${kind.toUpperCase()} IF EXISTS ${relation} CASCADE`,
    keyIn: (keyColumns, relation) => `(${keyColumns.join(', ')}) IN (SELECT ${keyColumns.join(', ')} FROM ${relation})`,
    beginTransaction: 'BEGIN',
    commitTransaction: 'COMMIT',
  };
}

const BIGQUERY_TYPES: Record<SqlType, string> = {
  string: 'STRING',
  int64: 'INT64',
  numeric: 'NUMERIC',
  bool: 'BOOL',
  timestamp: 'TIMESTAMP',
  datetime: 'DATETIME',
  date: 'DATE',
  json: 'JSON',
};

const BIGQUERY_DATE_PARTS: Record<DateUnit, string> = { week: 'ISOWEEK', month: 'MONTH', year: 'YEAR' };

/** GoogleSQL string literals escape with backslashes; doubling a quote is not an escape there. */
const bigQueryString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

export interface BigQueryDialectOptions {
  /**
   * goccy/bigquery-emulator 0.8 fails `CREATE OR REPLACE` on an existing relation (it replaces the rows but keeps the
   * old schema and reports "table is already created"), so on the emulator a replace is DROP then CREATE: not atomic.
   */
  emulator?: boolean;
}

function bigQueryDialect({ emulator = false }: BigQueryDialectOptions): SqlDialect {
  const cast = (expression: string, type: SqlType) => `CAST(${expression} AS ${BIGQUERY_TYPES[type]})`;
  const safeDivide = (numerator: string, denominator: string) => `SAFE_DIVIDE(${cast(numerator, 'numeric')}, ${denominator})`;
  const zone = (tz: string) => bigQueryString(assertTimeZone(tz));
  const createOrReplace = (relation: string, kind: RelationKind, select: string): Step[] =>
    emulator
      ? [{ statement: `DROP ${kind.toUpperCase()} IF EXISTS ${relation}` }, { statement: `CREATE ${kind.toUpperCase()} ${relation} AS\n${select}` }]
      : [{ statement: `CREATE OR REPLACE ${kind.toUpperCase()} ${relation} AS\n${select}` }];
  return {
    name: 'bigquery',
    ident: (name) => `\`${name.replace(/`/g, '\\`')}\``,
    literal: (value) =>
      value === null ? 'NULL' : typeof value === 'string' ? bigQueryString(value) : typeof value === 'number' ? numberLiteral(value) : String(value).toUpperCase(),
    typedLiteral: (text, type) =>
      type === 'string' ? bigQueryString(text) : type === 'json' ? `JSON ${bigQueryString(text)}` : cast(bigQueryString(text), type),
    typeName: (type) => BIGQUERY_TYPES[type],
    cast,
    countIf: (condition) => `COUNTIF(${condition})`,
    sumIf: (expression, condition) => `COALESCE(SUM(IF(${condition}, ${expression}, NULL)), 0)`,
    safeDivide,
    percent: (part, whole) => `ROUND(${safeDivide(`${part} * 100`, whole)}, 2)`,
    hourIn: (timestamp, tz) => `EXTRACT(HOUR FROM ${timestamp} AT TIME ZONE ${zone(tz)})`,
    dateIn: (timestamp, tz) => `DATE(${timestamp}, ${zone(tz)})`,
    datetimeIn: (timestamp, tz) => `DATETIME(${timestamp}, ${zone(tz)})`,
    startOfDayIn: (date, tz) => `TIMESTAMP(${date}, ${zone(tz)})`,
    addDays: (timestamp, days) => `TIMESTAMP_ADD(${timestamp}, INTERVAL ${wholeDays(days)} DAY)`,
    currentTimestamp: () => 'CURRENT_TIMESTAMP()',
    dateTrunc: (date, unit) => `DATE_TRUNC(${date}, ${BIGQUERY_DATE_PARTS[unit]})`,
    rupiah: (amount) => `CONCAT('Rp ', REPLACE(FORMAT("%'d", CAST(TRUNC(${amount}) AS INT64)), ',', '.'))`,
    jsonValue: (json, path) => `JSON_VALUE(${json}, '$.${jsonKeys(path).join('.')}')`,
    crossJoinJsonArray: (json, alias) => `CROSS JOIN UNNEST(JSON_QUERY_ARRAY(${json})) AS ${alias}`,
    replace: ({ relation }, kind, select) => createOrReplace(relation, kind, select),
    createScratchTable: (relation, select) => createOrReplace(relation, 'table', select),
    dropIfExists: (relation, kind) => `DROP ${kind.toUpperCase()} IF EXISTS ${relation}`,
    keyIn: (keyColumns, relation) =>
      keyColumns.length === 1
        ? `${keyColumns[0]} IN (SELECT ${keyColumns[0]} FROM ${relation})`
        : `STRUCT(${keyColumns.join(', ')}) IN (SELECT AS STRUCT ${keyColumns.join(', ')} FROM ${relation})`,
    beginTransaction: 'BEGIN TRANSACTION',
    commitTransaction: 'COMMIT TRANSACTION',
  };
}

export interface DialectOptions extends BigQueryDialectOptions {
  name: Dialect;
}

export function sqlDialect({ name, ...options }: DialectOptions): SqlDialect {
  return name === 'postgres' ? postgresDialect() : bigQueryDialect(options);
}

/** Steps as one SQL script (e.g. for `psql -f` or a dry run): statements end with `;`, transactions are wrapped. */
export function renderSteps(dialect: SqlDialect, steps: readonly Step[]): string {
  return steps
    .map((step) =>
      'statement' in step
        ? `${step.statement};`
        : [`${dialect.beginTransaction};`, ...step.transaction.map((statement) => `${statement};`), `${dialect.commitTransaction};`].join('\n'),
    )
    .join('\n');
}
