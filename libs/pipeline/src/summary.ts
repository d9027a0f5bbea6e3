// What the main job tells its user: outcomes, top reasons, the blacklist, and each ruleset's detection quality against ground truth.
import type { Database } from '@fraudline/db';
import { seedLegacyRuleset } from '@fraudline/fraud-rules';
import { sql, type Kysely } from 'kysely';
import { detectionQuality, type DetectionQuality } from './quality.js';

export interface RunSummary {
  orders: number;
  outcomes: { decision: string; orders: number }[];
  topReasons: { ruleId: string; orders: number }[];
  blacklisted: number;
  watchlisted: number;
  quality: { ruleset: string; quality: DetectionQuality }[];
}

/** The legacy ruleset's quality from its shadow decisions: made on the same features as the live ones, in the same transactions. */
async function shadowQuality(db: Kysely<Database>, rulesetId: string): Promise<DetectionQuality> {
  const rows = await db
    .selectFrom('shadow_decisions as s')
    .innerJoin('order_labels as l', 'l.order_id', 's.order_id')
    .select([sql<boolean>`s.decision = 'decline'`.as('predicted'), 'l.is_fraud as actual'])
    .where('s.ruleset_id', '=', rulesetId)
    .execute();
  return detectionQuality(rows);
}

export async function summarizeRun(db: Kysely<Database>): Promise<RunSummary> {
  const outcomes = await db
    .selectFrom('decisions')
    .select(['decision', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('decision')
    .orderBy('decision')
    .execute();
  const reasons = await sql<{ rule_id: string; n: string }>`
    SELECT reason->>'ruleId' AS rule_id, count(*) AS n
    FROM decisions, jsonb_array_elements(reasons) AS reason
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`.execute(db);
  const risk = await db
    .selectFrom('risk_list')
    .select(['risk_status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('risk_status')
    .execute();
  const labelled = await db
    .selectFrom('decisions as d')
    .innerJoin('order_labels as l', 'l.order_id', 'd.order_id')
    .select(['d.is_fraud as predicted', 'l.is_fraud as actual'])
    .execute();
  const riskCount = (status: string) => Number(risk.find((r) => r.risk_status === status)?.n ?? 0);
  return {
    orders: outcomes.reduce((sum, o) => sum + Number(o.n), 0),
    outcomes: outcomes.map((o) => ({ decision: o.decision, orders: Number(o.n) })),
    topReasons: reasons.rows.map((r) => ({ ruleId: r.rule_id, orders: Number(r.n) })),
    blacklisted: riskCount('Blacklist'),
    watchlisted: riskCount('Watchlist'),
    quality: [
      { ruleset: 'default', quality: detectionQuality(labelled) },
      { ruleset: seedLegacyRuleset.id, quality: await shadowQuality(db, seedLegacyRuleset.id) },
    ],
  };
}
