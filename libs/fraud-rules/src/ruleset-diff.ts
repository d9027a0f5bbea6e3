// What changes between two ruleset documents, rule by rule, so a reviewer sees exactly what going live would change.
import type { Rule, RulesetDocument } from './ruleset.js';

const RULE_FIELDS = ['description', 'when', 'score', 'reason', 'action'] as const satisfies readonly (keyof Rule)[];

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface RulesetDiff {
  from: string;
  to: string;
  thresholds: FieldChange[];
  added: Rule[];
  removed: Rule[];
  changed: { ruleId: string; changes: FieldChange[] }[];
  /** Rules present in both whose position changed (order decides which reasons come first). */
  reordered: boolean;
  /** True when the two documents decide every order alike because nothing that decides differs. */
  same: boolean;
}

const ref = (document: RulesetDocument) => `${document.id}@${document.version}`;

function fieldChanges<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[], prefix = ''): FieldChange[] {
  return fields.filter((field) => before[field] !== after[field]).map((field) => ({ field: `${prefix}${field}`, from: before[field], to: after[field] }));
}

export function diffRulesets(before: RulesetDocument, after: RulesetDocument): RulesetDiff {
  const beforeRules = new Map(before.rules.map((rule) => [rule.id, rule]));
  const afterRules = new Map(after.rules.map((rule) => [rule.id, rule]));
  const changed = after.rules
    .filter((rule) => beforeRules.has(rule.id))
    .map((rule) => ({ ruleId: rule.id, changes: fieldChanges(beforeRules.get(rule.id)!, rule, RULE_FIELDS) }))
    .filter((rule) => rule.changes.length > 0);
  const common = (rules: readonly Rule[], other: Map<string, Rule>) => rules.filter((rule) => other.has(rule.id)).map((rule) => rule.id);
  const diff = {
    from: ref(before),
    to: ref(after),
    thresholds: fieldChanges(before.thresholds, after.thresholds, ['review', 'decline'], 'thresholds.'),
    added: after.rules.filter((rule) => !beforeRules.has(rule.id)),
    removed: before.rules.filter((rule) => !afterRules.has(rule.id)),
    changed,
    reordered: common(before.rules, afterRules).join() !== common(after.rules, beforeRules).join(),
  };
  const decisive = (c: { changes: FieldChange[] }) => c.changes.some((change) => change.field !== 'description');
  const same = diff.thresholds.length === 0 && diff.added.length === 0 && diff.removed.length === 0 && !diff.changed.some(decisive) && !diff.reordered;
  return { ...diff, same };
}

/** The diff as lines for a terminal: `+` added, `-` removed, `~` changed. */
export function formatRulesetDiff(diff: RulesetDiff): string[] {
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  const lines = [`${diff.from} → ${diff.to}`];
  for (const change of diff.thresholds) lines.push(`~ ${change.field}: ${show(change.from)} → ${show(change.to)}`);
  for (const rule of diff.removed) lines.push(`- rule ${rule.id}: ${rule.when} (+${rule.score}${rule.action ? `, ${rule.action}` : ''})`);
  for (const rule of diff.added) lines.push(`+ rule ${rule.id}: ${rule.when} (+${rule.score}${rule.action ? `, ${rule.action}` : ''})`);
  for (const { ruleId, changes } of diff.changed) {
    for (const change of changes) lines.push(`~ rule ${ruleId} ${change.field}: ${show(change.from)} → ${show(change.to)}`);
  }
  if (diff.reordered) lines.push('~ rules are in a different order');
  if (diff.same) lines.push('no change to how orders are decided');
  return lines;
}
