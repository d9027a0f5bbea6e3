// Model quality on labelled rows (AUC, log-loss, precision/recall), to judge a model on a later period than it was trained on.
import { compileModel, type Scorer } from './compile.js';
import type { FlatFeatures } from './features.js';
import type { Metrics, ScoringModel } from './model-document.js';

/** A labelled order: its flat features, whether it turned out to be fraud, and when it was placed. */
export interface LabelledRow {
  readonly features: FlatFeatures;
  readonly label: 0 | 1;
  readonly placedAtMs: number;
}

export interface EvaluateOptions {
  /** Score at or above which an order counts as flagged, for precision and recall. Default 0.5. */
  threshold?: number;
}

const EPSILON = 1e-15;

/** Area under the ROC curve by the rank-sum (Mann–Whitney) statistic, ties counted half; null without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<0 | 1>): number | null {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Scores `rows` with the model and measures how well the scores separate the labels. */
export function evaluate(model: ScoringModel | Pick<Scorer, 'score'>, rows: readonly LabelledRow[], options: EvaluateOptions = {}): Metrics {
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be within 0..1, got ${threshold}`);
  if (rows.length === 0) throw new RangeError('cannot evaluate a model on no rows');
  const compiled = 'score' in model ? model : compileModel(model);
  const scores = new Float64Array(rows.length);
  const labels = rows.map((row) => row.label);
  let positives = 0;
  let logLoss = 0;
  let truePositives = 0;
  let flagged = 0;
  rows.forEach((row, i) => {
    const p = compiled.score(row.features);
    scores[i] = p;
    const clamped = Math.min(1 - EPSILON, Math.max(EPSILON, p));
    logLoss -= row.label === 1 ? Math.log(clamped) : Math.log(1 - clamped);
    if (row.label === 1) positives++;
    if (p >= threshold) {
      flagged++;
      if (row.label === 1) truePositives++;
    }
  });
  return {
    rows: rows.length,
    positives,
    auc: rocAuc(scores, labels),
    logLoss: logLoss / rows.length,
    threshold,
    precision: flagged === 0 ? null : truePositives / flagged,
    recall: positives === 0 ? null : truePositives / positives,
  };
}
