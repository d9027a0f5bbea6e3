// Keeps the live and shadow rulesets compiled in memory and swaps in changed versions between batches, without a restart.
import { activeRulesetRef, loadRuleset, shadowRulesetRefs, type Database, type RulesetRef } from '@fraudline/db';
import { validateRuleset, type CompiledRuleset } from '@fraudline/fraud-rules';
import type { Kysely } from 'kysely';

/**
 * Called once for each version that cannot be compiled: an activated one while an earlier one keeps deciding
 * (`keptOn`), or a shadow one, which is then left out (`keptOn` undefined).
 */
export type RulesetRejected = (ref: RulesetRef, error: Error, keptOn: RulesetRef | undefined) => void;

/** What a batch is decided with: the live ruleset, whose decision counts, and the shadows that decide beside it. */
export interface BatchRulesets {
  live: CompiledRuleset;
  shadows: readonly CompiledRuleset[];
}

const keyOf = (ref: RulesetRef) => `${ref.ruleset_id}@${ref.version}`;

export class ActiveRuleset {
  private current: BatchRulesets | undefined;
  private checkedAt = 0;
  /** The refresh in progress; batches of other partitions wait for it instead of using the versions it may replace. */
  private refreshing: Promise<BatchRulesets> | undefined;
  /** Versions last refused (`id@version`), so they are not compiled again at every refresh. */
  private readonly refused = new Set<string>();
  /** Compiled versions by `id@version`; a stored version never changes, so it is compiled once. */
  private readonly compiled = new Map<string, CompiledRuleset>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly refreshMs = 1000,
    private readonly onRejected: RulesetRejected = () => undefined,
  ) {}

  /** The rulesets for the next batch: re-reads which versions are live and shadow at most every refreshMs. */
  forNextBatch(now = Date.now()): Promise<BatchRulesets> {
    if (this.current && now - this.checkedAt < this.refreshMs) return Promise.resolve(this.current);
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Reads the live and shadow versions and compiles those not compiled yet. A version that does not compile never
   * stops decisioning: for the live one the last good version keeps deciding, a shadow one is left out, and each
   * refusal is reported once. Only with no good live version yet does the error reach the caller.
   */
  private async refresh(): Promise<BatchRulesets> {
    const [ref, shadowRefs] = await Promise.all([activeRulesetRef(this.db), shadowRulesetRefs(this.db)]);
    if (!ref) throw new Error('no active ruleset; run installBuiltInRulesets or activate one');
    let live = this.current?.live;
    try {
      const compiled = await this.compile(ref);
      if (compiled) live = compiled;
    } catch (error) {
      if (!live) throw error;
      this.onRejected(ref, error as Error, { ruleset_id: live.id, version: live.version });
    }
    if (!live) throw new Error(`the active ruleset ${keyOf(ref)} was refused and no earlier version is compiled; activate a valid one`);
    const shadows: CompiledRuleset[] = [];
    for (const shadowRef of shadowRefs) {
      try {
        const compiled = await this.compile(shadowRef);
        if (compiled) shadows.push(compiled);
      } catch (error) {
        this.onRejected(shadowRef, error as Error, undefined);
      }
    }
    this.current = { live, shadows };
    this.checkedAt = Date.now();
    return this.current;
  }

  /** The compiled version; undefined when it was refused before (and so reported already). Throws on a first refusal. */
  private async compile(ref: RulesetRef): Promise<CompiledRuleset | undefined> {
    const key = keyOf(ref);
    const cached = this.compiled.get(key);
    if (cached) return cached;
    if (this.refused.has(key)) return undefined;
    const stored = await loadRuleset(this.db, ref);
    try {
      const compiled = validateRuleset(stored?.document);
      this.compiled.set(key, compiled);
      return compiled;
    } catch (error) {
      this.refused.add(key);
      throw error;
    }
  }
}
