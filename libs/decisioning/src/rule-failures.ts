// A rule that fails at run time must be seen without flooding the log: every failure is counted, and logged once a minute per rule.
import type { Decision } from '@fraudline/fraud-rules';
import type { Logger } from 'pino';
import type { DecisionMetrics } from './metrics.js';

export class RuleFailureReporter {
  /** When each `ruleset@version/rule` was last logged, and how many failures came since. */
  private readonly seen = new Map<string, { loggedAt: number; since: number }>();

  constructor(
    private readonly metrics: DecisionMetrics,
    private readonly logger: Logger,
    private readonly logEveryMs = 60_000,
  ) {}

  record(decision: Decision, orderId: string, now = Date.now()): void {
    for (const { ruleId, message } of decision.ruleFailures ?? []) {
      this.metrics.ruleFailures.inc({ ruleset: `${decision.rulesetId}@${decision.rulesetVersion}`, rule: ruleId });
      const key = `${decision.rulesetId}@${decision.rulesetVersion}/${ruleId}`;
      const entry = this.seen.get(key);
      if (entry && now - entry.loggedAt < this.logEveryMs) {
        entry.since++;
        continue;
      }
      this.logger.warn(
        { ruleset: decision.rulesetId, version: decision.rulesetVersion, rule: ruleId, orderId, error: message, failuresSinceLastLog: entry?.since ?? 0 },
        'a rule failed to evaluate and counted as not fired; the decision records the failure',
      );
      this.seen.set(key, { loggedAt: now, since: 0 });
    }
  }
}
