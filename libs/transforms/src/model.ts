// How a model is declared once, in TypeScript: layer, SQL from ref()/source() and dialect helpers, materialization, tests, column docs.
import type { Layer } from '@fraudline/warehouse';
import type { DataTest } from './data-tests.js';
import type { SqlHelpers } from './dialect.js';

export type ModelLayer = Extract<Layer, 'staging' | 'core' | 'marts'>;
export const MODEL_LAYERS: readonly ModelLayer[] = ['staging', 'core', 'marts'];

/** The warehouse `raw` tables the daily load writes (the raw-layer contract in libs/warehouse). */
export const RAW_SOURCES = ['users', 'products', 'merchants', 'orders', 'decisions', 'order_labels', 'order_events', 'order_outcomes', 'shadow_decisions'] as const;
export type RawSource = (typeof RAW_SOURCES)[number];

export type Materialization =
  | { kind: 'view' }
  | { kind: 'table' }
  /** Each run merges the rows its SQL selects for the interval: rows whose key is already there are replaced. */
  | { kind: 'incremental'; uniqueKey: readonly string[] }
  /** Each run replaces the rows whose `intervalColumn` (a DATE) lies in `[start, end)` with what the SQL selects. */
  | { kind: 'incremental'; intervalColumn: string };

type ZonedHelper = (timestamp: string, tz?: string) => string;

/** What a model's SQL function receives; time-zone helpers default to the business time zone. */
export interface ModelContext extends Omit<SqlHelpers, 'hourIn' | 'dateIn' | 'datetimeIn' | 'startOfDayIn'> {
  /** The quoted relation of another model; calling it is what puts an edge in the DAG. */
  ref(model: string): string;
  /** The quoted relation of a warehouse raw table. */
  source(layer: 'raw', table: RawSource): string;
  /** The business time zone (BUSINESS_TZ, default Asia/Jakarta). */
  tz: string;
  /** DATE literals of the run's `[start, end)` interval; undefined when the model is built in full. */
  start?: string;
  end?: string;
  /** `expression >= start AND expression < end` for an incremental update, TRUE for a full build. */
  inInterval(dateExpression: string): string;
  /**
   * The run's as-of instant, a TIMESTAMP expression: what was known by then is what a model may count (e.g. outcomes
   * known before it, labels matured by it). The same for every model of a run, full or incremental: `asOf` when given,
   * else the start of the interval's `end` date in the business time zone, else the current time.
   */
  asOf: string;
  hourIn: ZonedHelper;
  dateIn: ZonedHelper;
  datetimeIn: ZonedHelper;
  startOfDayIn: (date: string, tz?: string) => string;
}

export interface ModelDefinition {
  name: string;
  layer: ModelLayer;
  description: string;
  /** e.g. `seed-a`, `seed-b`; selectors pick models by tag. */
  tags?: readonly string[];
  materialization: Materialization;
  /** Every output column, in SELECT order, with its description; a run fails when the built relation differs. */
  columns: Readonly<Record<string, string>>;
  tests?: readonly DataTest[];
  sql: (ctx: ModelContext) => string;
}

export interface Model extends ModelDefinition {
  tags: readonly string[];
  tests: readonly DataTest[];
}

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

function assertIdentifier(what: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`${what} '${name}' must be a lower-case SQL identifier`);
}

function testedColumns(test: DataTest): readonly string[] {
  switch (test.type) {
    case 'unique':
      return test.columns;
    case 'custom':
      return [];
    default:
      return [test.column];
  }
}

function materializedColumns(materialization: Materialization): readonly string[] {
  if (materialization.kind !== 'incremental') return [];
  return 'uniqueKey' in materialization ? materialization.uniqueKey : [materialization.intervalColumn];
}

/** Checks a model declaration: identifiers, declared columns for its tests and materialization. */
export function defineModel(definition: ModelDefinition): Model {
  assertIdentifier('model name', definition.name);
  const columns = Object.keys(definition.columns);
  if (columns.length === 0) throw new Error(`model '${definition.name}' declares no columns`);
  for (const column of columns) assertIdentifier(`column of ${definition.name}`, column);
  const tests = definition.tests ?? [];
  const used = [...materializedColumns(definition.materialization), ...tests.flatMap(testedColumns)];
  for (const column of used) {
    if (!columns.includes(column)) throw new Error(`model '${definition.name}' uses undeclared column '${column}'`);
  }
  return { ...definition, tags: definition.tags ?? [], tests };
}
