// Fits the learned fraud score: standardises the spec's inputs, balances the rare fraud class, trains with ml-logistic-regression.
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { scorerFor } from './compile.js';
import { inputReader, type FeatureSpec } from './features.js';
import { evaluate, type LabelledRow } from './evaluate.js';
import { parseScoringModel, type ScoringModel } from './model-document.js';
import { seededRandom } from './random.js';

export interface TrainOptions {
  id: string;
  version: number;
  spec: FeatureSpec;
  /** Full-batch gradient-descent steps. Default 1000. */
  numSteps?: number;
  /** Step size on the mean gradient over the (resampled) rows; the library sums the gradient, so it is passed on divided by the row count. Default 0.5. */
  learningRate?: number;
  /**
   * Copies of each positive row in the training set (the library has no sample weights). `'balanced'` (default) makes both classes
   * weigh the same; a fractional part is drawn per positive with `seed`. The intercept is then corrected by −ln(weight) so scores
   * remain probabilities at the real fraud rate.
   */
  positiveWeight?: number | 'balanced';
  /** Seed for resampling. Default 1. */
  seed?: number;
  /** Recorded as the document's trainedAt. Default now. */
  trainedAt?: Date;
  /** Rows from a later period (see splitByTime) to record metrics.test on. */
  testRows?: readonly LabelledRow[];
  /** Threshold for the recorded precision and recall. Default 0.5. */
  threshold?: number;
  /**
   * Share of the negative rows trained on, drawn with `seed` (default 1: all). Fraud is rare, so a sample of the
   * genuine orders trains as well in a fraction of the time; the intercept is corrected by ln(share) so scores stay
   * probabilities. Metrics are always measured on every row.
   */
  negativeShare?: number;
}

/** Splits rows at a moment: train holds rows placed before `cutoffMs`, test those at or after. Order within each part is kept. */
export function splitByTime<T extends { readonly placedAtMs: number }>(rows: readonly T[], cutoffMs: number): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const row of rows) (row.placedAtMs < cutoffMs ? train : test).push(row);
  return { train, test };
}

/** Inputs whose std is below this (relative to the mean's size) are treated as constant. */
const ZERO_SPREAD = 1e-12;

function checkRows(rows: readonly LabelledRow[]): number {
  let positives = 0;
  rows.forEach((row, index) => {
    if (row.label !== 0 && row.label !== 1) throw new RangeError(`rows[${index}].label must be 0 or 1, got ${String(row.label)}`);
    if (!Number.isFinite(row.placedAtMs)) throw new RangeError(`rows[${index}].placedAtMs must be a finite number`);
    positives += row.label;
  });
  if (positives === 0 || positives === rows.length) throw new RangeError(`training needs both classes; got ${positives} positives in ${rows.length} rows`);
  return positives;
}

/** Trains a model on `rows` and returns its JSON document (validated, ready to store). */
export function trainModel(allRows: readonly LabelledRow[], options: TrainOptions): ScoringModel {
  const { id, version, spec, numSteps = 1000, learningRate = 0.5, seed = 1, threshold = 0.5, negativeShare = 1 } = options;
  checkRows(allRows);
  if (!(negativeShare > 0 && negativeShare <= 1)) throw new RangeError(`negativeShare must be in (0, 1], got ${negativeShare}`);
  const sample = seededRandom(seed + 1);
  const rows = negativeShare === 1 ? allRows : allRows.filter((row) => row.label === 1 || sample() < negativeShare);
  const positives = checkRows(rows);
  const n = rows.length;
  const reader = inputReader(spec);
  const d = reader.keys.length;

  // Encode every row once: values[r·d + i] is input i of row r, transformed.
  const values = new Float64Array(n * d);
  rows.forEach((row, r) => reader.read(row.features, values.subarray(r * d, (r + 1) * d)));

  const means = new Array<number>(d).fill(0);
  const stds = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let sum = 0;
    for (let r = 0; r < n; r++) sum += values[r * d + i]!;
    const mean = sum / n;
    let squares = 0;
    for (let r = 0; r < n; r++) squares += (values[r * d + i]! - mean) ** 2;
    const std = Math.sqrt(squares / n);
    means[i] = mean;
    stds[i] = std > ZERO_SPREAD * Math.max(1, Math.abs(mean)) ? std : 0;
  }
  const active = means.map((_, i) => i).filter((i) => stds[i]! > 0);

  // Balance the classes by repeating positives: floor(weight) copies each, plus one more with probability frac(weight).
  const weight = options.positiveWeight === undefined || options.positiveWeight === 'balanced' ? Math.max(1, (n - positives) / positives) : options.positiveWeight;
  if (!(weight >= 1) || !Number.isFinite(weight)) throw new RangeError(`positiveWeight must be a finite number ≥ 1, got ${weight}`);
  const random = seededRandom(seed);
  const copies = rows.map((row) => (row.label === 1 ? Math.floor(weight) + (random() < weight - Math.floor(weight) ? 1 : 0) : 1));
  const m = copies.reduce((total, c) => total + c, 0);
  const positiveWeight = (m - (n - positives)) / positives;

  // Design matrix: a column of ones (the library has no intercept term), then each standardised active input.
  const X = new Matrix(m, active.length + 1);
  const labels = new Array<number>(m);
  let at = 0;
  rows.forEach((row, r) => {
    for (let c = 0; c < copies[r]!; c++, at++) {
      X.set(at, 0, 1);
      active.forEach((i, column) => X.set(at, column + 1, (values[r * d + i]! - means[i]!) / stds[i]!));
      labels[at] = row.label;
    }
  });
  const model = new LogisticRegression({ numSteps, learningRate: learningRate / m });
  model.train(X, Matrix.columnVector(labels));
  // One-vs-all: classifiers[0] is trained on the target "class ≠ 0", i.e. fraud.
  const fitted = model.classifiers[0]?.weights?.to1DArray();
  if (!fitted || fitted.length !== active.length + 1) throw new Error('ml-logistic-regression returned no weights for the fraud classifier');

  const weights = new Array<number>(d).fill(0);
  active.forEach((i, column) => (weights[i] = fitted[column + 1]!));
  const fittedParts = { spec, means, stds, weights, intercept: fitted[0]! - Math.log(positiveWeight) + Math.log(negativeShare) };
  const scorer = scorerFor(fittedParts);
  let from = Infinity;
  let to = -Infinity;
  for (const row of allRows) {
    from = Math.min(from, row.placedAtMs);
    to = Math.max(to, row.placedAtMs);
  }
  return parseScoringModel({
    kind: 'logistic-regression',
    id,
    version,
    trainedAt: (options.trainedAt ?? new Date()).toISOString(),
    trainedOn: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), rows: allRows.length, positives: checkRows(allRows) },
    training: { library: 'ml-logistic-regression', numSteps, learningRate, positiveWeight, negativeShare, seed },
    ...fittedParts,
    metrics: {
      train: evaluate(scorer, allRows, { threshold }),
      ...(options.testRows && options.testRows.length > 0 ? { test: evaluate(scorer, options.testRows, { threshold }) } : {}),
    },
  });
}
