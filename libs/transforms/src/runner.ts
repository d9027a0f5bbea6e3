// Runs the selected models in dependency order: materializes each, checks its columns, runs its data tests, logs the run.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Row, WarehouseSql } from '@fraudline/warehouse';
import { RelationCache, warehouseCatalog, type Catalog } from './catalog.js';
import { compileProject, type CompileOptions, type CompiledModel, type CompiledPlan, type CompiledProject, type CompiledTest } from './compile.js';
import type { Severity } from './data-tests.js';
import { renderSteps, type RelationKind, type Step } from './dialect.js';
import { ensureRunLog, recordRuns, type RunLogEntry } from './run-log.js';
import { selectModels } from './selectors.js';

export type ModelStatus = 'success' | 'error' | 'skipped';
export type TestStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped';

export interface ModelResult {
  name: string;
  status: ModelStatus;
  /** Rows after the build; null for views and for models that did not build. */
  rows: number | null;
  durationMs: number;
  /** Whether the build replaced the relation or updated an interval / merged keys. */
  mode?: 'full' | 'incremental';
  /** Why the model failed, or why it was skipped. */
  error?: string;
}

export interface TestResult {
  name: string;
  model: string;
  severity: Severity;
  status: TestStatus;
  failingRows: number;
  /** Up to 10 of the failing rows. */
  sample: Row[];
  /** Why the test errored, or why it was skipped. */
  error?: string;
}

export interface CompiledSql {
  name: string;
  /** The statements the run would execute for the model, as a script. */
  sql: string;
}

export interface RunResult {
  runId: string;
  /** `failed` when a model failed or a blocking (`error` severity) test failed. */
  status: 'success' | 'failed';
  models: ModelResult[];
  tests: TestResult[];
  /** The selected models' SQL in dependency order; filled by a dry run, which executes nothing. */
  compiled: CompiledSql[];
}

export interface RunHooks {
  onModelStart?(event: { name: string; index: number; total: number }): void;
  onModelDone?(result: ModelResult): void;
  onTestResult?(result: TestResult): void;
}

export interface RunOptions extends Omit<CompileOptions, 'warehouse'>, RunHooks {
  warehouse: WarehouseSql;
  /** Selectors (`stg_orders`, `layer:marts`, `tag:seed-a`, `+x`, `x+`); all models by default. */
  select?: string | readonly string[];
  /** Compile and return/print the SQL in dependency order without touching the warehouse. */
  dryRun?: boolean;
  /** Rebuild incremental models from scratch instead of updating the interval. */
  fullRefresh?: boolean;
  runId?: string;
  /** Where progress lines and failing rows are printed; stdout by default. */
  log?: (line: string) => void;
}

const SAMPLE_ROWS = 10;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
const kindOf = (model: CompiledModel): RelationKind => (model.model.materialization.kind === 'view' ? 'view' : 'table');

/** Incremental models update their interval once they exist; everything else is rebuilt. */
function choosePlan(model: CompiledModel, existing: RelationKind | undefined, fullRefresh: boolean): CompiledPlan {
  return model.incremental && !fullRefresh && existing === 'table' ? model.incremental : model.full;
}

/**
 * Postgres binds a view to the table it reads, so replacing a table drops (CASCADE) the views on it. The project's
 * views reachable through views only are recreated in the same transaction, when they exist.
 */
async function recreatedViews(project: CompiledProject, model: CompiledModel, relations: RelationCache): Promise<string[]> {
  if (project.dialect.name !== 'postgres') return [];
  const dependents = new Set<string>();
  const visit = (name: string) => {
    for (const child of project.graph.children.get(name) ?? []) {
      const compiled = project.byName.get(child) as CompiledModel;
      if (kindOf(compiled) === 'view' && !dependents.has(child)) {
        dependents.add(child);
        visit(child);
      }
    }
  };
  visit(model.name);
  const statements: string[] = [];
  for (const name of project.graph.order) {
    const view = project.byName.get(name) as CompiledModel;
    if (dependents.has(name) && (await relations.kindOf(view.layer, name)) === 'view') {
      statements.push(`CREATE OR REPLACE VIEW ${view.relation} AS\n${view.full.sql}`);
    }
  }
  return statements;
}

async function stepsFor(project: CompiledProject, model: CompiledModel, plan: CompiledPlan, existing: RelationKind | undefined, relations: RelationCache): Promise<Step[]> {
  const steps: Step[] = [];
  if (existing && existing !== kindOf(model)) steps.push({ statement: project.dialect.dropIfExists(model.relation, existing) });
  const views = plan === model.full ? await recreatedViews(project, model, relations) : [];
  for (const step of plan.steps) {
    steps.push('transaction' in step && step.replacesRelation && views.length > 0 ? { transaction: [...step.transaction, ...views] } : step);
  }
  return steps;
}

