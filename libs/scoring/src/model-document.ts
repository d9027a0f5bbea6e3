// The model document: plain JSON validated by zod, so a trained model can be stored in Postgres and loaded without a restart.
import { z } from 'zod';
import { featureSpecSchema } from './features.js';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const ratio = z.number().min(0).max(1);

/** Quality of a model on a set of labelled rows (see `evaluate`). Rates are null where undefined (no positives, nothing flagged). */
export const metricsSchema = z.strictObject({
  rows: count,
  positives: count,
  /** Area under the ROC curve; null when the rows hold only one class. */
  auc: ratio.nullable(),
  /** Mean negative log-likelihood (natural log) of the labels. */
  logLoss: z.number().nonnegative(),
  threshold: ratio,
  precision: ratio.nullable(),
  recall: ratio.nullable(),
});

export const scoringModelSchema = z
  .strictObject({
    kind: z.literal('logistic-regression'),
    id: identifier,
    version: z.number().int().positive(),
    trainedAt: isoTime,
    trainedOn: z.strictObject({
      /** placedAt of the earliest and latest training row. */
      from: isoTime,
      to: isoTime,
      rows: z.number().int().positive(),
      positives: z.number().int().positive(),
    }),
    /** How it was trained, to reproduce it. */
    training: z.strictObject({
      library: z.literal('ml-logistic-regression'),
      numSteps: z.number().int().positive(),
      learningRate: z.number().positive(),
      /** Copies of each positive row (on average) used to balance the classes; the intercept is corrected by −ln(positiveWeight). */
      positiveWeight: z.number().min(1),
      /** Share of the negative rows trained on; the intercept is corrected by +ln(negativeShare). */
      negativeShare: z.number().gt(0).max(1),
      seed: z.number().int(),
    }),
    spec: featureSpecSchema,
    /** Per input (aligned with spec.inputs): mean and population std of the transformed value over the training rows. std 0 → ignored. */
    means: z.array(z.number()),
    stds: z.array(z.number().nonnegative()),
    /** Log-odds per standardised unit, aligned with spec.inputs. */
    weights: z.array(z.number()),
    intercept: z.number(),
    metrics: z.strictObject({ train: metricsSchema, test: metricsSchema.optional() }),
  })
  .superRefine((model, ctx) => {
    const inputs = model.spec.inputs.length;
    for (const field of ['means', 'stds', 'weights'] as const) {
      if (model[field].length !== inputs) {
        ctx.addIssue({ code: 'custom', message: `has ${model[field].length} entries, spec.inputs has ${inputs}`, path: [field] });
      }
    }
    if (model.trainedOn.positives > model.trainedOn.rows) {
      ctx.addIssue({ code: 'custom', message: 'exceeds trainedOn.rows', path: ['trainedOn', 'positives'] });
    }
    if (Date.parse(model.trainedOn.from) > Date.parse(model.trainedOn.to)) {
      ctx.addIssue({ code: 'custom', message: 'is after trainedOn.to', path: ['trainedOn', 'from'] });
    }
  });

export type Metrics = z.output<typeof metricsSchema>;
export type ScoringModel = z.output<typeof scoringModelSchema>;

export interface ModelDocumentIssue {
  /** Dotted path of the offending field, e.g. `weights.3` or `spec.inputs.0.transform`. */
  field: string;
  message: string;
}

/** A model document that cannot be loaded; each issue names the field at fault. */
export class ModelDocumentError extends Error {
  override readonly name = 'ModelDocumentError';
  constructor(
    readonly modelId: string | undefined,
    readonly issues: ModelDocumentIssue[],
  ) {
    const where = modelId ? `scoring model "${modelId}"` : 'scoring model';
    super(`invalid ${where}: ${issues.map((issue) => `${issue.field || '(document)'}: ${issue.message}`).join('; ')}`);
  }
}

/** Validates an untrusted document (e.g. a database row); throws a ModelDocumentError naming every bad field. */
export function parseScoringModel(input: unknown): ScoringModel {
  const parsed = scoringModelSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  throw new ModelDocumentError(
    typeof id === 'string' ? id : undefined,
    parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
  );
}
