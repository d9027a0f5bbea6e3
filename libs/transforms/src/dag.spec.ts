import { buildGraph } from './dag.js';
import { relationships } from './data-tests.js';
import { defineModel, type Model } from './model.js';
import { allModels } from './models/index.js';

const model = (name: string, refs: string[], extra: Partial<Model> = {}): Model =>
  defineModel({
    name,
    layer: 'core',
    description: name,
    materialization: { kind: 'table' },
    columns: { id: 'Key.' },
    sql: ({ ref }) => `SELECT id FROM ${refs.length > 0 ? refs.map(ref).join(', ') : 'somewhere'}`,
    ...extra,
  });

describe('buildGraph', () => {
  it('reads edges from ref() and orders parents before children', () => {
    const graph = buildGraph([model('c', ['a', 'b']), model('b', ['a']), model('a', [])]);
    expect(graph.order).toEqual(['a', 'b', 'c']);
    expect(graph.parents.get('c')).toEqual(['a', 'b']);
    expect(graph.children.get('a')).toEqual(['c', 'b']);
  });

  it('names every model in a cycle', () => {
    expect(() => buildGraph([model('a', ['c']), model('b', ['a']), model('c', ['b']), model('d', [])])).toThrow('dependency cycle: a -> b -> c -> a');
    expect(() => buildGraph([model('self', ['self'])])).toThrow('dependency cycle: self -> self');
  });

  it('names the model and the unknown ref, in SQL and in tests', () => {
    expect(() => buildGraph([model('a', ['missing'])])).toThrow("model 'a' refs unknown model 'missing'");
    const tested = model('b', [], { tests: [relationships('id', { model: 'nowhere', field: 'id' })] });
    expect(() => buildGraph([tested])).toThrow("a test of model 'b' refs unknown model 'nowhere'");
  });

  it('refuses a model declared twice', () => {
    expect(() => buildGraph([model('a', []), model('a', [])])).toThrow("model 'a' is declared twice");
  });

  it('records the raw sources of the project models', () => {
    const graph = buildGraph(allModels);
    expect(graph.parents.get('fct_orders')).toEqual(['stg_orders', 'stg_decisions']);
    expect(graph.sources.get('stg_orders')).toEqual(['raw.orders']);
    expect(graph.order.indexOf('mart_most_fraudulent_users')).toBeGreaterThan(graph.order.indexOf('mart_user_fraud_status'));
  });
});
