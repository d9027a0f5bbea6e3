// What the main job tells its user: outcomes, top reasons, the blacklist, and each ruleset's detection quality against ground truth.
import type { Database } from '@fraudline/db';
import { decodeOrderPlaced } from '@fraudline/events';
import { compileRuleset, FeatureWindow, prepareOrder, seedLegacyRuleset } from '@fraudline/fraud-rules';
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

/**
 * Seed A's rules only read the order itself, so re-deciding the landed events with them (and empty windows)
 * gives exactly the decisions the legacy system would have made on the same traffic.
 */
async function seedLegacyQuality(db: Kysely<Database>, timeZone: string): Promise<DetectionQuality> {
  const legacy = compileRuleset(seedLegacyRuleset);
  const rows: { predicted: boolean; actual: boolean }[] = [];
  const pageSize = 5000;
  for (let after = ''; ;) {
    const page = await db
      .selectFrom('raw.order_events as e')
      .innerJoin('order_labels as l', 'l.order_id', 'e.order_id')
      .select([sql<string>`e.order_id::text`.as('order_id'), 'e.message', 'l.is_fraud'])
      .where(sql<string>`e.order_id::text`, '>', after)
      .orderBy(sql`e.order_id::text`)
      .limit(pageSize)
      .execute();
    for (const row of page) {
      const decoded = decodeOrderPlaced(row.message);
      if (!decoded.ok) continue;
      const decision = legacy.decide(new FeatureWindow().snapshot(prepareOrder(decoded.event, { timeZone })));
      rows.push({ predicted: decision.isFraud, actual: row.is_fraud });
    }
    if (page.length < pageSize) break;
    after = page.at(-1)!.order_id;
  }
  return detectionQuality(rows);
}

export async function summarizeRun(db: Kysely<Database>, timeZone: string): Promise<RunSummary> {
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
      { ruleset: 'seed-legacy', quality: await seedLegacyQuality(db, timeZone) },
    ],
  };
}
