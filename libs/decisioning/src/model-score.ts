// Scores a feature snapshot with the live learned model and keeps that model current between batches, without a restart.
import { activeModelRef, loadModel, type Database, type ModelRef } from '@fraudline/db';
import { PAYMENT_METHODS } from '@fraudline/events';
import { FEATURE_SCHEMA, RISK_STATUSES, type FeatureGroup, type FeatureSnapshot } from '@fraudline/fraud-rules';
import { compileModel, flattenFeatures, reasonFor, type CompiledModel, type FeatureSpec, type ModelInput } from '@fraudline/scoring';
import type { Kysely } from 'kysely';

/** Counts and amounts are heavy-tailed, so they enter the model as log1p; ratios and z-scores as they are. */
const AS_IS = new Set(['user.amountZScore', 'merchant.fraudRate7d', 'order.hourLocal', 'order.accountAgeDays']);

/**
 * What the learned model reads: every number and flag of the snapshot, and the payment method and risk status one-hot;
 * the order id, free-text countries and the model's own group are left out.
 */
export const MODEL_SPEC: FeatureSpec = {
  inputs: [
    ...(Object.entries(FEATURE_SCHEMA) as [FeatureGroup, Record<string, string>][]).flatMap(([group, fields]) =>
      group === 'model'
        ? []
        : Object.entries(fields)
            .filter(([, type]) => type !== 'string')
            .map(([field, type]): ModelInput => {
              const feature = `${group}.${field}`;
              return type === 'double' && !AS_IS.has(feature) ? { feature, transform: 'log1p' } : { feature };
            }),
    ),
    ...PAYMENT_METHODS.map((method): ModelInput => ({ feature: 'order.paymentMethod', equals: method })),
    ...RISK_STATUSES.map((status): ModelInput => ({ feature: 'user.riskStatus', equals: status })),
  ],
};

/** How many contributions a decision's `model.reasons` names. */
const REASONS = 3;

/** The snapshot with its model group filled in by `model`; unchanged when no model is live. */
export function scoreSnapshot(model: CompiledModel | undefined, snapshot: FeatureSnapshot): FeatureSnapshot {
  if (!model) return snapshot;
  const inputs = flattenFeatures(snapshot, model.document.spec);
  const reasons = model
    .explain(inputs, REASONS)
    .map((contribution) => reasonFor({ feature: contribution.feature, value: contribution.value, equals: contribution.equals }).replace(/ raised the score$/, ''))
    .join(', ');
  return { ...snapshot, model: { score: model.score(inputs), reasons } };
}

/** Called once for each stored version that cannot be loaded; the model live before keeps scoring. */
export type ModelRejected = (ref: ModelRef, error: Error) => void;

/** The live model, re-read at most every refreshMs; a stored version never changes, so each is compiled once. */
export class ActiveModel {
  #current: CompiledModel | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<CompiledModel | undefined> | undefined;
  readonly #compiled = new Map<string, CompiledModel>();
  readonly #refused = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly refreshMs = 1000,
    private readonly onRejected: ModelRejected = () => undefined,
  ) {}

  forNextBatch(now = Date.now()): Promise<CompiledModel | undefined> {
    if (now - this.#checkedAt < this.refreshMs) return Promise.resolve(this.#current);
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refresh(): Promise<CompiledModel | undefined> {
    const ref = await activeModelRef(this.db);
    if (!ref) this.#current = undefined;
    else {
      const compiled = await this.#compile(ref);
      if (compiled) this.#current = compiled;
    }
    this.#checkedAt = Date.now();
    return this.#current;
  }

  async #compile(ref: ModelRef): Promise<CompiledModel | undefined> {
    const key = `${ref.model_id}@${ref.version}`;
    const cached = this.#compiled.get(key);
    if (cached || this.#refused.has(key)) return cached;
    try {
      const compiled = compileModel(await loadModel(this.db, ref));
      this.#compiled.set(key, compiled);
      return compiled;
    } catch (error) {
      this.#refused.add(key);
      this.onRejected(ref, error as Error);
      return undefined;
    }
  }
}

/** The models a replay scores with: each decision's own, by `id@version`. */
export async function loadModels(db: Kysely<Database>, refs: readonly ModelRef[]): Promise<Map<string, CompiledModel>> {
  const models = new Map<string, CompiledModel>();
  for (const ref of refs) models.set(`${ref.model_id}@${ref.version}`, compileModel(await loadModel(db, ref)));
  return models;
}
