// Ruleset documents: plain JSON validated by zod, so they can be stored in a database and edited without a deploy.
import { z } from 'zod';
import { FEATURE_GROUPS, FEATURE_SCHEMA, type CelFieldType, type FeatureGroup } from './features.js';

export const RULE_ACTIONS = ['decline', 'review', 'allow'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

const score = z.number().min(0).max(100);

export const ruleSchema = z.strictObject({
  id: identifier,
  description: z.string().min(1),
  /** A CEL expression over the FeatureSnapshot that must evaluate to bool. */
  when: z.string().min(1),
  /** Points added to the decision score when the rule fires. */
  score: score.int(),
  /** Customer-readable explanation; `{{group.field}}` placeholders render FeatureSnapshot values. */
  reason: z.string().min(1),
  action: z.enum(RULE_ACTIONS).optional(),
});

export const thresholdsSchema = z
  .strictObject({ review: score, decline: score })
  .refine((thresholds) => thresholds.review <= thresholds.decline, {
    message: 'review threshold must not exceed the decline threshold',
    path: ['review'],
  });

const FIELD_VALUE: Record<CelFieldType, z.ZodType> = { double: z.number(), string: z.string(), bool: z.boolean() };

/** Feature values an example sets, by group; every key must be a feature of the contract, with its type. */
const exampleFeaturesSchema = z.strictObject(
  Object.fromEntries(
    FEATURE_GROUPS.map((group: FeatureGroup) => [
      group,
      z.strictObject(Object.fromEntries(Object.entries(FEATURE_SCHEMA[group]).map(([key, type]) => [key, FIELD_VALUE[type].optional()]))).optional(),
    ]),
  ),
);

/** An order the ruleset must decide a given way: run on every save and activation, so a change cannot silently break it. */
export const rulesetExampleSchema = z.strictObject({
  name: z.string().min(1),
  /** Features that differ from an ordinary order (see EXAMPLE_BASE_FEATURES); the rest take the base values. */
  features: exampleFeaturesSchema,
  expect: z.strictObject({
    decision: z.enum(['approve', 'review', 'decline']),
    /** When given, exactly these rules must fire, in any order. */
    fires: z.array(identifier).optional(),
  }),
});

export const rulesetDocumentSchema = z
  .strictObject({
    id: identifier,
    version: z.number().int().positive(),
    description: z.string().min(1),
    thresholds: thresholdsSchema,
    rules: z.array(ruleSchema).min(1),
    examples: z.array(rulesetExampleSchema).optional(),
  })
  .superRefine((ruleset, ctx) => {
    const seen = new Set<string>();
    ruleset.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${rule.id}"`, path: ['rules', index, 'id'] });
      seen.add(rule.id);
    });
    ruleset.examples?.forEach((example, index) => {
      for (const ruleId of example.expect.fires ?? []) {
        if (!seen.has(ruleId)) ctx.addIssue({ code: 'custom', message: `names rule "${ruleId}", which the ruleset does not have`, path: ['examples', index, 'expect', 'fires'] });
      }
    });
  });

export type Rule = z.output<typeof ruleSchema>;
export type Thresholds = z.output<typeof thresholdsSchema>;
export type RulesetExample = z.output<typeof rulesetExampleSchema>;
export type RulesetDocument = z.output<typeof rulesetDocumentSchema>;

export interface RulesetIssue {
  /** The offending rule, when the problem is inside one. */
  ruleId?: string;
  /** Dotted path of the offending field, e.g. `rules.3.when`. */
  field: string;
  message: string;
}

/** A ruleset that cannot be loaded; each issue names the rule and field at fault. */
export class RulesetError extends Error {
  override readonly name = 'RulesetError';
  constructor(
    readonly rulesetId: string | undefined,
    readonly issues: RulesetIssue[],
  ) {
    const where = rulesetId ? `ruleset "${rulesetId}"` : 'ruleset';
    const details = issues.map((issue) => `${issue.ruleId ? `rule "${issue.ruleId}" ` : ''}${issue.field}: ${issue.message}`);
    super(`invalid ${where}: ${details.join('; ')}`);
  }
}

function stringAt(value: unknown, key: string): string | undefined {
  const field = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof field === 'string' ? field : undefined;
}

/** Validates an untrusted document (e.g. a database row); throws a RulesetError naming every bad rule and field. */
export function parseRulesetDocument(input: unknown): RulesetDocument {
  const parsed = rulesetDocumentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const rules = typeof input === 'object' && input !== null ? (input as { rules?: unknown }).rules : undefined;
  const issues = parsed.error.issues.map((issue): RulesetIssue => {
    const [first, index] = issue.path;
    const ruleId = first === 'rules' && typeof index === 'number' && Array.isArray(rules) ? stringAt(rules[index], 'id') : undefined;
    return { ...(ruleId === undefined ? {} : { ruleId }), field: issue.path.join('.'), message: issue.message };
  });
  throw new RulesetError(stringAt(input, 'id'), issues);
}
