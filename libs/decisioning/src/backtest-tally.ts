// What a backtest reports, counted one order at a time: outcomes, quality against labels, per-rule fires, and the diff.
import type { Decision } from '@fraudline/fraud-rules';
import { isDeepStrictEqual } from 'node:util';

export type DecisionOutcome = Decision['decision'];

/** An order's label for scoring: unlabelled orders are legitimate only once they are old enough to have been reported. */
export type LabelStatus = 'fraud' | 'legitimate' | 'unknown';

/** What is compared: an order's stored decision, or the backtested one. */
export interface ComparedDecision {
  decision: DecisionOutcome;
  score: number;
  reasons: readonly { ruleId: string; reason: string; score: number; action?: string | undefined }[];
}

export interface TalliedOrder {
  orderId: string;
  amount: number;
  label: LabelStatus;
  stored: ComparedDecision & { rulesetId: string; rulesetVersion: number };
  /** The backtested ruleset's own shadow decision of the order, when it decided it in shadow. */
  shadow?: ComparedDecision;
  replayed: ComparedDecision;
}

/** Quality of one set of decisions against the labels; review and decline both count as flagged. */
export interface Quality {
  orders: number;
  byDecision: Record<DecisionOutcome, number>;
  /** Flagged orders over all orders. */
  alertRate: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Orders not scored: no label yet and too young to count as legitimate. */
  unknown: number;
  /** Undefined where the denominator is zero. */
  precision: number | undefined;
  recall: number | undefined;
  f1: number | undefined;
  /** Fraud amount flagged over fraud amount labelled. */
  fraudAmountRecall: number | undefined;
}

export interface RuleQuality {
  ruleId: string;
  fires: number;
  fraudFires: number;
  legitimateFires: number;
  precision: number | undefined;
}

/** An order whose outcome the backtested ruleset changes. */
export interface DecisionChange {
  orderId: string;
  label: LabelStatus;
  from: { decision: DecisionOutcome; score: number; rules: string[] };
  to: { decision: DecisionOutcome; score: number; rules: string[] };
}

export interface BacktestSummary {
  backtested: Quality;
  stored: Quality;
  rules: RuleQuality[];
  /** Orders whose outcome changes, by "from→to". */
  changes: Record<string, number>;
  /** The first changed orders, in decision order. */
  changed: DecisionChange[];
  /** Orders whose stored decision was made by the backtested ruleset version, and of those, reproduced exactly (outcome, score, reasons). */
  sameRuleset: { orders: number; reproduced: number; firstMismatch?: string };
  /** Orders the backtested version decided in shadow, and of those, reproduced exactly. */
  shadowed: { orders: number; reproduced: number; firstMismatch?: string };
}

const OUTCOMES: readonly DecisionOutcome[] = ['approve', 'review', 'decline'];
const ratio = (part: number, whole: number) => (whole === 0 ? undefined : part / whole);

class QualityCounter {
  readonly byDecision: Record<DecisionOutcome, number> = { approve: 0, review: 0, decline: 0 };
  tp = 0;
  fp = 0;
  fn = 0;
  tn = 0;
  unknown = 0;
  fraudAmount = 0;
  flaggedFraudAmount = 0;

  add(decision: DecisionOutcome, label: LabelStatus, amount: number): void {
    this.byDecision[decision]++;
    const flagged = decision !== 'approve';
    if (label === 'unknown') this.unknown++;
    else if (label === 'fraud') {
      this.fraudAmount += amount;
      if (flagged) {
        this.tp++;
        this.flaggedFraudAmount += amount;
      } else this.fn++;
    } else if (flagged) this.fp++;
    else this.tn++;
  }

  result(): Quality {
    const orders = OUTCOMES.reduce((sum, outcome) => sum + this.byDecision[outcome], 0);
    const precision = ratio(this.tp, this.tp + this.fp);
    const recall = ratio(this.tp, this.tp + this.fn);
    return {
      orders,
      byDecision: { ...this.byDecision },
      alertRate: ratio(this.byDecision.review + this.byDecision.decline, orders) ?? 0,
      truePositives: this.tp,
      falsePositives: this.fp,
      falseNegatives: this.fn,
      trueNegatives: this.tn,
      unknown: this.unknown,
      precision,
      recall,
      f1: precision === undefined || recall === undefined || precision + recall === 0 ? undefined : (2 * precision * recall) / (precision + recall),
      fraudAmountRecall: ratio(this.flaggedFraudAmount, this.fraudAmount),
    };
  }
}

