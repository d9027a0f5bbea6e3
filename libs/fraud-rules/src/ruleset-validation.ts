// The gate every ruleset passes before it is stored or goes live: it compiles within the limits and decides its own examples as written.
import { compileRuleset, type CompiledRuleset, type Decision } from './engine.js';
import type { FeatureSnapshot } from './features.js';
import { RulesetError, type RulesetExample, type RulesetIssue } from './ruleset.js';

/** An ordinary order with no history, no sharing and no risk status: it fires no built-in rule. Examples change it. */
export const EXAMPLE_BASE_FEATURES: Readonly<FeatureSnapshot> = Object.freeze<FeatureSnapshot>({
  order: {
    orderId: 'example-order',
    amount: 250_000,
    quantity: 1,
    unitPrice: 250_000,
    paymentMethod: 'Bank Transfer',
    country: 'ID',
    ipCountry: 'ID',
    isVpn: false,
    deviceType: 'mobile',
    hourLocal: 13,
    accountAgeDays: 400,
  },
  user: {
    orders10m: 0,
    orders1h: 0,
    orders24h: 0,
    amount10m: 0,
    amount1h: 0,
    amount24h: 0,
    smallOrders1h: 0,
    lifetimeOrders: 0,
    avgAmount: 0,
    riskStatus: 'Good Standing',
    newDevice: false,
    newIpCountry: false,
    newPaymentMethod: false,
    amountZScore: 0,
    hoursSincePrevious: 24,
  },
  device: { distinctUsers24h: 0, distinctUsers1h: 0, orders1h: 0, fraudReports30d: 0 },
  ip: { distinctUsers24h: 0, distinctUsers1h: 0, orders1h: 0, fraudReports30d: 0 },
  email: { distinctUsers24h: 0, distinctUsers1h: 0, domainFraudReports30d: 0 },
  merchant: { fraudReports7d: 0, fraudReports30d: 0, orders7d: 100, reportedOrders7d: 0, fraudRate7d: 0 },
  product: { fraudReports30d: 0 },
  model: { score: 0, reasons: '' },
});

export type FeatureOverrides = { [G in keyof FeatureSnapshot]?: Partial<FeatureSnapshot[G]> };

/** The base features with an example's (or a test's) changes applied, group by group. */
export function exampleSnapshot(overrides: FeatureOverrides = {}): FeatureSnapshot {
  const base = EXAMPLE_BASE_FEATURES;
  return {
    order: { ...base.order, ...overrides.order },
    user: { ...base.user, ...overrides.user },
    device: { ...base.device, ...overrides.device },
    ip: { ...base.ip, ...overrides.ip },
    email: { ...base.email, ...overrides.email },
    merchant: { ...base.merchant, ...overrides.merchant },
    product: { ...base.product, ...overrides.product },
    model: { ...base.model, ...overrides.model },
  };
}

const fired = (decision: Decision) => decision.reasons.map((reason) => reason.ruleId);

function checkExample(ruleset: CompiledRuleset, example: RulesetExample, index: number): RulesetIssue[] {
  const decision = ruleset.decide(exampleSnapshot(example.features as FeatureOverrides));
  const field = `examples.${index}`;
  const named = `example "${example.name}"`;
  const issues: RulesetIssue[] = (decision.ruleFailures ?? []).map(({ ruleId, message }) => ({ ruleId, field, message: `${named}: the rule failed: ${message}` }));
  const firedRules = fired(decision);
  if (decision.decision !== example.expect.decision) {
    issues.push({ field: `${field}.expect.decision`, message: `${named} expects ${example.expect.decision}, got ${decision.decision} (fired: ${firedRules.join(', ') || 'none'})` });
  }
  const expected = example.expect.fires;
  if (expected && [...expected].sort().join() !== [...firedRules].sort().join()) {
    issues.push({ field: `${field}.expect.fires`, message: `${named} expects ${expected.join(', ') || 'no rule'} to fire, got ${firedRules.join(', ') || 'none'}` });
  }
  return issues;
}

/**
 * Compiles a ruleset (schema, CEL syntax and types against the feature contract, limits and cost budget) and runs
 * its examples. Throws a RulesetError naming every rule and example at fault; returns the compiled ruleset.
 */
export function validateRuleset(input: unknown): CompiledRuleset {
  const ruleset = compileRuleset(input);
  const issues = (ruleset.document.examples ?? []).flatMap((example, index) => checkExample(ruleset, example, index));
  if (issues.length > 0) throw new RulesetError(ruleset.id, issues);
  return ruleset;
}
