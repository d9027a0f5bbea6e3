// A ruleset tried on history: the period replayed with point-in-time features, decided again, scored against labels.
import { currentLabels, simulatedLabels, type OrderDatabase, type Period } from '@fraudline/db';
import { LABEL_MATURITY_DAYS } from '@fraudline/events';
import type { CompiledRuleset } from '@fraudline/fraud-rules';
import { BacktestTally, type BacktestSummary, type LabelStatus } from './backtest-tally.js';
import { replayPeriod, type ReplayOptions } from './replay.js';

export interface LabelOptions {
  /**
   * What an order's truth is: 'outcomes' (default) are the labels known now, chargebacks, refunds and verdicts, with
   * unlabelled orders legitimate only once older than the label maturity; 'simulation' is the generator's ground truth
   * carried in each generated message, for measuring on generated data where every order's truth is known.
   */
  truth?: 'outcomes' | 'simulation';
  /** Labels are read as they stand at this instant; unlabelled orders older than the maturity count as legitimate. */
  now?: Date;
  labelMaturityDays?: number;
}

/** Each order's label for scoring: its truth, or 'unknown' while it is unlabelled and younger than the label maturity. */
export async function readLabels(database: OrderDatabase, period: Period, options: LabelOptions): Promise<(orderId: string, placedAtMs: number) => LabelStatus> {
  const nowMs = (options.now ?? new Date()).getTime();
  const matureBeforeMs = nowMs - (options.labelMaturityDays ?? LABEL_MATURITY_DAYS) * 86_400_000;
  const labels = (options.truth ?? 'outcomes') === 'outcomes' ? await currentLabels(database.db, period) : await simulatedLabels(database.db, period);
  return (orderId, placedAtMs) => labels.get(orderId) ?? (placedAtMs < matureBeforeMs ? 'legitimate' : 'unknown');
}

export interface BacktestOptions extends ReplayOptions, LabelOptions {
  ruleset: CompiledRuleset;
  /** How many changed orders are listed (all are counted). */
  maxChangesListed?: number;
}

export interface BacktestReport extends BacktestSummary {
  ruleset: { id: string; version: number };
  truth: 'outcomes' | 'simulation';
  period: Period;
  /** Orders placed in the period; those decided before decision order was recorded are not replayed. */
  periodOrders: number;
  unordered: number;
  /** Decisions replayed, including orders of other days decided in the same span. */
  replayed: number;
  elapsedMs: number;
}

/**
 * Backtests `ruleset` over the period: every order placed in it is decided again on the features it had when it was
 * decided (see replayPeriod), and the result is scored against the labels known now and compared with what was stored.
 */
export async function runBacktest(database: OrderDatabase, options: BacktestOptions): Promise<BacktestReport> {
  const started = performance.now();
  const { ruleset, period } = options;
  const truth = options.truth ?? 'outcomes';
  const labelOf = await readLabels(database, period, options);
  const tally = new BacktestTally({ id: ruleset.id, version: ruleset.version }, options.maxChangesListed);

  const plan = await replayPeriod(database, { ...options, shadowOf: { id: ruleset.id, version: ruleset.version } }, ({ stored, event, snapshot }) => {
    tally.add({
      orderId: stored.order_id,
      amount: Number(event.amount),
      label: labelOf(stored.order_id, stored.order_created_at.getTime()),
      stored: { ...stored, rulesetId: stored.ruleset_id, rulesetVersion: stored.ruleset_version },
      ...(stored.shadow ? { shadow: stored.shadow } : {}),
      replayed: ruleset.decide(snapshot),
    });
  });
  return {
    ruleset: { id: ruleset.id, version: ruleset.version },
    truth,
    period,
    periodOrders: plan.periodOrders,
    unordered: plan.unordered,
    replayed: plan.replayed,
    ...tally.summary(),
    elapsedMs: performance.now() - started,
  };
}
