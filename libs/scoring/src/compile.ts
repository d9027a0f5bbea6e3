// Turns a model document into a scorer: validated once, precomputed into typed arrays so score() allocates nothing.
import { inputReader, type FlatFeatures } from './features.js';
import { parseScoringModel, type ScoringModel } from './model-document.js';

/** One input's push toward fraud, in log-odds. */
export interface Contribution {
  /** The feature read, e.g. `"user.orders1h"` or, for a one-hot input, `"order.paymentMethod"`. */
  feature: string;
  /** The raw value read from the flat record (before any transform); for a one-hot input 1 (equal) or 0 (not equal). */
  value: number;
  /** The category of a one-hot input. */
  equals?: string;
  /** weight × standardised value, in log-odds. */
  contribution: number;
}

export interface CompiledModel {
  readonly id: string;
  readonly version: number;
  readonly document: ScoringModel;
  /** Log-odds of fraud: intercept + Σ weight × standardised input. */
  logOdds(features: FlatFeatures): number;
  /** Probability of fraud, 0..1. */
  score(features: FlatFeatures): number;
  /** The `topN` (default 3) largest positive contributions, largest first. */
  explain(features: FlatFeatures, topN?: number): Contribution[];
}

export function sigmoid(logOdds: number): number {
  return 1 / (1 + Math.exp(-logOdds));
}

/** The scoring arithmetic alone, from the fitted parts of a document that is already valid. */
export type Scorer = Pick<CompiledModel, 'logOdds' | 'score' | 'explain'>;

export function scorerFor(model: Pick<ScoringModel, 'spec' | 'means' | 'stds' | 'weights' | 'intercept'>): Scorer {
  // Only inputs with a spread and a weight take part; contribution_i = scale_i · x_i − offset_i with scale = w/std, offset = w·mean/std.
  const active = model.spec.inputs.map((_, i) => i).filter((i) => model.stds[i]! > 0 && model.weights[i]! !== 0);
  const inputs = active.map((i) => model.spec.inputs[i]!);
  const reader = inputReader({ inputs });
  const scale = Float64Array.from(active, (i) => model.weights[i]! / model.stds[i]!);
  const offset = Float64Array.from(active, (i) => (model.weights[i]! * model.means[i]!) / model.stds[i]!);
  const values = new Float64Array(active.length);
  const { intercept } = model;

  const logOdds = (features: FlatFeatures): number => {
    reader.read(features, values);
    let sum = intercept;
    for (let i = 0; i < values.length; i++) sum += scale[i]! * values[i]! - offset[i]!;
    return sum;
  };

  return {
    logOdds,
    score: (features) => sigmoid(logOdds(features)),
    explain(features, topN = 3) {
      reader.read(features, values);
      const contributions: Contribution[] = [];
      for (let i = 0; i < values.length; i++) {
        const contribution = scale[i]! * values[i]! - offset[i]!;
        if (!(contribution > 0)) continue;
        const input = inputs[i]!;
        const raw = features[reader.keys[i]!];
        const value = raw !== undefined && Number.isFinite(raw) ? raw : 0;
        contributions.push(input.equals === undefined ? { feature: input.feature, value, contribution } : { feature: input.feature, value, equals: input.equals, contribution });
      }
      return contributions.sort((a, b) => b.contribution - a.contribution).slice(0, Math.max(0, topN));
    },
  };
}

/** Validates `input` (throws ModelDocumentError naming the bad field) and precomputes the scorer. */
export function compileModel(input: unknown): CompiledModel {
  const document = parseScoringModel(input);
  return { id: document.id, version: document.version, document, ...scorerFor(document) };
}
