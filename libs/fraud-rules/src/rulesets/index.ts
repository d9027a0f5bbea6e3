// The rulesets shipped with the engine, looked up by id.
import type { RulesetDocument } from '../ruleset.js';
import { defaultRuleset } from './default.js';
import { seedLegacyRuleset } from './seed-legacy.js';

export { defaultRuleset, seedLegacyRuleset };

export const builtInRulesets: readonly RulesetDocument[] = [defaultRuleset, seedLegacyRuleset];

export function getBuiltInRuleset(id: string): RulesetDocument | undefined {
  return builtInRulesets.find((ruleset) => ruleset.id === id);
}