/** Reasons as stored (JSON) and as decided compare equal when they say the same thing, whatever their key order. */
const sameReasons = (a: ComparedDecision['reasons'], b: ComparedDecision['reasons']) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

export const sameDecision = (a: ComparedDecision, b: ComparedDecision) => a.decision === b.decision && a.score === b.score && sameReasons(a.reasons, b.reasons);

/** How many stored decisions a replay made again exactly, and the first it did not. */
class Reproduction {
  orders = 0;
  reproduced = 0;
  firstMismatch: string | undefined;

  add(orderId: string, stored: ComparedDecision, replayed: ComparedDecision): void {
    this.orders++;
    if (sameDecision(stored, replayed)) this.reproduced++;
    else this.firstMismatch ??= orderId;
  }

  result(): { orders: number; reproduced: number; firstMismatch?: string } {
    return { orders: this.orders, reproduced: this.reproduced, ...(this.firstMismatch ? { firstMismatch: this.firstMismatch } : {}) };
  }
}

export class BacktestTally {
  readonly #backtested = new QualityCounter();
  readonly #stored = new QualityCounter();
  readonly #rules = new Map<string, { fires: number; fraud: number; legitimate: number }>();
  readonly #changes = new Map<string, number>();
  readonly #changed: DecisionChange[] = [];
  readonly #same = new Reproduction();
  readonly #shadowed = new Reproduction();

  constructor(
    /** The backtested ruleset, to count how many stored decisions it made and reproduces. */
    readonly ruleset: { id: string; version: number },
    readonly maxChangesListed = 20,
  ) {}

  add(order: TalliedOrder): void {
    const { replayed, stored, label } = order;
    this.#backtested.add(replayed.decision, label, order.amount);
    this.#stored.add(stored.decision, label, order.amount);
    for (const reason of replayed.reasons) {
      const rule = this.#rules.get(reason.ruleId) ?? { fires: 0, fraud: 0, legitimate: 0 };
      rule.fires++;
      if (label === 'fraud') rule.fraud++;
      else if (label === 'legitimate') rule.legitimate++;
      this.#rules.set(reason.ruleId, rule);
    }
    if (stored.rulesetId === this.ruleset.id && stored.rulesetVersion === this.ruleset.version) this.#same.add(order.orderId, stored, replayed);
    if (order.shadow) this.#shadowed.add(order.orderId, order.shadow, replayed);
    if (stored.decision !== replayed.decision) {
      const key = `${stored.decision}→${replayed.decision}`;
      this.#changes.set(key, (this.#changes.get(key) ?? 0) + 1);
      if (this.#changed.length < this.maxChangesListed) {
        const rules = (d: ComparedDecision) => d.reasons.map((reason) => reason.ruleId);
        this.#changed.push({
          orderId: order.orderId,
          label,
          from: { decision: stored.decision, score: stored.score, rules: rules(stored) },
          to: { decision: replayed.decision, score: replayed.score, rules: rules(replayed) },
        });
      }
    }
  }

  summary(): BacktestSummary {
    return {
      backtested: this.#backtested.result(),
      stored: this.#stored.result(),
      rules: [...this.#rules]
        .map(([ruleId, r]) => ({ ruleId, fires: r.fires, fraudFires: r.fraud, legitimateFires: r.legitimate, precision: ratio(r.fraud, r.fraud + r.legitimate) }))
        .sort((a, b) => b.fires - a.fires || a.ruleId.localeCompare(b.ruleId)),
      changes: Object.fromEntries([...this.#changes].sort(([a], [b]) => a.localeCompare(b))),
      changed: [...this.#changed],
      sameRuleset: this.#same.result(),
      shadowed: this.#shadowed.result(),
    };
  }
}
