import { featureSnapshot } from '../test/fixtures.js';
import { compileRuleset } from './engine.js';
import type { FeatureSnapshot } from './features.js';
import { RulesetError, type Rule, type RulesetDocument } from './ruleset.js';
import { defaultRuleset } from './rulesets/default.js';

function rule(id: string, when: string, score: number, extra: Partial<Rule> = {}): Rule {
  return { id, description: `test rule ${id}`, when, score, reason: `${id} fired`, ...extra };
}

function ruleset(rules: Rule[], thresholds = { review: 40, decline: 70 }): RulesetDocument {
  return { id: 'test', version: 3, description: 'test ruleset', thresholds, rules };
}

/** Rules that fire when the test sets `user.orders10m` to their number, so each test picks what fires. */
const scored = (points: number[]) => points.map((score, index) => rule(`r${index}`, `user.orders10m >= ${index + 1}`, score));

function rulesetError(document: unknown): RulesetError {
  try {
    compileRuleset(document);
  } catch (error) {
    if (error instanceof RulesetError) return error;
    throw error;
  }
  throw new Error('expected a RulesetError');
}

describe('score thresholds', () => {
  const compiled = compileRuleset(ruleset(scored([39, 1, 30, 100])));
  const decide = (firing: number) => compiled.decide(featureSnapshot({ user: { orders10m: firing } }));

  it.each([
    [0, 0, 'approve'],
    [1, 39, 'approve'],
    [2, 40, 'review'],
    [3, 70, 'decline'],
    [4, 100, 'decline'],
  ])('with %i rules fired the score %i maps to %s', (firing, score, outcome) => {
    const decision = decide(firing);
    expect(decision.score).toBe(score);
    expect(decision.decision).toBe(outcome);
  });

  it('clamps the summed contributions to 100', () => {
    const decision = compileRuleset(ruleset(scored([80, 80]))).decide(featureSnapshot({ user: { orders10m: 2 } }));
    expect(decision.score).toBe(100);
    expect(decision.reasons.map((reason) => reason.score)).toEqual([80, 80]);
  });

  it('marks exactly the declined decisions as fraud and names the ruleset version', () => {
    expect(decide(3)).toMatchObject({ decision: 'decline', status: 'fraud', isFraud: true, rulesetId: 'test', rulesetVersion: 3 });
    expect(decide(2)).toMatchObject({ decision: 'review', status: 'genuine', isFraud: false });
    expect(decide(0)).toMatchObject({ decision: 'approve', status: 'genuine', isFraud: false, reasons: [] });
  });
});

describe('action precedence', () => {
  const decideWith = (rules: Rule[]) => compileRuleset(ruleset(rules)).decide(featureSnapshot());
  const always = 'order.amount > 0';

  it('a decline action beats an allow action and a zero score', () => {
    const decision = decideWith([rule('allow', always, 0, { action: 'allow' }), rule('block', always, 0, { action: 'decline' })]);
    expect(decision).toMatchObject({ decision: 'decline', score: 0, isFraud: true });
  });

  it('an allow action beats a score above the decline threshold', () => {
    const decision = decideWith([rule('heavy', always, 90), rule('trusted', always, 0, { action: 'allow' })]);
    expect(decision).toMatchObject({ decision: 'approve', score: 90, status: 'genuine', isFraud: false });
  });

  it('an allow action beats a review action', () => {
    expect(decideWith([rule('check', always, 0, { action: 'review' }), rule('trusted', always, 0, { action: 'allow' })]).decision).toBe('approve');
  });

  it('a review action floors a low score at review', () => {
    expect(decideWith([rule('check', always, 5, { action: 'review' })])).toMatchObject({ decision: 'review', score: 5 });
  });

  it('a review action does not soften a declining score', () => {
    expect(decideWith([rule('check', always, 20, { action: 'review' }), rule('heavy', always, 60)]).decision).toBe('decline');
  });

  it('an action only counts when its rule fires', () => {
    expect(decideWith([rule('never', 'order.amount < 0', 0, { action: 'decline' })]).decision).toBe('approve');
  });
});

