// Compiles the project for one warehouse: each model's SELECT, the steps that materialize it, and its data tests' SQL.
import { createHash } from 'node:crypto';
import type { Layer, WarehouseSql } from '@fraudline/warehouse';
import { asOfExpression, assertInterval, createModelContext, type Interval } from './context.js';
import { buildGraph, ProjectError, type ModelGraph } from './dag.js';
import { testName, testSql, type DataTest, type Severity } from './data-tests.js';
import { assertTimeZone, sqlDialect, type RelatedNames, type SqlDialect, type Step } from './dialect.js';
import type { Model, ModelContext, ModelLayer } from './model.js';
import { allModels } from './models/index.js';

export interface CompileOptions {
  warehouse: Pick<WarehouseSql, 'dialect' | 'table'>;
  /** The project's models; `allModels` by default. */
  models?: readonly Model[];
  /** Business time zone; BUSINESS_TZ or Asia/Jakarta by default. */
  tz?: string;
  /** `[start, end)` business dates (`YYYY-MM-DD`) for incremental updates; both or neither. */
  start?: string;
  end?: string;
  /**
   * What the run knows as of (`ctx.asOf`): outcomes known later are left out and unlabelled orders mature against it.
   * Default: the start of `end` in the business time zone (the end of the run's last day); without an interval, now.
   */
  asOf?: Date | string;
  /** Work around the BigQuery emulator's gaps; by default when BIGQUERY_EMULATOR_HOST is set. */
  bigQueryEmulator?: boolean;
}

export interface CompiledPlan {
  /** The model's SELECT as compiled for this plan. */
  sql: string;
  /** sha256 (hex) of `sql`. */
  sqlHash: string;
  steps: Step[];
}

export interface CompiledTest {
  name: string;
  model: string;
  type: DataTest['type'];
  severity: Severity;
  /** Selects the failing rows. */
  sql: string;
  /** Other models the test reads (e.g. the parent of a relationships test). */
  refs: readonly string[];
}

export interface CompiledModel {
  model: Model;
  name: string;
  layer: ModelLayer;
  /** Fully quoted relation name. */
  relation: string;
  parents: readonly string[];
  /** Builds the relation from scratch (every materialization). */
  full: CompiledPlan;
  /** Updates an existing incremental relation for the interval; only when the run has one. */
  incremental?: CompiledPlan;
  tests: CompiledTest[];
}

export interface CompiledProject {
  dialect: SqlDialect;
  graph: ModelGraph;
  tz: string;
  interval?: Interval;
  /** Every model, parents before children. */
  models: CompiledModel[];
  byName: ReadonlyMap<string, CompiledModel>;
}

export function businessTimeZone(tz?: string): string {
  return assertTimeZone(tz ?? process.env['BUSINESS_TZ'] ?? 'Asia/Jakarta');
}

function intervalOf({ start, end }: CompileOptions): Interval | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) throw new ProjectError('an interval needs both start and end');
  return assertInterval({ start, end });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function plan(sql: string, steps: Step[]): CompiledPlan {
  return { sql, sqlHash: sha256(sql), steps };
}

function incrementalPlan(model: Model, ctx: ModelContext, dialect: SqlDialect, relation: string, scratch: string): CompiledPlan | undefined {
  const { materialization } = model;
  if (materialization.kind !== 'incremental' || !ctx.start) return undefined;
  const sql = model.sql(ctx);
  const columns = Object.keys(model.columns).join(', ');
  if ('intervalColumn' in materialization) {
    return plan(sql, [
      {
        transaction: [
          `DELETE FROM ${relation} WHERE ${ctx.inInterval(materialization.intervalColumn)}`,
          `INSERT INTO ${relation} (${columns})\nSELECT ${columns} FROM (\n${sql}\n) AS model_rows`,
        ],
      },
    ]);
  }
  return plan(sql, [
    ...dialect.createScratchTable(scratch, sql),
    {
      transaction: [
        `DELETE FROM ${relation} WHERE ${dialect.keyIn(materialization.uniqueKey, scratch)}`,
        `INSERT INTO ${relation} (${columns})\nSELECT ${columns} FROM ${scratch}`,
      ],
    },
    { statement: dialect.dropIfExists(scratch, 'table') },
  ]);
}

export function compileProject(options: CompileOptions): CompiledProject {
  const models = options.models ?? allModels;
  const { warehouse } = options;
  const graph = buildGraph(models);
  const tz = businessTimeZone(options.tz);
  const interval = intervalOf(options);
  const dialect = sqlDialect({ name: warehouse.dialect, emulator: options.bigQueryEmulator ?? Boolean(process.env['BIGQUERY_EMULATOR_HOST']) });
  const byModel = new Map(models.map((model) => [model.name, model]));
  const relationOf = (layer: Layer, name: string) => warehouse.table(layer, name);
  const ref = (name: string) => {
    const model = byModel.get(name);
    if (!model) throw new ProjectError(`unknown model '${name}'`);
    return relationOf(model.layer, name);
  };
  // One as-of for the whole run: a full build and an interval update of the same run judge labels at the same instant.
  const asOf = asOfExpression(dialect, tz, interval, options.asOf);
  const contextFor = (modelInterval?: Interval) =>
    createModelContext({ dialect, tz, interval: modelInterval, ref, rawTable: (table) => relationOf('raw', table), asOf });
  const fullContext = contextFor();
  const compiled = graph.order.map((name): CompiledModel => {
    const model = byModel.get(name) as Model;
    const relation = relationOf(model.layer, name);
    const names: RelatedNames = { relation, name, building: relationOf(model.layer, `${name}__building`) };
    const fullSql = model.sql(fullContext);
    const kind = model.materialization.kind === 'view' ? 'view' : 'table';
    const tests = model.tests.map((test): CompiledTest => {
      if (test.type === 'relationships' && !(test.field in (byModel.get(test.to)?.columns ?? {}))) {
        throw new ProjectError(`relationships test of '${name}' names unknown column '${test.to}.${test.field}'`);
      }
      const refs: string[] = [];
      const recordingRef = (other: string) => {
        if (!refs.includes(other)) refs.push(other);
        return ref(other);
      };
      return {
        name: testName(name, test),
        model: name,
        type: test.type,
        severity: test.severity,
        sql: testSql(test, { ...fullContext, ref: recordingRef, self: relation }),
        refs: refs.filter((other) => other !== name),
      };
    });
    return {
      model,
      name,
      layer: model.layer,
      relation,
      parents: graph.parents.get(name) ?? [],
      full: plan(fullSql, dialect.replace(names, kind, fullSql)),
      incremental: interval && incrementalPlan(model, contextFor(interval), dialect, relation, relationOf(model.layer, `${name}__incoming`)),
      tests,
    };
  });
  const testNames = compiled.flatMap((model) => model.tests.map((test) => test.name));
  const repeated = testNames.filter((testName, index) => testNames.indexOf(testName) !== index);
  if (repeated.length > 0) throw new ProjectError(`data test names must be unique: ${[...new Set(repeated)].join(', ')}`);
  return { dialect, graph, tz, interval, models: compiled, byName: new Map(compiled.map((model) => [model.name, model])) };
}
