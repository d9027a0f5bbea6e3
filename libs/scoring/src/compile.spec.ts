import { handMadeModel } from '../test/hand-made-model.js';
import { compileModel, ModelDocumentError, oneHotKey, sigmoid, type FlatFeatures, type ScoringModel } from './index.js';

function refusal(document: unknown): ModelDocumentError {
  try {
    compileModel(document);
  } catch (error) {
    if (error instanceof ModelDocumentError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('compileModel', () => {
  const order = { 'user.orders1h': 7, 'order.amount': 2_000_000, [oneHotKey('order.paymentMethod', 'Credit Card')]: 0, 'order.quantity': 40 };

  it('scores intercept + Σ weight × standardised input, as a probability', () => {
    const model = compileModel(handMadeModel());
    const logOdds = -4 + (0.8 * (7 - 1)) / 2 + (1.2 * (Math.log1p(2_000_000) - 12)) / 1 + (-0.6 * (0 - 0.5)) / 0.5;
    expect(model.logOdds(order)).toBeCloseTo(logOdds, 12);
    expect(model.score(order)).toBeCloseTo(sigmoid(logOdds), 12);
    expect(model.score(order)).toBeGreaterThan(0);
    expect(model.score(order)).toBeLessThan(1);
    expect(model).toMatchObject({ id: 'hand-made', version: 3 });
  });

  it('ignores an input whose std is 0, whatever its weight and value', () => {
    const model = compileModel(handMadeModel());
    expect(model.score({ ...order, 'order.quantity': 1 })).toBe(model.score(order));
    expect(model.explain(order, 10).map((c) => c.feature)).not.toContain('order.quantity');
  });

  it('reads missing and non-finite features as 0', () => {
    const model = compileModel(handMadeModel());
    const zeros = { 'user.orders1h': 0, 'order.amount': 0, [oneHotKey('order.paymentMethod', 'Credit Card')]: 0 };
    expect(model.score({})).toBe(model.score(zeros));
    expect(model.score({ 'user.orders1h': Number.NaN, 'order.amount': Infinity })).toBe(model.score(zeros));
  });

  it('explains by the positive contributions only, largest first, with the raw value read', () => {
    const explanation = compileModel(handMadeModel()).explain(order, 10);
    expect(explanation).toEqual([
      { feature: 'order.amount', value: 2_000_000, contribution: expect.closeTo(1.2 * (Math.log1p(2_000_000) - 12), 12) },
      { feature: 'user.orders1h', value: 7, contribution: expect.closeTo(2.4, 12) },
      { feature: 'order.paymentMethod', value: 0, equals: 'Credit Card', contribution: expect.closeTo(0.6, 12) },
    ]);
    expect(compileModel(handMadeModel()).explain(order, 1)).toHaveLength(1);
    expect(compileModel(handMadeModel()).explain({ 'order.paymentMethod=Credit Card': 1, 'order.amount': 1000 })).toEqual([]);
  });

  it('gives identical scores after a trip through JSON', () => {
    const original = compileModel(handMadeModel());
    const reloaded = compileModel(JSON.parse(JSON.stringify(handMadeModel())) as unknown);
    for (const features of [order, {}, { 'user.orders1h': 3.3, 'order.amount': 123_456.78 }] as FlatFeatures[]) {
      expect(reloaded.score(features)).toBe(original.score(features));
      expect(reloaded.explain(features)).toEqual(original.explain(features));
    }
  });

  it.each<[string, (doc: ScoringModel) => unknown, string]>([
    ['a wrong kind', (doc) => ({ ...doc, kind: 'random-forest' }), 'kind'],
    ['a weight per input missing', (doc) => ({ ...doc, weights: doc.weights.slice(1) }), 'weights'],
    ['a non-numeric weight', (doc) => ({ ...doc, weights: [0.8, '1.2', -0.6, 5] }), 'weights.1'],
    ['a negative std', (doc) => ({ ...doc, stds: [2, -1, 0.5, 0] }), 'stds.1'],
    ['an unknown transform', (doc) => ({ ...doc, spec: { inputs: [{ feature: 'user.orders1h', transform: 'sqrt' }, ...doc.spec.inputs.slice(1)] } }), 'spec.inputs.0.transform'],
    ['a transformed one-hot input', (doc) => ({ ...doc, spec: { inputs: [...doc.spec.inputs.slice(0, 2), { feature: 'order.paymentMethod', equals: 'Credit Card', transform: 'log1p' }, doc.spec.inputs[3]] } }), 'spec.inputs.2.transform'],
    ['a duplicate input', (doc) => ({ ...doc, spec: { inputs: [...doc.spec.inputs.slice(0, 3), doc.spec.inputs[0]] } }), 'spec.inputs.3'],
    ['a missing intercept', ({ intercept: _intercept, ...doc }) => doc, 'intercept'],
    ['an unknown field', (doc) => ({ ...doc, bias: 1 }), ''],
    ['a bad trainedAt', (doc) => ({ ...doc, trainedAt: 'yesterday' }), 'trainedAt'],
    ['a zero version', (doc) => ({ ...doc, version: 0 }), 'version'],
  ])('refuses a document with %s, naming the field', (_case, corrupt, field) => {
    const error = refusal(corrupt(handMadeModel()));
    expect(error.modelId).toBe('hand-made');
    expect(error.issues.map((issue) => issue.field)).toContain(field);
    expect(error.message).toContain('invalid scoring model "hand-made"');
    if (field) expect(error.message).toContain(`${field}: `);
  });

  it('refuses what is not a document at all', () => {
    expect(refusal(null).message).toMatch(/^invalid scoring model: /);
    expect(refusal('{"kind":"logistic-regression"}').modelId).toBeUndefined();
  });
});
