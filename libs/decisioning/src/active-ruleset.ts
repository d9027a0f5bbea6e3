// Keeps the active ruleset compiled in memory and swaps in a newly activated version between batches, without a restart.
import { activateRuleset, activeRulesetRef, loadRuleset, saveRuleset, type Database } from '@fraudline/db';
import { builtInRulesets, compileRuleset, getBuiltInRuleset, type CompiledRuleset } from '@fraudline/fraud-rules';
import type { Kysely } from 'kysely';

/** Stores the built-in rulesets and, when none is active yet, activates `initial`. */
export async function installBuiltInRulesets(db: Kysely<Database>, initial: string): Promise<void> {
  if (!getBuiltInRuleset(initial)) throw new Error(`RULESET: unknown ruleset "${initial}"; built in: ${builtInRulesets.map((r) => r.id).join(', ')}`);
  for (const document of builtInRulesets) {
    await saveRuleset(db, { ruleset_id: document.id, version: document.version, document: document as unknown as Record<string, unknown> });
  }
  if (!(await activeRulesetRef(db))) await activateRuleset(db, { ruleset_id: initial, version: getBuiltInRuleset(initial)!.version });
}

export class ActiveRuleset {
  private compiled: CompiledRuleset | undefined;
  private checkedAt = 0;
  /** The refresh in progress; batches of other partitions wait for it instead of using the version it may replace. */
  private refreshing: Promise<CompiledRuleset> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly refreshMs = 1000,
  ) {}

  /** The ruleset for the next batch: re-reads the active version at most every refreshMs, compiling only on change. */
  forNextBatch(now = Date.now()): Promise<CompiledRuleset> {
    if (this.compiled && now - this.checkedAt < this.refreshMs) return Promise.resolve(this.compiled);
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<CompiledRuleset> {
    const ref = await activeRulesetRef(this.db);
    if (!ref) throw new Error('no active ruleset; run installBuiltInRulesets or activate one');
    if (this.compiled?.id !== ref.ruleset_id || this.compiled.version !== ref.version) {
      const stored = await loadRuleset(this.db, ref);
      this.compiled = compileRuleset(stored!.document);
    }
    this.checkedAt = Date.now();
    return this.compiled;
  }
}
