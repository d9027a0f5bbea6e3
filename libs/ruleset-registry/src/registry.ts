// The only way a ruleset reaches the database or goes live: every save and every activation passes validateRuleset first.
import {
  activateRuleset as activateStored,
  activeRulesetRef,
  listRulesets,
  loadRuleset,
  saveRuleset as insertRuleset,
  setShadow,
  shadowRulesetRefs,
  type Database,
  type RulesetRef,
} from '@fraudline/db';
import { builtInRulesets, getBuiltInRuleset, validateRuleset, type CompiledRuleset, type RulesetDocument } from '@fraudline/fraud-rules';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';

export { listRulesets };

/** A request the registry refuses for what it asks, not for a fault of the database: say why and change nothing. */
export class RulesetRegistryError extends Error {
  override readonly name = 'RulesetRegistryError';
}

/** Parses `id@version`, e.g. `default@2`. */
export function parseRulesetRef(text: string): RulesetRef {
  const match = /^([a-z0-9][a-z0-9._-]{0,63})@([1-9]\d{0,8})$/.exec(text);
  if (!match) throw new RulesetRegistryError(`"${text}" is not a ruleset reference; write it as id@version, e.g. default@1`);
  return { ruleset_id: match[1]!, version: Number(match[2]) };
}

export const formatRulesetRef = (ref: RulesetRef) => `${ref.ruleset_id}@${ref.version}`;

export interface SavedRuleset {
  ref: RulesetRef;
  /** False when this exact version was already stored with the same document. */
  created: boolean;
  ruleset: CompiledRuleset;
}

/**
 * Validates a document and stores it as a draft. Saving the same version again with the same document changes
 * nothing; with another document it is refused, because a stored version is immutable: bump the version.
 */
export async function saveRuleset(db: Kysely<Database>, input: unknown): Promise<SavedRuleset> {
  const ruleset = validateRuleset(input);
  const ref = { ruleset_id: ruleset.id, version: ruleset.version };
  const created = await insertRuleset(db, { ...ref, document: ruleset.document as unknown as Record<string, unknown> });
  if (!created) {
    const stored = await loadRuleset(db, ref);
    if (!isDeepStrictEqual(stored?.document, JSON.parse(JSON.stringify(ruleset.document)))) {
      throw new RulesetRegistryError(`${formatRulesetRef(ref)} is already stored with another document; a stored version never changes, so save it as version ${ruleset.version + 1}`);
    }
  }
  return { ref, created, ruleset };
}

/** The stored document of a version, or an error naming it when there is none. */
export async function loadStoredDocument(db: Kysely<Database>, ref: RulesetRef): Promise<Record<string, unknown>> {
  const stored = await loadRuleset(db, ref);
  if (!stored) throw new RulesetRegistryError(`${formatRulesetRef(ref)} is not stored; save it first (rules save FILE)`);
  return stored.document;
}

/**
 * Makes a stored version the live one after validating it again (the feature contract or limits may have changed
 * since it was saved). Returns the version it replaced, if any.
 */
export async function activateRuleset(db: Kysely<Database>, ref: RulesetRef): Promise<RulesetRef | undefined> {
  validateRuleset(await loadStoredDocument(db, ref));
  const previous = await activeRulesetRef(db);
  await activateStored(db, ref);
  return previous;
}

/**
 * Marks a stored version as a shadow after validating it: the subscriber then decides every order with it too, stores
 * that decision beside the live one, and lets it change nothing. `shadow: false` returns it to draft.
 */
export async function shadowRuleset(db: Kysely<Database>, ref: RulesetRef, shadow = true): Promise<void> {
  if (shadow) validateRuleset(await loadStoredDocument(db, ref));
  else await loadStoredDocument(db, ref);
  if (!(await setShadow(db, ref, shadow))) throw new RulesetRegistryError(`${formatRulesetRef(ref)} is the live ruleset; activate another one first`);
}

/**
 * Makes a shadow version live: the one it replaces is retired, and the others stay shadows. Refused for a version
 * that is not a shadow, so only a ruleset that was tried on live traffic is promoted (use activate to skip that).
 */
export async function promoteRuleset(db: Kysely<Database>, ref: RulesetRef): Promise<RulesetRef | undefined> {
  const shadows = await shadowRulesetRefs(db);
  if (!shadows.some((s) => s.ruleset_id === ref.ruleset_id && s.version === ref.version)) {
    throw new RulesetRegistryError(`${formatRulesetRef(ref)} is not a shadow ruleset; mark it with "rules shadow ${formatRulesetRef(ref)}" first, or use "rules activate"`);
  }
  return activateRuleset(db, ref);
}

/**
 * Stores the built-in rulesets (each validated) and, when none is active yet, activates `initial`. A built-in
 * version already stored is kept as it is, so a release that only adds examples to one does not fail start-up.
 */
export async function installBuiltInRulesets(db: Kysely<Database>, initial: string): Promise<void> {
  const document: RulesetDocument | undefined = getBuiltInRuleset(initial);
  if (!document) throw new RulesetRegistryError(`RULESET: unknown ruleset "${initial}"; built in: ${builtInRulesets.map((r) => r.id).join(', ')}`);
  for (const builtIn of builtInRulesets) {
    validateRuleset(builtIn);
    await insertRuleset(db, { ruleset_id: builtIn.id, version: builtIn.version, document: builtIn as unknown as Record<string, unknown> });
  }
  if (!(await activeRulesetRef(db))) await activateStored(db, { ruleset_id: initial, version: document.version });
}
