// The model DAG, read from the ref() calls a model's SQL makes: dependency order, and errors that name the models at fault.
import { createModelContext } from './context.js';
import { testSql, type DataTest } from './data-tests.js';
import { sqlDialect } from './dialect.js';
import { MODEL_LAYERS, type Model } from './model.js';

export interface ModelGraph {
  /** Model names, every model after all of its parents. */
  order: readonly string[];
  parents: ReadonlyMap<string, readonly string[]>;
  children: ReadonlyMap<string, readonly string[]>;
  /** Raw tables each model reads, as `raw.<table>`. */
  sources: ReadonlyMap<string, readonly string[]>;
}

export class ProjectError extends Error {
  override readonly name = 'ProjectError';
}

interface Recorded {
  refs: string[];
  sources: string[];
}

/** Calls `build` with a context that records the refs and sources it asks for. */
function record(build: (ctx: ReturnType<typeof createModelContext>) => unknown): Recorded {
  const recorded: Recorded = { refs: [], sources: [] };
  const ctx = createModelContext({
    dialect: sqlDialect({ name: 'postgres' }),
    tz: 'UTC',
    ref: (model) => {
      if (!recorded.refs.includes(model)) recorded.refs.push(model);
      return `"${model}"`;
    },
    rawTable: (table) => {
      const source = `raw.${table}`;
      if (!recorded.sources.includes(source)) recorded.sources.push(source);
      return `"raw"."${table}"`;
    },
    asOf: 'CURRENT_TIMESTAMP',
  });
  build(ctx);
  return recorded;
}

function refsOfTest(test: DataTest): string[] {
  return record((ctx) => testSql(test, { ...ctx, self: '"self"' })).refs;
}

function findCycle(names: readonly string[], parents: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const parent of parents.get(name) ?? []) {
      const cycle = visit(parent);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of names) {
    const cycle = visit(name);
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/** Orders parents first; among models ready at the same time, by layer then name, so the order is stable. */
function topologicalOrder(models: readonly Model[], parents: ReadonlyMap<string, readonly string[]>): string[] {
  const rank = (model: Model) => `${MODEL_LAYERS.indexOf(model.layer)}:${model.name}`;
  const pending = [...models].sort((a, b) => rank(a).localeCompare(rank(b)));
  const done = new Set<string>();
  const order: string[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((model) => (parents.get(model.name) ?? []).every((parent) => done.has(parent)));
    const [ready] = pending.splice(index, 1);
    if (!ready) throw new ProjectError('no model is ready: the graph has a cycle');
    done.add(ready.name);
    order.push(ready.name);
  }
  return order;
}

export function buildGraph(models: readonly Model[]): ModelGraph {
  const names = new Set<string>();
  for (const model of models) {
    if (names.has(model.name)) throw new ProjectError(`model '${model.name}' is declared twice`);
    names.add(model.name);
  }
  const parents = new Map<string, string[]>();
  const sources = new Map<string, string[]>();
  const unknown: string[] = [];
  const checkRefs = (owner: string, refs: readonly string[]) => {
    for (const ref of refs) if (!names.has(ref)) unknown.push(`${owner} refs unknown model '${ref}'`);
  };
  for (const model of models) {
    const recorded = record(model.sql);
    checkRefs(`model '${model.name}'`, recorded.refs);
    parents.set(model.name, recorded.refs);
    sources.set(model.name, recorded.sources);
    checkRefs(`a test of model '${model.name}'`, model.tests.flatMap(refsOfTest));
  }
  if (unknown.length > 0) throw new ProjectError(unknown.join('; '));
  const cycle = findCycle([...names], parents);
  if (cycle) throw new ProjectError(`dependency cycle: ${cycle.join(' -> ')}`);
  const children = new Map<string, string[]>([...names].map((name) => [name, []]));
  for (const [child, childParents] of parents) for (const parent of childParents) children.get(parent)?.push(child);
  return { order: topologicalOrder(models, parents), parents, children, sources };
}
