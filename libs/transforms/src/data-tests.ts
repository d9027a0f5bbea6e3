// Data tests on a model: each compiles to a query returning the failing rows, so an empty result is a pass.
import type { Literal } from './dialect.js';
import type { ModelContext } from './model.js';

/** `error` fails the run and skips everything downstream; `warn` only reports. */
export type Severity = 'error' | 'warn';

export interface TestOptions {
  severity?: Severity;
}

export type DataTest = { severity: Severity } & (
  | { type: 'not_null'; column: string }
  | { type: 'unique'; columns: readonly string[] }
  | { type: 'accepted_values'; column: string; values: readonly Literal[] }
  | { type: 'relationships'; column: string; to: string; field: string }
  | { type: 'accepted_range'; column: string; min?: number; max?: number }
  | { type: 'custom'; name: string; description: string; sql: (ctx: TestContext) => string }
);

/** A custom test's SQL gets the model context plus `self`, the quoted relation under test. */
export interface TestContext extends ModelContext {
  self: string;
}

const severityOf = (options?: TestOptions): Severity => options?.severity ?? 'error';

export const notNull = (column: string, options?: TestOptions): DataTest => ({ type: 'not_null', column, severity: severityOf(options) });

/** One column, or a combination of columns, identifies a row; rows with a NULL key part are left to not_null. */
export const unique = (columns: string | readonly string[], options?: TestOptions): DataTest => ({
  type: 'unique',
  columns: typeof columns === 'string' ? [columns] : columns,
  severity: severityOf(options),
});

export const acceptedValues = (column: string, values: readonly Literal[], options?: TestOptions): DataTest => ({
  type: 'accepted_values',
  column,
  values,
  severity: severityOf(options),
});

/** Every non-NULL `column` value exists as `field` of model `to`. */
export const relationships = (column: string, to: { model: string; field: string }, options?: TestOptions): DataTest => ({
  type: 'relationships',
  column,
  to: to.model,
  field: to.field,
  severity: severityOf(options),
});

/** `min <= column <= max`, either bound optional. */
export const acceptedRange = (column: string, range: { min?: number; max?: number }, options?: TestOptions): DataTest => ({
  type: 'accepted_range',
  column,
  ...range,
  severity: severityOf(options),
});

/** Any SQL that selects the rows breaking a rule. */
export const customTest = (name: string, description: string, sql: (ctx: TestContext) => string, options?: TestOptions): DataTest => ({
  type: 'custom',
  name,
  description,
  sql,
  severity: severityOf(options),
});

export function testName(model: string, test: DataTest): string {
  switch (test.type) {
    case 'custom':
      return `${model}_${test.name}`;
    case 'unique':
      return `unique_${model}_${test.columns.join('_')}`;
    default:
      return `${test.type}_${model}_${test.column}`;
  }
}

/** The query returning the rows that fail `test`. */
export function testSql(test: DataTest, ctx: TestContext): string {
  const { self } = ctx;
  switch (test.type) {
    case 'not_null':
      return `SELECT * FROM ${self} WHERE ${test.column} IS NULL`;
    case 'unique': {
      const key = test.columns.join(', ');
      return `SELECT ${key}, COUNT(*) AS occurrences FROM ${self}
WHERE ${test.columns.map((column) => `${column} IS NOT NULL`).join(' AND ')}
GROUP BY ${key} HAVING COUNT(*) > 1`;
    }
    case 'accepted_values':
      return `SELECT * FROM ${self} WHERE ${test.column} NOT IN (${test.values.map((value) => ctx.literal(value)).join(', ')})`;
    case 'relationships':
      return `SELECT child.* FROM ${self} AS child
LEFT JOIN ${ctx.ref(test.to)} AS parent ON child.${test.column} = parent.${test.field}
WHERE child.${test.column} IS NOT NULL AND parent.${test.field} IS NULL`;
    case 'accepted_range': {
      const outside = [
        test.min === undefined ? undefined : `${test.column} < ${ctx.literal(test.min)}`,
        test.max === undefined ? undefined : `${test.column} > ${ctx.literal(test.max)}`,
      ].filter((condition) => condition !== undefined);
      if (outside.length === 0) throw new Error(`accepted_range on '${test.column}' needs a min or a max`);
      return `SELECT * FROM ${self} WHERE ${outside.join(' OR ')}`;
    }
    case 'custom':
      return test.sql(ctx);
  }
}
