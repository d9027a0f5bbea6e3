// Measures decide() throughput on precomputed features, the number the stream processor's per-core capacity rests on.
import { pathToFileURL } from 'node:url';
import {
  compileRuleset,
  defaultRuleset,
  seedLegacyRuleset,
  type CompiledRuleset,
  type DecisionOutcome,
  type FeatureSnapshot,
  type RiskStatus,
} from '../src/index.js';
import { PAYMENT_METHODS } from '@fraudline/events';

export interface RulesBenchOptions {
  /** Measured time per ruleset, after a short warm-up. */
  durationMs?: number;
  /** How many distinct snapshots to cycle through. */
  snapshotCount?: number;
  seed?: number;
}

export interface RulesBenchResult {
  rulesetId: string;
  rulesetVersion: number;
  rules: number;
  decisions: number;
  elapsedMs: number;
  decisionsPerSecond: number;
  /** Share of each outcome over the measured decisions, to show both fired and quiet paths were exercised. */
  outcomes: Record<DecisionOutcome, number>;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly ordinary orders with a realistic minority of risky signals, so rules both fire and stay quiet. */
export function generateSnapshots(count: number, seed: number): FeatureSnapshot[] {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sometimes = (probability: number, risky: number, usual: number) => (random() < probability ? risky : usual);
  const riskStatuses: RiskStatus[] = ['Good Standing', 'Good Standing', 'Good Standing', 'Good Standing', 'Watchlist', 'Blacklist'];
  const snapshots: FeatureSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    const quantity = int(1, 20);
    const unitPrice = pick([15_000, 250_000, 1_200_000, 8_500_000, 45_000_000]);
    const orders1h = sometimes(0.1, int(3, 12), int(0, 2));
    const lifetimeOrders = int(0, 200);
    snapshots.push({
      order: {
        orderId: `order-${i}`,
        amount: sometimes(0.03, unitPrice * quantity + 5_000, unitPrice * quantity),
        quantity,
        unitPrice,
        paymentMethod: pick(PAYMENT_METHODS),
        country: sometimes(0.05, 1, 0) ? pick(['SG', 'MY', 'US']) : 'ID',
        ipCountry: sometimes(0.08, 1, 0) ? pick(['SG', 'MY', 'US', 'NL']) : 'ID',
        isVpn: random() < 0.07,
        deviceType: pick(['mobile', 'desktop', 'tablet']),
        hourLocal: int(0, 23),
        accountAgeDays: sometimes(0.1, -1, int(0, 2_000)),
      },
      user: {
        orders10m: Math.min(orders1h, int(0, 4)),
        orders1h,
        orders24h: orders1h + int(0, 20),
        amount10m: int(0, 60_000_000),
        amount1h: int(0, 120_000_000),
        amount24h: int(0, 300_000_000),
        smallOrders1h: sometimes(0.04, int(4, 10), int(0, 1)),
        lifetimeOrders,
        avgAmount: lifetimeOrders === 0 ? 0 : int(50_000, 20_000_000),
        riskStatus: sometimes(0.05, 1, 0) ? pick(riskStatuses) : 'Good Standing',
      },
      device: { distinctUsers24h: sometimes(0.05, int(3, 8), int(0, 1)), orders1h: int(0, 5) },
      ip: { distinctUsers24h: sometimes(0.05, int(10, 40), int(0, 3)), orders1h: int(0, 10) },
      email: { distinctUsers24h: sometimes(0.03, int(2, 4), int(0, 1)) },
    });
  }
  return snapshots;
}

function measure(ruleset: CompiledRuleset, snapshots: readonly FeatureSnapshot[], durationMs: number): RulesBenchResult {
  const outcomes: Record<DecisionOutcome, number> = { approve: 0, review: 0, decline: 0 };
  const run = (untilMs: number, count: boolean): number => {
    let decisions = 0;
    let index = 0;
    while (performance.now() < untilMs) {
      for (let batch = 0; batch < 1_000; batch++) {
        const decision = ruleset.decide(snapshots[index] as FeatureSnapshot);
        if (count) outcomes[decision.decision]++;
        index = index + 1 === snapshots.length ? 0 : index + 1;
      }
      decisions += 1_000;
    }
    return decisions;
  };
  run(performance.now() + Math.min(500, durationMs / 5), false);
  const start = performance.now();
  const decisions = run(start + durationMs, true);
  const elapsedMs = performance.now() - start;
  for (const outcome of Object.keys(outcomes) as DecisionOutcome[]) outcomes[outcome] /= decisions;
  return {
    rulesetId: ruleset.id,
    rulesetVersion: ruleset.version,
    rules: ruleset.document.rules.length,
    decisions,
    elapsedMs,
    decisionsPerSecond: Math.round(decisions / (elapsedMs / 1_000)),
    outcomes,
  };
}

/** Runs each built-in ruleset for `durationMs` over the same precomputed snapshots. */
export function benchRules(options: RulesBenchOptions = {}): RulesBenchResult[] {
  const { durationMs = 3_000, snapshotCount = 10_000, seed = 20_260_701 } = options;
  const snapshots = generateSnapshots(snapshotCount, seed);
  return [defaultRuleset, seedLegacyRuleset].map((document) => measure(compileRuleset(document), snapshots, durationMs));
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of benchRules()) {
    const { approve, review, decline } = result.outcomes;
    console.log(
      `${result.rulesetId} v${result.rulesetVersion} (${result.rules} rules): ${result.decisionsPerSecond.toLocaleString('en-US')} decisions/s ` +
        `over ${result.decisions.toLocaleString('en-US')} decisions — approve ${formatPercent(approve)}, review ${formatPercent(review)}, decline ${formatPercent(decline)}`,
    );
  }
}
