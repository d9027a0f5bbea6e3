import { syntheticOrders, SYNTHETIC_SPEC, START_MS } from '../test/synthetic-orders.js';
import { compileModel, evaluate, parseScoringModel, splitByTime, trainModel, type ScoringModel, type TrainOptions } from './index.js';

const orders = syntheticOrders(6000);
const cutoffMs = orders[4000]!.placedAtMs;
const { train, test } = splitByTime(orders, cutoffMs);
const options: TrainOptions = { id: 'fraud-lr', version: 1, spec: SYNTHETIC_SPEC, numSteps: 200, trainedAt: new Date('2025-03-01T00:00:00Z'), testRows: test };

describe('splitByTime', () => {
  it('puts rows placed before the cutoff in train and the rest in test, keeping their order', () => {
    expect(train.length + test.length).toBe(orders.length);
    expect(Math.max(...train.map((row) => row.placedAtMs))).toBeLessThan(cutoffMs);
    expect(Math.min(...test.map((row) => row.placedAtMs))).toBeGreaterThanOrEqual(cutoffMs);
    const unordered = [orders[4001], orders[5], orders[1], orders[4000], orders[2]].map((row) => row!);
    const split = splitByTime(unordered, cutoffMs);
    expect(split.train).toStrictEqual([orders[5], orders[1], orders[2]]);
    expect(split.test).toStrictEqual([orders[4001], orders[4000]]);
  });

  it('sends a row placed exactly at the cutoff to test', () => {
    expect(splitByTime([{ placedAtMs: 10 }], 10)).toEqual({ train: [], test: [{ placedAtMs: 10 }] });
  });
});

describe('trainModel', () => {
  let model: ScoringModel;
  beforeAll(() => {
    model = trainModel(train, options);
  });

  it('separates fraud from legitimate orders on a later period', () => {
    expect(test.some((row) => row.label === 1)).toBe(true);
    const metrics = evaluate(model, test);
    expect(metrics.auc).toBeGreaterThan(0.9);
    expect(model.metrics.test).toEqual(metrics);
    expect(model.metrics.train.auc).toBeGreaterThan(0.9);
  });

  it('explains a fraud by one of the two features fraud depends on', () => {
    const scorer = compileModel(model);
    const frauds = test.filter((row) => row.label === 1 && row.risky);
    expect(frauds.length).toBeGreaterThan(10);
    for (const fraud of frauds) {
      expect(['order.amount', 'device.isNew']).toContain(scorer.explain(fraud.features, 1)[0]?.feature);
    }
  });

  it('keeps scores probabilities at the real fraud rate despite balancing the classes', () => {
    const scorer = compileModel(model);
    const meanScore = train.reduce((sum, row) => sum + scorer.score(row.features), 0) / train.length;
    const baseRate = model.trainedOn.positives / model.trainedOn.rows;
    expect(model.training.positiveWeight).toBeGreaterThan(10);
    expect(meanScore).toBeGreaterThan(baseRate / 2);
    expect(meanScore).toBeLessThan(baseRate * 2);
  });

  it('trains on a share of the negatives as well, still scoring probabilities at the real fraud rate', () => {
    const sampled = trainModel(train, { ...options, negativeShare: 0.25 });
    const scorer = compileModel(sampled);
    const meanScore = train.reduce((sum, row) => sum + scorer.score(row.features), 0) / train.length;
    const baseRate = sampled.trainedOn.positives / sampled.trainedOn.rows;
    expect(sampled.trainedOn).toEqual(model.trainedOn);
    expect(sampled.training.negativeShare).toBe(0.25);
    expect(sampled.metrics.test?.auc).toBeGreaterThan(0.9);
    expect(meanScore).toBeGreaterThan(baseRate / 2);
    expect(meanScore).toBeLessThan(baseRate * 2);
    expect(() => trainModel(train, { ...options, negativeShare: 0 })).toThrow('negativeShare');
  });

  it('records what it was trained on, as a valid document', () => {
    expect(parseScoringModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
    expect(model).toMatchObject({
      kind: 'logistic-regression',
      id: 'fraud-lr',
      version: 1,
      trainedAt: '2025-03-01T00:00:00.000Z',
      trainedOn: {
        from: new Date(train[0]!.placedAtMs).toISOString(),
        to: new Date(train.at(-1)!.placedAtMs).toISOString(),
        rows: train.length,
        positives: train.filter((row) => row.label === 1).length,
      },
      training: { library: 'ml-logistic-regression', numSteps: 200, learningRate: 0.5, seed: 1 },
      spec: SYNTHETIC_SPEC,
    });
    expect(model.means).toHaveLength(SYNTHETIC_SPEC.inputs.length);
  });

  it('standardises with the training rows and ignores a zero-variance input', () => {
    const quantity = SYNTHETIC_SPEC.inputs.findIndex((input) => input.feature === 'order.quantity');
    expect(model.stds[quantity]).toBe(0);
    expect(model.weights[quantity]).toBe(0);
    const amount = SYNTHETIC_SPEC.inputs.findIndex((input) => input.feature === 'order.amount');
    const logAmounts = train.map((row) => Math.log1p(row.features['order.amount']!));
    const mean = logAmounts.reduce((sum, x) => sum + x, 0) / logAmounts.length;
    expect(model.means[amount]).toBeCloseTo(mean, 10);
    expect(model.stds[amount]).toBeCloseTo(Math.sqrt(logAmounts.reduce((sum, x) => sum + (x - mean) ** 2, 0) / logAmounts.length), 10);
  });

  it('is deterministic for a seed, and the seed is what resampling depends on', () => {
    const small = { ...options, numSteps: 20, testRows: [] };
    expect(trainModel(train, { ...small, seed: 7 })).toEqual(trainModel(train, { ...small, seed: 7 }));
    expect(trainModel(train, { ...small, seed: 8 }).weights).not.toEqual(trainModel(train, { ...small, seed: 7 }).weights);
    expect(trainModel(train, { ...small, positiveWeight: 5, seed: 8 })).toEqual({ ...trainModel(train, { ...small, positiveWeight: 5, seed: 7 }), training: expect.objectContaining({ seed: 8 }) });
  });

  it('refuses rows it cannot learn from', () => {
    const negatives = train.filter((row) => row.label === 0);
    expect(() => trainModel(negatives, options)).toThrow('both classes');
    expect(() => trainModel([...train, { features: {}, label: 2 as 1, placedAtMs: START_MS }], options)).toThrow(`rows[${train.length}].label`);
    expect(() => trainModel(train, { ...options, positiveWeight: 0.5 })).toThrow('positiveWeight');
  });
});