async function execute(warehouse: WarehouseSql, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    if ('statement' in step) await warehouse.query(step.statement);
    else await warehouse.transaction(step.transaction);
  }
}

async function verifyColumns(model: CompiledModel, catalog: Catalog): Promise<void> {
  const declared = Object.keys(model.model.columns);
  const actual = await catalog.columnsOf(model.layer, model.name);
  if (actual.join(',') !== declared.join(',')) {
    throw new Error(`built columns (${actual.join(', ')}) differ from the declared columns (${declared.join(', ')})`);
  }
}

async function countRows(warehouse: WarehouseSql, relation: string): Promise<number> {
  const [row] = await warehouse.query<{ row_count: unknown }>(`SELECT COUNT(*) AS row_count FROM ${relation}`);
  return Number(row?.row_count);
}

interface Built {
  result: ModelResult;
  sqlHash: string;
}

async function buildModel(project: CompiledProject, model: CompiledModel, context: { warehouse: WarehouseSql; catalog: Catalog; relations: RelationCache; fullRefresh: boolean }): Promise<Built> {
  const { warehouse, catalog, relations, fullRefresh } = context;
  const started = performance.now();
  const existing = await relations.kindOf(model.layer, model.name);
  const plan = choosePlan(model, existing, fullRefresh);
  try {
    await execute(warehouse, await stepsFor(project, model, plan, existing, relations));
    await relations.built(model.layer, model.name, kindOf(model));
    await verifyColumns(model, catalog);
    const rows = kindOf(model) === 'table' ? await countRows(warehouse, model.relation) : null;
    const mode = plan === model.full ? 'full' : 'incremental';
    return { result: { name: model.name, status: 'success', rows, durationMs: performance.now() - started, mode }, sqlHash: plan.sqlHash };
  } catch (error) {
    return { result: { name: model.name, status: 'error', rows: null, durationMs: performance.now() - started, error: errorMessage(error) }, sqlHash: plan.sqlHash };
  }
}

const outcome = (test: CompiledTest, status: TestStatus, failingRows: number, sample: Row[], error?: string): TestResult => ({
  name: test.name,
  model: test.model,
  severity: test.severity,
  status,
  failingRows,
  sample,
  ...(error === undefined ? {} : { error }),
});

async function failingRowCounts(warehouse: WarehouseSql, project: CompiledProject, tests: readonly CompiledTest[]): Promise<number[]> {
  const counts = tests.map(
    (test, index) => `SELECT ${project.dialect.literal(index)} AS test_index, COUNT(*) AS failing FROM (\n${test.sql}\n) AS failing_rows_${index}`,
  );
  const rows = await warehouse.query<{ test_index: unknown; failing: unknown }>(counts.join('\nUNION ALL\n'));
  const failing = new Array<number>(tests.length).fill(0);
  for (const row of rows) failing[Number(row.test_index)] = Number(row.failing);
  return failing;
}

/**
 * Counts the failing rows of several tests in one query (one job on BigQuery), then samples the failing ones.
 * When the batch fails, each test runs alone so the error is reported against the test that caused it.
 */
async function runTests(warehouse: WarehouseSql, project: CompiledProject, tests: readonly CompiledTest[]): Promise<TestResult[]> {
  let counts: number[];
  try {
    counts = await failingRowCounts(warehouse, project, tests);
  } catch (error) {
    if (tests.length === 1) return [outcome(tests[0] as CompiledTest, 'error', 0, [], errorMessage(error))];
    const alone: TestResult[] = [];
    for (const test of tests) alone.push(...(await runTests(warehouse, project, [test])));
    return alone;
  }
  const results: TestResult[] = [];
  for (const [index, test] of tests.entries()) {
    const failingRows = counts[index] ?? 0;
    if (failingRows === 0) {
      results.push(outcome(test, 'pass', 0, []));
      continue;
    }
    const sample = await warehouse.query(`SELECT * FROM (\n${test.sql}\n) AS failing_rows LIMIT ${SAMPLE_ROWS}`);
    results.push(outcome(test, test.severity === 'warn' ? 'warn' : 'fail', failingRows, sample));
  }
  return results;
}

function describeTest(result: TestResult): string[] {
  const label = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', error: 'ERROR', skipped: 'SKIP' }[result.status];
  const head = `  ${label.padEnd(5)} ${result.name}${result.failingRows > 0 ? ` (${result.failingRows} failing rows)` : ''}${result.error ? `: ${result.error}` : ''}`;
  return [head, ...result.sample.map((row) => `        ${JSON.stringify(row)}`)];
}

