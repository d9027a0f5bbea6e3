// Trains the learned score on a period's labelled orders, each with the features it was decided on, and stores it as a new version.
import { activateModel, nextModelVersion, saveModel, type ModelRef, type OrderDatabase, type Period } from '@fraudline/db';
import { flattenFeatures, splitByTime, trainModel, type LabelledRow, type ScoringModel } from '@fraudline/scoring';
import { readLabels, type LabelOptions } from './backtest.js';
import { MODEL_SPEC } from './model-score.js';
import { replayPeriod } from './replay.js';

export interface TrainScoringModelOptions extends LabelOptions {
  /** Orders placed in [from, to) train the model; its latest `testShare` is held out to measure it on. */
  period: Period;
  timeZone: string;
  /** Default 'fraud-lr'. */
  modelId?: string;
  /** Share of the period's labelled orders, the latest by time, the model is measured on and not trained on (default 0.2). */
  testShare?: number;
  /** Share of the genuine orders trained on (default 0.25): fraud is rare, so a sample of the rest trains as well, faster. */
  negativeShare?: number;
  numSteps?: number;
  /** Makes the new version the live one; the subscriber picks it up within its refresh, without a restart. */
  activate?: boolean;
  onProgress?: (replayed: number, total: number) => void;
}

export interface TrainedScoringModel {
  ref: ModelRef;
  model: ScoringModel;
  activated: boolean;
  /** Labelled orders trained on and held out; orders still unlabelled and too young to count as genuine are left out. */
  rows: { train: number; test: number; unknown: number };
}

/**
 * Replays the period as the subscriber decided it, so each order's inputs are exactly its point-in-time features (no
 * outcome known after it leaks in), labels it by the outcomes known now (or the simulation's truth), splits by time
 * and trains; the model is stored as the next version of its id.
 */
export async function trainScoringModel(database: OrderDatabase, options: TrainScoringModelOptions): Promise<TrainedScoringModel> {
  const modelId = options.modelId ?? 'fraud-lr';
  const labelOf = await readLabels(database, options.period, options);
  const rows: LabelledRow[] = [];
  let unknown = 0;
  await replayPeriod(database, { period: options.period, timeZone: options.timeZone, onProgress: options.onProgress }, ({ stored, snapshot }) => {
    const placedAtMs = stored.order_created_at.getTime();
    const label = labelOf(stored.order_id, placedAtMs);
    if (label === 'unknown') unknown++;
    else rows.push({ features: flattenFeatures(snapshot, MODEL_SPEC), label: label === 'fraud' ? 1 : 0, placedAtMs });
  });
  rows.sort((a, b) => a.placedAtMs - b.placedAtMs);
  const cutoff = rows[Math.min(rows.length - 1, Math.floor(rows.length * (1 - (options.testShare ?? 0.2))))];
  if (!cutoff) throw new Error(`no labelled orders to train on between ${options.period.from.toISOString()} and ${options.period.to.toISOString()}`);
  const { train, test } = splitByTime(rows, cutoff.placedAtMs);
  const model = trainModel(train, {
    id: modelId,
    version: await nextModelVersion(database.db, modelId),
    spec: MODEL_SPEC,
    testRows: test,
    negativeShare: options.negativeShare ?? 0.25,
    numSteps: options.numSteps ?? 300,
    threshold: 0.5,
  });
  const ref = await saveModel(database.db, model);
  if (options.activate) await activateModel(database.db, ref);
  return { ref, model, activated: options.activate ?? false, rows: { train: train.length, test: test.length, unknown } };
}
