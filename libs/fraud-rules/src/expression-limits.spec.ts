import { featureSnapshot } from '../test/fixtures.js';
import { compileRuleset } from './engine.js';
import { RULE_LIMITS } from './expression-limits.js';
import { RulesetError, type Rule, type RulesetDocument } from './ruleset.js';
import { builtInRulesets } from './rulesets/index.js';

const rule = (id: string, when: string): Rule => ({ id, description: `rule ${id}`, when, score: 10, reason: `${id} fired` });
const ruleset = (...rules: Rule[]): RulesetDocument => ({ id: 'limits', version: 1, description: 'limits test', thresholds: { review: 40, decline: 70 }, rules });

function refusal(...rules: Rule[]): RulesetError {
  try {
    compileRuleset(ruleset(...rules));
  } catch (error) {
    if (error instanceof RulesetError) return error;
    throw error;
  }
  throw new Error('expected the ruleset to be refused');
}

/** A list literal of n numbers, e.g. `[0.0, 1.0, …]`. */
const numbers = (n: number) => `[${Array.from({ length: n }, (_, i) => `${i}.0`).join(', ')}]`;

describe('rule limits', () => {
  it('refuses the nested comprehension that blocked the event loop for seconds, naming the rule and the budget', () => {
    const list = numbers(50);
    const costly = `${list}.exists(a, ${list}.exists(b, ${list}.exists(c, a + b + c < order.amount - 1000000000.0)))`;
    const error = refusal(rule('fine', 'user.orders1h > 5'), rule('costly', costly));
    expect(error.issues).toEqual([{ ruleId: 'costly', field: 'rules.1.when', message: expect.stringContaining(`over the budget of ${RULE_LIMITS.maxDecisionCost}`) }]);
  });

  it('refuses a ruleset whose rules are each cheap but together exceed the per-decision budget', () => {
    const list = numbers(100);
    const rules = Array.from({ length: 40 }, (_, i) => rule(`r${i}`, `${list}.exists(x, x == order.amount)`));
    expect(refusal(...rules).message).toContain('nodes per decision');
  });

  it('accepts a bounded comprehension over a literal and decides with it', () => {
    const compiled = compileRuleset(ruleset(rule('listed', '["OVO", "DANA"].exists(m, m == order.paymentMethod)')));
    expect(compiled.cost).toBeLessThan(RULE_LIMITS.maxDecisionCost);
    expect(compiled.decide(featureSnapshot({ order: { paymentMethod: 'OVO' } })).reasons.map((r) => r.ruleId)).toEqual(['listed']);
  });

  it('refuses a comprehension over a range it cannot bound', () => {
    const error = refusal(rule('unbounded', 'dyn(order.orderId).exists(c, c == "a")'));
    expect(error.issues[0]).toMatchObject({ ruleId: 'unbounded', field: 'rules.0.when' });
  });

  it('refuses an expression longer than the limit before parsing it', () => {
    const long = Array.from({ length: 400 }, () => 'user.orders1h > 1.0').join(' || ');
    expect(long.length).toBeGreaterThan(RULE_LIMITS.maxExpressionLength);
    expect(refusal(rule('long', long)).issues[0]?.message).toContain(`the limit is ${RULE_LIMITS.maxExpressionLength}`);
  });

  it('refuses an expression with more AST nodes than the limit', () => {
    const wide = `[${Array.from({ length: 600 }, () => '1').join(',')}].size() > 0`;
    expect(wide.length).toBeLessThan(RULE_LIMITS.maxExpressionLength);
    expect(refusal(rule('wide', wide)).issues[0]).toMatchObject({ ruleId: 'wide', message: expect.stringContaining('maxAstNodes') });
  });

  it('refuses a regular expression that can backtrack exponentially, and one that is not a literal', () => {
    expect(refusal(rule('redos', 'order.orderId.matches("(a+)+$")')).issues[0]?.message).toContain('backtrack');
    expect(refusal(rule('dynamic', 'order.orderId.matches(order.country)')).issues[0]?.message).toContain('string literal');
    expect(() => compileRuleset(ruleset(rule('safe', 'order.country.matches("^[A-Z]{2}$")')))).not.toThrow();
  });

  it.each(builtInRulesets.map((document) => [document.id, document] as const))('keeps the built-in ruleset %s well inside the budget', (_id, document) => {
    expect(compileRuleset(document).cost).toBeLessThan(RULE_LIMITS.maxDecisionCost / 10);
  });
});
