import { handMadeModel } from '../test/hand-made-model.js';
import { compileModel, evaluate, rocAuc, type LabelledRow } from './index.js';

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it('counts the share of positive–negative pairs ranked correctly', () => {
    // Pairs (pos, neg): 0.7>0.1 ✓, 0.7>0.4 ✓, 0.3>0.1 ✓, 0.3<0.4 ✗ → 3/4.
    expect(rocAuc([0.1, 0.7, 0.4, 0.3], [0, 1, 0, 1])).toBe(0.75);
  });

  it('is null without both classes', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe('evaluate', () => {
  const model = compileModel(handMadeModel());
  const row = (orders1h: number, label: 0 | 1): LabelledRow => ({ features: { 'user.orders1h': orders1h, 'order.amount': 200_000 }, label, placedAtMs: 0 });
  const rows = [row(0, 0), row(2, 0), row(4, 1), row(9, 1), row(12, 0)];

  it('measures AUC, log-loss and precision/recall at the threshold', () => {
    const scores = rows.map((r) => model.score(r.features));
    const threshold = (scores[2]! + scores[3]!) / 2; // flags the rows with 9 and 12 orders
    const metrics = evaluate(model, rows, { threshold });
    expect(metrics).toEqual({
      rows: 5,
      positives: 2,
      auc: 4 / 6,
      logLoss: expect.closeTo(-rows.reduce((sum, r, i) => sum + Math.log(r.label ? scores[i]! : 1 - scores[i]!), 0) / 5, 12),
      threshold,
      precision: 0.5,
      recall: 0.5,
    });
  });

  it('accepts the document as well as the compiled model', () => {
    expect(evaluate(handMadeModel(), rows)).toEqual(evaluate(model, rows));
  });

  it('reports precision as null when nothing is flagged, and refuses no rows or a bad threshold', () => {
    expect(evaluate(model, rows, { threshold: 1 }).precision).toBeNull();
    expect(() => evaluate(model, [])).toThrow('no rows');
    expect(() => evaluate(model, rows, { threshold: 2 })).toThrow('threshold');
  });
});
