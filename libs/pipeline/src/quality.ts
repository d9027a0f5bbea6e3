// Detection quality of a ruleset against the generator's ground truth: the confusion matrix and its precision, recall and F1.

export interface Labelled {
  /** The ruleset declined the order. */
  predicted: boolean;
  /** The generator injected it as fraud. */
  actual: boolean;
}

export interface DetectionQuality {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision or recall of an empty denominator is 0, not NaN, so a ruleset that flags nothing scores 0. */
const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

export function detectionQuality(rows: Iterable<Labelled>): DetectionQuality {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const { predicted, actual } of rows) {
    if (predicted && actual) truePositives++;
    else if (predicted) falsePositives++;
    else if (actual) falseNegatives++;
    else trueNegatives++;
  }
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  return { truePositives, falsePositives, falseNegatives, trueNegatives, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
}
