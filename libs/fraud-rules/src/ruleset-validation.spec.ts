import { RulesetError, type RulesetDocument } from './ruleset.js';
import { validateRuleset } from './ruleset-validation.js';
import { builtInRulesets, defaultRuleset } from './rulesets/index.js';

const withExamples = (examples: unknown[]): unknown => ({ ...defaultRuleset, examples });

function refusal(document: unknown): RulesetError {
  try {
    validateRuleset(document);
  } catch (error) {
    if (error instanceof RulesetError) return error;
    throw error;
  }
  throw new Error('expected the ruleset to be refused');
}

describe('validateRuleset', () => {
  it.each(builtInRulesets.map((document) => [document.id, document] as const))('accepts the built-in ruleset %s with its examples', (_id, document) => {
    expect(validateRuleset(document).id).toBe(document.id);
  });

  it('runs the default ruleset’s own examples', () => {
    expect(defaultRuleset.examples?.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a ruleset whose example decides otherwise, naming the example and what fired', () => {
    const error = refusal(withExamples([{ name: 'card testing is declined', features: { user: { smallOrders1h: 5 } }, expect: { decision: 'decline' } }]));
    expect(error.issues).toEqual([
      { field: 'examples.0.expect.decision', message: 'example "card testing is declined" expects decline, got review (fired: card-testing)' },
    ]);
  });

  it('refuses an example whose fired rules differ', () => {
    const error = refusal(withExamples([{ name: 'quiet', features: { order: { ipCountry: 'SG' } }, expect: { decision: 'approve', fires: [] } }]));
    expect(error.issues.map((issue) => issue.field)).toEqual(['examples.0.expect.fires']);
    expect(error.message).toContain('got ip-country-mismatch');
  });

  it('refuses an example that names a feature outside the contract or of the wrong type', () => {
    const unknown = refusal(withExamples([{ name: 'typo', features: { user: { ordrs1h: 3 } }, expect: { decision: 'approve' } }]));
    expect(unknown.issues[0]?.field).toBe('examples.0.features.user');
    const mistyped = refusal(withExamples([{ name: 'string amount', features: { order: { amount: '5' } }, expect: { decision: 'approve' } }]));
    expect(mistyped.issues[0]?.field).toBe('examples.0.features.order.amount');
  });

  it('refuses an example that expects a rule the ruleset does not have', () => {
    const error = refusal(withExamples([{ name: 'ghost', features: {}, expect: { decision: 'approve', fires: ['no-such-rule'] } }]));
    expect(error.issues).toEqual([{ field: 'examples.0.expect.fires', message: 'names rule "no-such-rule", which the ruleset does not have' }]);
  });

  it('refuses a rule that fails at run time on an example, naming the rule', () => {
    const document: RulesetDocument = {
      ...defaultRuleset,
      rules: [...defaultRuleset.rules, { id: 'indexed', description: 'indexes a list', when: '[1, 2][int(user.orders1h)] > 0', score: 1, reason: 'indexed' }],
      examples: [{ name: 'busy account', features: { user: { orders1h: 3 } }, expect: { decision: 'approve' } }],
    };
    expect(refusal(document).issues).toEqual([
      { ruleId: 'indexed', field: 'examples.0', message: expect.stringContaining('example "busy account": the rule failed: No such key: index out of bounds') },
    ]);
  });
});
