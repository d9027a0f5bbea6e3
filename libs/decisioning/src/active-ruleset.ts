// Keeps the active ruleset compiled in memory and swaps in a newly activated version between batches, without a restart.
import { activeRulesetRef, loadRuleset, type Database, type RulesetRef } from '@fraudline/db';
import { validateRuleset, type CompiledRuleset } from '@fraudline/fraud-rules';
import type { Kysely } from 'kysely';

/** Called once for each activated version that cannot be compiled while an earlier one keeps deciding. */
export type RulesetRejected = (ref: RulesetRef, error: Error, keptOn: RulesetRef) => void;

export class ActiveRuleset {
  private compiled: CompiledRuleset | undefined;
  private checkedAt = 0;
  /** The refresh in progress; batches of other partitions wait for it instead of using the version it may replace. */
  private refreshing: Promise<CompiledRuleset> | undefined;
  /** The activated version last refused (`id@version`), so it is not compiled again at every refresh. */
  private refused: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly refreshMs = 1000,
    private readonly onRejected: RulesetRejected = () => undefined,
  ) {}

  /** The ruleset for the next batch: re-reads the active version at most every refreshMs, compiling only on change. */
  forNextBatch(now = Date.now()): Promise<CompiledRuleset> {
    if (this.compiled && now - this.checkedAt < this.refreshMs) return Promise.resolve(this.compiled);
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Reads the active version and compiles it when it changed. A version that does not compile never stops
   * decisioning: the last good version keeps deciding and the refusal is reported once. Only with no good version
   * yet does the error reach the caller.
   */
  private async refresh(): Promise<CompiledRuleset> {
    const ref = await activeRulesetRef(this.db);
    if (!ref) throw new Error('no active ruleset; run installBuiltInRulesets or activate one');
    const key = `${ref.ruleset_id}@${ref.version}`;
    if ((this.compiled?.id !== ref.ruleset_id || this.compiled.version !== ref.version) && key !== this.refused) {
      const stored = await loadRuleset(this.db, ref);
      try {
        this.compiled = validateRuleset(stored?.document);
        this.refused = undefined;
      } catch (error) {
        if (!this.compiled) throw error;
        this.refused = key;
        this.onRejected(ref, error as Error, { ruleset_id: this.compiled.id, version: this.compiled.version });
      }
    }
    this.checkedAt = Date.now();
    return this.compiled!;
  }
}
