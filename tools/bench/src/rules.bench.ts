// Measures decide() throughput on precomputed features, the number the stream processor's per-core capacity rests on.
import { pathToFileURL } from 'node:url';
import {
  compileRuleset,
  defaultRuleset,
  seedLegacyRuleset,
  type CompiledRuleset,
  type DecisionOutcome,
  type FeatureSnapshot,
  type RulesetDocument,
} from '@fraudline/fraud-rules';
import { PAYMENT_METHODS } from '@fraudline/events';

export interface RulesBenchOptions {
  /** Measured time per run (ruleset × traffic mix), after a short warm-up. */
  durationMs?: number;
  /** How many distinct snapshots to cycle through. */
  snapshotCount?: number;
  seed?: number;
}

export interface RulesBenchResult {
  /** 'typical': 10% of snapshots carry a risky signal; 'all-risky': every one does, so reasons render on most decisions. */
  traffic: TrafficMix;
  rulesetId: string;
  rulesetVersion: number;
  rules: number;
  decisions: number;
  elapsedMs: number;
  /** Wall-clock throughput of one thread. */
  decisionsPerSecond: number;
  /** Throughput per second of CPU time used by the process; steadier than wall clock on a busy machine. */
  decisionsPerCpuSecond: number;
  /** Share of each outcome over the measured decisions, to show both fired and quiet paths were exercised. */
  outcomes: Record<DecisionOutcome, number>;
}

export type TrafficMix = 'typical' | 'all-risky';

const RISKY_SHARE: Record<TrafficMix, number> = { typical: 0.1, 'all-risky': 1 };

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

type Twist = (snapshot: FeatureSnapshot, int: (min: number, max: number) => number) => void;

/** The risky shapes the generators simulate; each touches the signals its fraud pattern would. */
const RISKY_TWISTS: readonly Twist[] = [
  (s, int) => Object.assign(s.user, { orders10m: int(3, 6), orders1h: int(6, 12), amount10m: int(30, 90) * 1_000_000 }),
  (s, int) => Object.assign(s.user, { smallOrders1h: int(5, 12), orders1h: int(5, 12) }),
  (s, int) => Object.assign(s.order, { hourLocal: int(0, 4), paymentMethod: 'DANA', amount: 20_000_000, quantity: 1, unitPrice: 20_000_000 }),
  (s) => Object.assign(s.order, { ipCountry: 'SG', isVpn: true }),
  (s, int) => {
    Object.assign(s.device, { distinctUsers24h: int(3, 6) });
    Object.assign(s.order, { amount: s.user.avgAmount * 8, unitPrice: s.user.avgAmount * 8, quantity: 1, accountAgeDays: int(0, 6) });
  },
  (s) => Object.assign(s.user, { riskStatus: 'Watchlist' }),
  (s) => Object.assign(s.user, { riskStatus: 'Blacklist' }),
];

