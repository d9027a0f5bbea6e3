import { diffRulesets, formatRulesetDiff } from './ruleset-diff.js';
import type { RulesetDocument } from './ruleset.js';
import { defaultRuleset } from './rulesets/index.js';

const next = (change: (document: RulesetDocument) => RulesetDocument): RulesetDocument => change({ ...defaultRuleset, version: defaultRuleset.version + 1 });

describe('diffRulesets', () => {
  it('finds nothing that decides differently between a version and its copy with a new description', () => {
    const diff = diffRulesets(defaultRuleset, next((d) => ({ ...d, rules: d.rules.map((r, i) => (i === 0 ? { ...r, description: 'reworded' } : r)) })));
    expect(diff).toMatchObject({ from: 'default@2', to: 'default@3', added: [], removed: [], thresholds: [], reordered: false, same: true });
    expect(diff.changed).toEqual([{ ruleId: 'velocity-orders-10m', changes: [{ field: 'description', from: expect.any(String), to: 'reworded' }] }]);
  });

  it('lists added, removed and changed rules and thresholds', () => {
    const [first, second, ...rest] = defaultRuleset.rules;
    const added = { id: 'new-rule', description: 'new', when: 'order.amount > 1.0', score: 5, reason: 'new' };
    const after = next((d) => ({ ...d, thresholds: { review: 35, decline: 70 }, rules: [{ ...first!, score: 30 }, ...rest, added] }));
    const diff = diffRulesets(defaultRuleset, after);
    expect(diff.thresholds).toEqual([{ field: 'thresholds.review', from: 40, to: 35 }]);
    expect(diff.added.map((r) => r.id)).toEqual(['new-rule']);
    expect(diff.removed.map((r) => r.id)).toEqual([second!.id]);
    expect(diff.changed).toEqual([{ ruleId: first!.id, changes: [{ field: 'score', from: 25, to: 30 }] }]);
    expect(diff.same).toBe(false);
    expect(formatRulesetDiff(diff)).toEqual([
      'default@2 → default@3',
      '~ thresholds.review: 40 → 35',
      `- rule ${second!.id}: ${second!.when} (+${second!.score})`,
      '+ rule new-rule: order.amount > 1.0 (+5)',
      `~ rule ${first!.id} score: 25 → 30`,
    ]);
  });

  it('notices rules that only moved', () => {
    const diff = diffRulesets(defaultRuleset, next((d) => ({ ...d, rules: [...d.rules].reverse() })));
    expect(diff).toMatchObject({ reordered: true, same: false, changed: [] });
  });
});
