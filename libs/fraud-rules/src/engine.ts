// The decision engine: a ruleset is parsed and type-checked once, then decides orders from features with no I/O.
import type { ParseResult } from '@marcbachmann/cel-js';
import { featureEnvironment, FeatureVariables } from './cel-environment.js';
import { checkExpressionLength, expressionCost, RULE_LIMITS } from './expression-limits.js';
import { FEATURE_SCHEMA, type FeatureGroup, type FeatureSnapshot } from './features.js';
import { compileReasonTemplate, type ReasonTemplate } from './reason-template.js';
import { parseRulesetDocument, RulesetError, type RuleAction, type RulesetDocument, type RulesetIssue, type Thresholds } from './ruleset.js';

export const DECISION_OUTCOMES = ['approve', 'review', 'decline'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export interface DecisionReason {
  ruleId: string;
  /** The rule's reason template rendered with this order's features. */
  reason: string;
  /** The rule's score contribution. */
  score: number;
  action?: RuleAction;
}

/** A rule that could not be evaluated for this order; it counted as not fired. */
export interface RuleFailure {
  ruleId: string;
  message: string;
}

export interface Decision {
  decision: DecisionOutcome;
  /** Sum of the fired rules' contributions, clamped to 100. */
  score: number;
  /** Every fired rule, in ruleset order. */
  reasons: DecisionReason[];
  rulesetId: string;
  rulesetVersion: number;
  status: 'fraud' | 'genuine';
  /** True exactly when the decision is `decline`. */
  isFraud: boolean;
  /** Rules that failed at run time (e.g. an index out of range); present only when some did. */
  ruleFailures?: RuleFailure[];
}

export interface CompiledRuleset {
  readonly id: string;
  readonly version: number;
  readonly document: RulesetDocument;
  /** Worst-case nodes evaluated per decision, summed over the rules; within RULE_LIMITS.maxDecisionCost. */
  readonly cost: number;
  /** Every feature the rules or their reasons mention, as `group.field`, in FEATURE_SCHEMA order. */
  readonly reads: readonly FeaturePath[];
  /** Decides one order. Never throws for a rule: a rule that fails at run time counts as not fired and is reported. */
  decide(features: FeatureSnapshot): Decision;
  /** The values of `reads` in this snapshot: the decision's evidence, enough to explain it without recomputing. */
  evidence(features: FeatureSnapshot): Record<FeaturePath, string | number | boolean>;
}

/** A feature by its CEL path, e.g. `user.orders1h`. */
export type FeaturePath = `${FeatureGroup}.${string}`;

const FEATURE_PATHS = (Object.entries(FEATURE_SCHEMA) as [FeatureGroup, Record<string, unknown>][]).flatMap(([group, fields]) =>
  Object.keys(fields).map((field) => ({ group, field, path: `${group}.${field}` as FeaturePath, mention: new RegExp(`\\b${group}\\s*\\.\\s*${field}\\b`) })),
);

/** The features a ruleset's expressions and reason templates mention; a mention inside a string literal counts too, which only adds a value. */
function featuresRead(document: RulesetDocument): { group: FeatureGroup; field: string; path: FeaturePath }[] {
  const texts = document.rules.map((rule) => `${rule.when}\n${rule.reason}`);
  return FEATURE_PATHS.filter(({ mention }) => texts.some((text) => mention.test(text)));
}

/** Fired actions are tracked as bits so a decision allocates no set. */
const ACTION_BITS: Record<RuleAction, number> = { decline: 1, allow: 2, review: 4 };

interface CompiledRule {
  id: string;
  score: number;
  action: RuleAction | undefined;
  actionBit: number;
  when: ParseResult;
  reason: ReasonTemplate;
  cost: number;
}

function compileRule(rule: RulesetDocument['rules'][number], index: number, issues: RulesetIssue[]): CompiledRule | undefined {
  const field = `rules.${index}`;
  const issueCount = issues.length;
  let when: ParseResult | undefined;
  let reason: ReasonTemplate | undefined;
  let cost = 0;
  try {
    checkExpressionLength(rule.when);
    when = featureEnvironment().parse(rule.when);
    const checked = when.check();
    if (!checked.valid) issues.push({ ruleId: rule.id, field: `${field}.when`, message: checked.error?.message ?? 'does not type-check' });
    else if (checked.type !== 'bool') issues.push({ ruleId: rule.id, field: `${field}.when`, message: `must evaluate to bool, got ${checked.type}` });
    else cost = expressionCost(when.ast);
  } catch (error) {
    issues.push({ ruleId: rule.id, field: `${field}.when`, message: (error as Error).message });
  }
  try {
    reason = compileReasonTemplate(rule.reason);
  } catch (error) {
    issues.push({ ruleId: rule.id, field: `${field}.reason`, message: (error as Error).message });
  }
  if (issues.length > issueCount || !when || !reason) return undefined;
  return { id: rule.id, score: rule.score, action: rule.action, actionBit: rule.action ? ACTION_BITS[rule.action] : 0, when, reason, cost };
}

/** Refuses a ruleset whose rules together may evaluate more nodes per decision than the budget, naming the costliest. */
function checkDecisionCost(rules: readonly CompiledRule[], issues: RulesetIssue[]): number {
  const cost = rules.reduce((sum, rule) => sum + rule.cost, 0);
  if (cost > RULE_LIMITS.maxDecisionCost) {
    const costliest = rules.reduce((top, rule) => (rule.cost > top.cost ? rule : top));
    issues.push({
      ruleId: costliest.id,
      field: `rules.${rules.indexOf(costliest)}.when`,
      message: `the ruleset may evaluate ${cost} nodes per decision, over the budget of ${RULE_LIMITS.maxDecisionCost}; this rule alone costs ${costliest.cost}`,
    });
  }
  return cost;
}

function outcomeForScore(score: number, thresholds: Thresholds): DecisionOutcome {
  if (score >= thresholds.decline) return 'decline';
  if (score >= thresholds.review) return 'review';
  return 'approve';
}

/**
 * Precedence: a fired `decline` action beats everything; else a fired `allow` approves regardless of score;
 * else a fired `review` action floors the outcome at review; else the score decides against the thresholds.
 */
function resolveOutcome(score: number, firedActionBits: number, thresholds: Thresholds): DecisionOutcome {
  if (firedActionBits & ACTION_BITS.decline) return 'decline';
  if (firedActionBits & ACTION_BITS.allow) return 'approve';
  const byScore = outcomeForScore(score, thresholds);
  return firedActionBits & ACTION_BITS.review && byScore === 'approve' ? 'review' : byScore;
}

/** cel-js appends the source with a caret on later lines; the first line says what failed. */
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!;

class Ruleset implements CompiledRuleset {
  readonly id: string;
  readonly version: number;
  readonly reads: readonly FeaturePath[];
  readonly #variables = new FeatureVariables();
  readonly #reads: readonly { group: FeatureGroup; field: string; path: FeaturePath }[];

  constructor(
    readonly document: RulesetDocument,
    private readonly rules: readonly CompiledRule[],
    readonly cost: number,
  ) {
    this.id = document.id;
    this.version = document.version;
    this.#reads = featuresRead(document);
    this.reads = this.#reads.map((read) => read.path);
  }

  evidence(features: FeatureSnapshot): Record<FeaturePath, string | number | boolean> {
    const values: Record<FeaturePath, string | number | boolean> = {};
    for (const { group, field, path } of this.#reads) values[path] = (features[group] as unknown as Record<string, string | number | boolean>)[field]!;
    return values;
  }

  decide(features: FeatureSnapshot): Decision {
    this.#variables.load(features);
    const context = this.#variables.context;
    const reasons: DecisionReason[] = [];
    let total = 0;
    let firedActionBits = 0;
    let ruleFailures: RuleFailure[] | undefined;
    for (const rule of this.rules) {
      let fired: boolean;
      try {
        fired = rule.when(context) === true;
      } catch (error) {
        (ruleFailures ??= []).push({ ruleId: rule.id, message: firstLine(error) });
        continue;
      }
      if (!fired) continue;
      total += rule.score;
      firedActionBits |= rule.actionBit;
      const reason = rule.reason(features);
      reasons.push(rule.action ? { ruleId: rule.id, reason, score: rule.score, action: rule.action } : { ruleId: rule.id, reason, score: rule.score });
    }
    const score = Math.min(total, 100);
    const decision = resolveOutcome(score, firedActionBits, this.document.thresholds);
    const isFraud = decision === 'decline';
    const result: Decision = { decision, score, reasons, rulesetId: this.id, rulesetVersion: this.version, status: isFraud ? 'fraud' : 'genuine', isFraud };
    if (ruleFailures) result.ruleFailures = ruleFailures;
    return result;
  }
}

/**
 * Validates a ruleset document, then parses, type-checks and costs every rule against the FeatureSnapshot once.
 * Throws a RulesetError listing every bad rule (syntax, unknown variable or field, non-bool result, bad template,
 * a limit of RULE_LIMITS exceeded, a comprehension without a bound).
 */
export function compileRuleset(input: unknown): CompiledRuleset {
  const document = parseRulesetDocument(input);
  const issues: RulesetIssue[] = [];
  const compiled = document.rules.map((rule, index) => compileRule(rule, index, issues));
  if (issues.length > 0) throw new RulesetError(document.id, issues);
  const rules = compiled.filter((rule): rule is CompiledRule => rule !== undefined);
  const cost = checkDecisionCost(rules, issues);
  if (issues.length > 0) throw new RulesetError(document.id, issues);
  return new Ruleset(document, rules, cost);
}
