import { notNull, unique } from './data-tests.js';
import { defineModel, type ModelDefinition } from './model.js';

const definition: ModelDefinition = {
  name: 'orders',
  layer: 'staging',
  description: 'Orders.',
  materialization: { kind: 'table' },
  columns: { order_id: 'Key.', day: 'Day.' },
  sql: () => 'SELECT 1 AS order_id, 2 AS day',
};

describe('defineModel', () => {
  it('fills in empty tags and tests', () => {
    expect(defineModel(definition)).toMatchObject({ name: 'orders', tags: [], tests: [] });
  });

  it('refuses names that are not lower-case SQL identifiers', () => {
    expect(() => defineModel({ ...definition, name: 'Orders' })).toThrow("model name 'Orders' must be a lower-case SQL identifier");
    expect(() => defineModel({ ...definition, columns: { 'order id': 'Key.' } })).toThrow(/column of orders 'order id'/);
  });

  it('refuses a model without columns', () => {
    expect(() => defineModel({ ...definition, columns: {} })).toThrow("model 'orders' declares no columns");
  });

  it('refuses tests and incremental settings on undeclared columns', () => {
    expect(() => defineModel({ ...definition, tests: [notNull('order_id'), unique(['order_id', 'hour'])] })).toThrow("model 'orders' uses undeclared column 'hour'");
    expect(() => defineModel({ ...definition, materialization: { kind: 'incremental', intervalColumn: 'date' } })).toThrow(/undeclared column 'date'/);
    expect(() => defineModel({ ...definition, materialization: { kind: 'incremental', uniqueKey: ['id'] } })).toThrow(/undeclared column 'id'/);
  });
});
