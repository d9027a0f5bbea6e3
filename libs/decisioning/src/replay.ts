// Rebuilds, for every decision of a period, the features it was made on: the landed message replayed in decision order.
import {
  fraudReportsKnown,
  lifetimeTotalsBefore,
  merchantDaysBefore,
  modelsUsed,
  ordersDecidedBefore,
  planReplay,
  riskListVersions,
  riskListVersionsRead,
  storedDecisionPages,
  type OrderDatabase,
  type Period,
  type ReplayPlan,
  type StoredDecision,
} from '@fraudline/db';
import { decodeOrderPlaced, type OrderPlaced } from '@fraudline/events';
import { FeatureWindow, prepareOrder, WINDOW_MS, type FeatureSnapshot } from '@fraudline/fraud-rules';
import { loadModels, scoreSnapshot } from './model-score.js';

export interface ReplayOptions {
  period: Period;
  /** The subscriber's business time zone (BUSINESS_TIME_ZONE): `order.hourLocal` depends on it. */
  timeZone: string;
  /** Decisions read per query. */
  pageSize?: number;
  /** A ruleset version whose shadow decisions come with each stored decision, to compare with. */
  shadowOf?: { id: string; version: number };
  /** Called after each page with the decisions replayed so far and the total. */
  onProgress?: (replayed: number, total: number) => void;
}

/** One order of the period with the features it was decided on, recomputed, and what was stored for it. */
export interface ReplayedOrder {
  stored: StoredDecision;
  event: OrderPlaced;
  snapshot: FeatureSnapshot;
}

const DEFAULT_PAGE_SIZE = 10_000;
/** Pages between prunes of orders no later decision can see. */
const PRUNE_EVERY_PAGES = 4;

/**
 * Replays the period as the subscriber decided it: every decision from the period's first to its last, in decision
 * order (`decision_seq`, which follows each partition's offsets), each order's snapshot taken on exactly the orders
 * decided before it, then the order recorded. The window starts from the orders decided earlier (their last 24 h) and
 * each user's lifetime totals before the range; each decision's risk status comes from the risk-list version it
 * recorded. Orders of other days decided meanwhile are replayed too (later orders saw them) but not visited.
 *
 * With one subscriber per consumer group this reproduces the stored snapshots exactly. With several, a subscriber
 * sees another's orders on a shared device, IP or e-mail up to its cache refresh late (FeatureCache.refreshMs), and a
 * batch whose store failed may have been seen by a concurrent batch before it was decided again: both can differ here.
 */
export async function replayPeriod(database: OrderDatabase, options: ReplayOptions, visit: (order: ReplayedOrder) => void): Promise<ReplayPlan> {
  const { db } = database;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const { period } = options;
  const plan = await planReplay(db, period, pageSize);
  if (!plan.seq) return plan;

  const earliestMs = plan.earliestFromPage[0]!.getTime();
  const window = new FeatureWindow({
    history: await ordersDecidedBefore(db, plan.seq.first, new Date(earliestMs - WINDOW_MS.oneDay)),
    lifetime: await lifetimeTotalsBefore(db, plan.seq),
    fraudReports: await fraudReportsKnown(db, new Date(earliestMs - WINDOW_MS.thirtyDays), plan.latest!),
    merchantDays: await merchantDaysBefore(db, plan.seq, new Date(earliestMs - WINDOW_MS.sevenDays - WINDOW_MS.oneDay)),
  });
  const lists = await riskListVersions(db, await riskListVersionsRead(db, plan.seq));
  const models = await loadModels(db, await modelsUsed(db, plan.seq));
  const from = period.from.getTime();
  const to = period.to.getTime();
  let replayed = 0;
  let page = 0;
  // The next page is asked for before this one is replayed, so Postgres reads it while Node decides.
  const shadowOf = options.shadowOf && { ruleset_id: options.shadowOf.id, version: options.shadowOf.version };
  const pages = storedDecisionPages(db, plan.seq, pageSize, shadowOf);
  let next = pages.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) break;
      next = pages.next();
      const rows = current.value;
      if (page > 0 && page % PRUNE_EVERY_PAGES === 0) window.prune(plan.earliestFromPage[page]!.getTime() - WINDOW_MS.oneDay);
      for (const stored of rows) {
        const decoded = decodeOrderPlaced(stored.message);
        // It decoded when it was decided; the landing keeps it as received, so this holds unless the schema was narrowed since.
        if (!decoded.ok) throw new Error(`order ${stored.order_id}: its landed message no longer decodes: ${decoded.error.message}`);
        const event = decoded.event;
        const order = prepareOrder(event, { timeZone: options.timeZone });
        const list = stored.risk_list_version === null ? undefined : lists.get(stored.risk_list_version);
        window.setRiskStatus(event.userId, list?.get(event.userId));
        // The subscriber counted the reports stored before it decided: decision_seq is its clock, in microseconds.
        const model = stored.model_id === null ? undefined : models.get(`${stored.model_id}@${stored.model_version}`);
        const snapshot = scoreSnapshot(model, window.snapshot(order, { recordedAtMs: Number(stored.decision_seq) / 1000 }));
        window.record(order.facts);
        const placedAt = stored.order_created_at.getTime();
        if (placedAt >= from && placedAt < to) visit({ stored, event, snapshot });
      }
      replayed += rows.length;
      page++;
      options.onProgress?.(replayed, plan.replayed);
    }
  } finally {
    // A replay cut short (a visitor threw) still settles the page it asked for, so nothing rejects unobserved.
    await next.catch(() => undefined);
  }
  return plan;
}