/** Ordinary orders with one risky twist in `riskyShare` of them, so rules both fire and stay quiet at a realistic mix. */
export function generateSnapshots(count: number, seed: number, riskyShare = 0.1): FeatureSnapshot[] {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const snapshots: FeatureSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    const quantity = int(1, 5);
    const unitPrice = pick([15_000, 89_000, 250_000, 1_200_000, 4_500_000]);
    const lifetimeOrders = int(0, 200);
    const snapshot: FeatureSnapshot = {
      order: {
        orderId: `order-${i}`,
        amount: unitPrice * quantity,
        quantity,
        unitPrice,
        paymentMethod: pick(PAYMENT_METHODS),
        country: 'ID',
        ipCountry: random() < 0.02 ? 'SG' : 'ID',
        isVpn: random() < 0.03,
        deviceType: pick(['mobile', 'desktop', 'tablet']),
        hourLocal: int(0, 23),
        accountAgeDays: random() < 0.1 ? -1 : int(0, 2_000),
      },
      user: {
        orders10m: int(0, 1),
        orders1h: int(0, 2),
        orders24h: int(0, 4),
        amount10m: int(0, 2_000_000),
        amount1h: int(0, 5_000_000),
        amount24h: int(0, 10_000_000),
        smallOrders1h: int(0, 1),
        lifetimeOrders,
        avgAmount: lifetimeOrders === 0 ? 0 : int(50_000, 5_000_000),
        riskStatus: 'Good Standing',
        newDevice: lifetimeOrders > 0 && random() < 0.05,
        newIpCountry: lifetimeOrders > 0 && random() < 0.02,
        newPaymentMethod: lifetimeOrders > 0 && random() < 0.05,
        amountZScore: lifetimeOrders < 3 ? 0 : random() * 4 - 1,
        hoursSincePrevious: lifetimeOrders === 0 ? -1 : int(0, 2_000),
      },
      device: { distinctUsers24h: int(0, 1), distinctUsers1h: int(0, 1), orders1h: int(0, 2), fraudReports30d: random() < 0.01 ? 1 : 0 },
      ip: { distinctUsers24h: int(0, 3), distinctUsers1h: int(0, 2), orders1h: int(0, 4), fraudReports30d: random() < 0.01 ? 1 : 0 },
      email: { distinctUsers24h: int(0, 1), distinctUsers1h: int(0, 1), domainFraudReports30d: int(0, 3) },
      merchant: { fraudReports7d: int(0, 1), fraudReports30d: int(0, 3), orders7d: int(0, 500), reportedOrders7d: int(0, 1), fraudRate7d: random() < 0.01 ? 0.1 : 0 },
      product: { fraudReports30d: int(0, 2) },
      model: { score: random() < 0.02 ? 0.95 : random() * 0.1, reasons: 'user.newDevice = 1' },
    };
    if (random() < riskyShare) pick(RISKY_TWISTS)(snapshot, int);
    snapshots.push(snapshot);
  }
  return snapshots;
}

function measure(ruleset: CompiledRuleset, traffic: TrafficMix, snapshots: readonly FeatureSnapshot[], durationMs: number): RulesBenchResult {
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
  const cpuBefore = process.cpuUsage();
  const decisions = run(start + durationMs, true);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - start;
  for (const outcome of Object.keys(outcomes) as DecisionOutcome[]) outcomes[outcome] /= decisions;
  return {
    traffic,
    rulesetId: ruleset.id,
    rulesetVersion: ruleset.version,
    rules: ruleset.document.rules.length,
    decisions,
    elapsedMs,
    decisionsPerSecond: Math.round(decisions / (elapsedMs / 1_000)),
    decisionsPerCpuSecond: Math.round(decisions / ((cpu.user + cpu.system) / 1_000_000)),
    outcomes,
  };
}

/** Runs the default ruleset on typical and all-risky traffic, then seed-legacy on typical traffic, `durationMs` each. */
export function benchRules(options: RulesBenchOptions = {}): RulesBenchResult[] {
  const { durationMs = 3_000, snapshotCount = 10_000, seed = 20_260_701 } = options;
  const snapshots = (traffic: TrafficMix) => generateSnapshots(snapshotCount, seed, RISKY_SHARE[traffic]);
  const runs: [RulesetDocument, TrafficMix][] = [
    [defaultRuleset, 'typical'],
    [defaultRuleset, 'all-risky'],
    [seedLegacyRuleset, 'typical'],
  ];
  return runs.map(([document, traffic]) => measure(compileRuleset(document), traffic, snapshots(traffic), durationMs));
}

function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const result of benchRules()) {
    const { approve, review, decline } = result.outcomes;
    console.log(
      `${result.rulesetId} v${result.rulesetVersion} (${result.rules} rules, ${result.traffic} traffic): ${result.decisionsPerSecond.toLocaleString('en-US')} decisions/s ` +
        `(${result.decisionsPerCpuSecond.toLocaleString('en-US')} per CPU-second) ` +
        `over ${result.decisions.toLocaleString('en-US')} decisions — approve ${formatPercent(approve)}, review ${formatPercent(review)}, decline ${formatPercent(decline)}`,
    );
  }
}