function describeModel(result: ModelResult, index: number, total: number): string {
  const rows = result.rows === null ? '' : `, ${result.rows} rows`;
  const detail = result.status === 'success' ? ` (${result.mode}${rows}, ${Math.round(result.durationMs)} ms)` : `: ${result.error}`;
  return `[${index + 1}/${total}] ${result.status.toUpperCase().padEnd(7)} ${result.name}${detail}`;
}

const blocks = (result: TestResult) => result.severity === 'error' && (result.status === 'fail' || result.status === 'error');

function dryRun(project: CompiledProject, selected: readonly CompiledModel[], runId: string, fullRefresh: boolean, log: (line: string) => void): RunResult {
  const compiled = selected.map((model) => ({
    name: model.name,
    sql: renderSteps(project.dialect, (fullRefresh ? model.full : (model.incremental ?? model.full)).steps),
  }));
  for (const { name, sql } of compiled) log(`-- ${name}\n${sql}\n`);
  return { runId, status: 'success', models: [], tests: [], compiled };
}

export async function runModels(options: RunOptions): Promise<RunResult> {
  const { warehouse, fullRefresh = false, log = (line: string) => process.stdout.write(`${line}\n`) } = options;
  const project = compileProject(options);
  const selected = selectModels(project.graph, project.models.map((model) => model.model), options.select).map((name) => project.byName.get(name) as CompiledModel);
  const runId = options.runId ?? randomUUID();
  if (options.dryRun) return dryRun(project, selected, runId, fullRefresh, log);

  const catalog = warehouseCatalog(warehouse);
  const relations = new RelationCache(catalog);
  await warehouse.ensureLayers();
  await ensureRunLog(warehouse, project.dialect, relations);
  const selectedNames = new Set(selected.map((model) => model.name));
  /** Models of this run that built and whose blocking tests passed so far. */
  const usable = new Set<string>();
  const finished = new Set<string>();
  const models: ModelResult[] = [];
  const tests: TestResult[] = [];
  const logEntries: RunLogEntry[] = [];
  const pendingTests = new Set<CompiledTest>();

  const reportTest = (result: TestResult) => {
    tests.push(result);
    options.onTestResult?.(result);
    for (const line of describeTest(result)) log(line);
    if (blocks(result)) usable.delete(result.model);
  };

  /** Why a test cannot run: another model it reads did not build in this run, or is absent from the warehouse. */
  const unreadable = async (test: CompiledTest): Promise<string | undefined> => {
    for (const ref of test.refs) {
      const layer = (project.byName.get(ref) as CompiledModel).layer;
      if (selectedNames.has(ref) ? !usable.has(ref) : !(await relations.kindOf(layer, ref))) return `reads ${ref}, which is not built`;
    }
    return undefined;
  };

  /** Runs the tests of built models once every other model they read is finished (or not part of this run). */
  const runReadyTests = async () => {
    const ready = [...pendingTests].filter((test) => test.refs.every((ref) => finished.has(ref) || !selectedNames.has(ref)));
    const runnable: CompiledTest[] = [];
    for (const test of ready) {
      pendingTests.delete(test);
      const missing = await unreadable(test);
      if (missing) reportTest(outcome(test, 'skipped', 0, [], missing));
      else runnable.push(test);
    }
    if (runnable.length > 0) for (const result of await runTests(warehouse, project, runnable)) reportTest(result);
  };

  try {
    for (const [index, model] of selected.entries()) {
      options.onModelStart?.({ name: model.name, index, total: selected.length });
      const startedAt = new Date();
      const blockedBy = model.parents.find((parent) => selectedNames.has(parent) && !usable.has(parent));
      const { result, sqlHash } = blockedBy
        ? { result: { name: model.name, status: 'skipped' as const, rows: null, durationMs: 0, error: `${blockedBy} did not build or failed a blocking test` }, sqlHash: model.full.sqlHash }
        : await buildModel(project, model, { warehouse, catalog, relations, fullRefresh });
      finished.add(model.name);
      models.push(result);
      logEntries.push({ runId, model: model.name, status: result.status, rowCount: result.rows, durationMs: result.durationMs, sqlHash, startedAt });
      options.onModelDone?.(result);
      log(describeModel(result, index, selected.length));
      if (result.status === 'success') {
        usable.add(model.name);
        for (const test of model.tests) pendingTests.add(test);
      } else {
        for (const test of model.tests) reportTest(outcome(test, 'skipped', 0, [], `${model.name} did not build`));
      }
      await runReadyTests();
    }
  } finally {
    await recordRuns(warehouse, project.dialect, logEntries);
  }

  const failed = models.some((model) => model.status === 'error') || tests.some(blocks);
  return { runId, status: failed ? 'failed' : 'success', models, tests, compiled: [] };
}