describe('reasons', () => {
  it('lists every fired rule in ruleset order with its contribution, and its action only when it has one', () => {
    const compiled = compileRuleset(
      ruleset([
        rule('quiet', 'order.amount < 0', 10),
        rule('velocity', 'user.orders1h > 5', 25, { reason: '{{user.orders1h}} orders in the last hour' }),
        rule('watch', 'user.riskStatus == "Watchlist"', 20, { reason: 'On the {{user.riskStatus}}', action: 'review' }),
      ]),
    );
    const decision = compiled.decide(featureSnapshot({ user: { orders1h: 7, riskStatus: 'Watchlist' } }));
    expect(decision.reasons).toEqual([
      { ruleId: 'velocity', reason: '7 orders in the last hour', score: 25 },
      { ruleId: 'watch', reason: 'On the Watchlist', score: 20, action: 'review' },
    ]);
  });

  it('renders a reason template only for rules that fired', () => {
    const reads = { orders24h: 0 };
    const snapshot = featureSnapshot();
    Object.defineProperty(snapshot.user, 'orders24h', {
      get: () => {
        reads.orders24h++;
        return 2;
      },
    });
    const template = { reason: '{{user.orders24h}} orders today' };
    const quiet = compileRuleset(ruleset([rule('quiet', 'order.amount < 0', 10, template)]));
    const fired = compileRuleset(ruleset([rule('fired', 'order.amount > 0', 10, template)]));

    quiet.decide(snapshot);
    const readsToLoadFeatures = reads.orders24h;
    expect(fired.decide(snapshot).reasons[0]?.reason).toBe('2 orders today');
    expect(reads.orders24h).toBe(2 * readsToLoadFeatures + 1);
  });
});

describe('evidence', () => {
  it('lists the features the rules and reasons read, in schema order, and records their values whether or not a rule fired', () => {
    const compiled = compileRuleset(
      ruleset([
        rule('burst', 'user.orders1h > 5 && order . amount > 100.0', 30, { reason: '{{device.distinctUsers24h}} accounts on the device' }),
        rule('listed', "user.riskStatus == 'Blacklist'", 100),
      ]),
    );
    expect(compiled.reads).toEqual(['order.amount', 'user.orders1h', 'user.riskStatus', 'device.distinctUsers24h']);
    const snapshot = featureSnapshot({ order: { amount: 250 }, user: { orders1h: 1, riskStatus: 'Good Standing' }, device: { distinctUsers24h: 4 } });
    expect(compiled.decide(snapshot).reasons).toEqual([]);
    expect(compiled.evidence(snapshot)).toEqual({ 'order.amount': 250, 'user.orders1h': 1, 'user.riskStatus': 'Good Standing', 'device.distinctUsers24h': 4 });
  });

  it('tells apart fields of the same name in different groups', () => {
    const compiled = compileRuleset(ruleset([rule('shared-device', 'device.orders1h > 3.0', 10)]));
    expect(compiled.reads).toEqual(['device.orders1h']);
    expect(compiled.evidence(featureSnapshot({ user: { orders1h: 9 }, device: { orders1h: 4 } }))).toEqual({ 'device.orders1h': 4 });
  });
});

describe('CEL semantics the rules rely on', () => {
  it.each([
    ['user.orders1h == 0', { user: { orders1h: 0 } }, true],
    ['user.orders1h == 0', { user: { orders1h: 3 } }, false],
    ['0 != user.orders1h', { user: { orders1h: 2 } }, true],
    ['order.amount > 5.0 * user.avgAmount', { order: { amount: 501 }, user: { avgAmount: 100 } }, true],
    ['order.paymentMethod in ["DANA", "OVO"]', { order: { paymentMethod: 'OVO' as const } }, true],
    ['!order.isVpn && order.deviceType == "mobile"', {}, true],
  ])('%s', (when, overrides, expected) => {
    const compiled = compileRuleset(ruleset([rule('probe', when, 10)]));
    expect(compiled.decide(featureSnapshot(overrides)).reasons.length === 1).toBe(expected);
  });

  it('keeps decisions of two compiled rulesets independent', () => {
    const velocity = compileRuleset(ruleset([rule('velocity', 'user.orders1h > 5', 50)]));
    const amount = compileRuleset(ruleset([rule('amount', 'order.amount > 1000000', 50)]));
    const busy = featureSnapshot({ user: { orders1h: 9 } });
    const big = featureSnapshot({ order: { amount: 2_000_000, unitPrice: 2_000_000 } });
    expect(velocity.decide(busy).score).toBe(50);
    expect(amount.decide(big).score).toBe(50);
    expect(velocity.decide(big).score).toBe(0);
    expect(amount.decide(busy).score).toBe(0);
  });
});

