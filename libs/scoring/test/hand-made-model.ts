// A small valid model document written by hand, so compile and validation tests know every weight.
import type { ScoringModel } from '../src/index.js';

export function handMadeModel(): ScoringModel {
  return {
    kind: 'logistic-regression',
    id: 'hand-made',
    version: 3,
    trainedAt: '2025-03-01T00:00:00.000Z',
    trainedOn: { from: '2025-01-01T00:00:00.000Z', to: '2025-02-28T23:59:59.000Z', rows: 1000, positives: 20 },
    training: { library: 'ml-logistic-regression', numSteps: 10, learningRate: 0.5, positiveWeight: 1, negativeShare: 1, seed: 1 },
    spec: {
      inputs: [
        { feature: 'user.orders1h' },
        { feature: 'order.amount', transform: 'log1p' },
        { feature: 'order.paymentMethod', equals: 'Credit Card' },
        { feature: 'order.quantity' },
      ],
    },
    means: [1, 12, 0.5, 1],
    stds: [2, 1, 0.5, 0],
    weights: [0.8, 1.2, -0.6, 5],
    intercept: -4,
    metrics: { train: { rows: 1000, positives: 20, auc: 0.9, logLoss: 0.08, threshold: 0.5, precision: null, recall: 0 } },
  };
}
