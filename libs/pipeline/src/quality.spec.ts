import { detectionQuality } from './quality.js';

const rows = (counts: { tp: number; fp: number; fn: number; tn: number }) => [
  ...Array.from({ length: counts.tp }, () => ({ predicted: true, actual: true })),
  ...Array.from({ length: counts.fp }, () => ({ predicted: true, actual: false })),
  ...Array.from({ length: counts.fn }, () => ({ predicted: false, actual: true })),
  ...Array.from({ length: counts.tn }, () => ({ predicted: false, actual: false })),
];

describe('detectionQuality', () => {
  it('computes the confusion matrix, precision, recall and F1', () => {
    const quality = detectionQuality(rows({ tp: 30, fp: 10, fn: 20, tn: 940 }));
    expect(quality).toEqual({
      truePositives: 30,
      falsePositives: 10,
      falseNegatives: 20,
      trueNegatives: 940,
      precision: 0.75,
      recall: 0.6,
      f1: expect.closeTo(2 / 3, 10),
    });
  });

  it('scores 0 instead of NaN when nothing is flagged or nothing is fraud', () => {
    expect(detectionQuality(rows({ tp: 0, fp: 0, fn: 5, tn: 5 }))).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(detectionQuality(rows({ tp: 0, fp: 3, fn: 0, tn: 5 }))).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