describe('loading rulesets', () => {
  it('compiles a ruleset that went through JSON, as one stored in a database would', () => {
    const compiled = compileRuleset(JSON.parse(JSON.stringify(defaultRuleset)));
    expect(compiled.decide(featureSnapshot())).toMatchObject({ decision: 'approve', rulesetId: 'default' });
  });

  it.each([
    ['bad CEL syntax', 'user.orders1h >', 'Unexpected'],
    ['an unknown variable', 'usr.orders1h > 5', 'Unknown variable: usr'],
    ['an unknown field', 'user.ordrs1h > 5', 'No such key: ordrs1h'],
    ['a type error', 'order.amount + order.country', 'no such overload'],
    ['a non-bool result', 'order.amount * 2.0', 'must evaluate to bool, got double'],
  ])('rejects %s and names the rule', (_label, when, message) => {
    const error = rulesetError(ruleset([rule('fine', 'user.orders1h > 5', 10), rule('broken', when, 10)]));
    expect(error.rulesetId).toBe('test');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ ruleId: 'broken', field: 'rules.1.when' });
    expect(error.issues[0]?.message).toContain(message);
    expect(error.message).toContain('rule "broken"');
  });

  it('reports every broken rule at once', () => {
    const error = rulesetError(ruleset([rule('a', 'user.nope > 1', 10), rule('b', 'order.amount >', 10)]));
    expect(error.issues.map((issue) => issue.ruleId)).toEqual(['a', 'b']);
  });

  it('rejects a duplicate rule id', () => {
    const error = rulesetError(ruleset([rule('same', 'user.orders1h > 5', 10), rule('same', 'user.orders24h > 5', 10)]));
    expect(error.issues).toEqual([{ ruleId: 'same', field: 'rules.1.id', message: 'duplicate rule id "same"' }]);
  });

  it('rejects a reason template with an unknown placeholder', () => {
    const error = rulesetError(ruleset([rule('typo', 'user.orders1h > 5', 10, { reason: '{{user.ordrs1h}} orders' })]));
    expect(error.issues[0]).toMatchObject({ ruleId: 'typo', field: 'rules.0.reason' });
    expect(error.issues[0]?.message).toContain('{{user.ordrs1h}}');
  });

  it.each([
    ['a score above 100', { score: 150 }, 'rules.0.score'],
    ['an unknown action', { action: 'block' }, 'rules.0.action'],
    ['a misspelt key', { acton: 'decline' }, 'rules.0'],
  ])('rejects a rule with %s, naming it', (_label, change, field) => {
    const document = ruleset([{ ...rule('odd', 'user.orders1h > 5', 10), ...change } as Rule]);
    expect(rulesetError(document).issues[0]).toMatchObject({ ruleId: 'odd', field });
  });

  it('rejects a review threshold above the decline threshold', () => {
    const error = rulesetError(ruleset(scored([10]), { review: 80, decline: 70 }));
    expect(error.issues[0]).toMatchObject({ field: 'thresholds.review' });
    expect(error.issues[0]?.ruleId).toBeUndefined();
  });

  it('rejects a document that is not a ruleset', () => {
    expect(rulesetError('nope').issues[0]?.field).toBe('');
    expect(rulesetError({ id: 'x', version: 1.5, description: 'd', thresholds: { review: 1, decline: 2 }, rules: [] }).issues.map((i) => i.field)).toEqual([
      'version',
      'rules',
    ]);
  });
});

describe('evaluation failures', () => {
  it('counts a rule that fails at run time as not fired, names it, and still decides with the others', () => {
    const compiled = compileRuleset(
      ruleset([rule('out-of-range', '[1, 2][int(user.orders1h)] > 0', 50), rule('velocity', 'user.orders10m >= 1', 40), rule('quiet', 'user.orders24h > 100', 10)]),
    );
    const decision = compiled.decide(featureSnapshot({ user: { orders1h: 5, orders10m: 1 } }));
    expect(decision).toMatchObject({ decision: 'review', score: 40, reasons: [{ ruleId: 'velocity' }] });
    expect(decision.ruleFailures).toEqual([{ ruleId: 'out-of-range', message: 'No such key: index out of bounds, index 5 >= size 2' }]);
  });

  it('reports no failures when every rule evaluates', () => {
    const compiled = compileRuleset(ruleset([rule('in-range', '[1, 2][int(user.orders1h)] > 0', 50)]));
    const decision = compiled.decide(featureSnapshot({ user: { orders1h: 1 } }));
    expect(decision).toMatchObject({ decision: 'review', score: 50 });
    expect(decision).not.toHaveProperty('ruleFailures');
  });

  it('names the rule when a snapshot lacks a feature it reads', () => {
    const compiled = compileRuleset(ruleset([rule('velocity', 'user.orders1h > 5', 10)]));
    const broken = featureSnapshot();
    delete (broken.user as Partial<FeatureSnapshot['user']>).orders1h;
    expect(compiled.decide(broken).ruleFailures).toEqual([{ ruleId: 'velocity', message: expect.any(String) }]);
  });
});
