// A labelled synthetic world to measure a ruleset's precision and recall per fraud pattern: the Fraud Detection Handbook's simulator plus marketplace fraud.
import type { OrderOutcomeV1Input } from '@fraudline/events';
import type { FraudPattern } from '../contract.js';
import type { Catalog, GeneratedOrder } from '../order-profile.js';
import { generateOutcomes } from '../outcomes.js';
import { seededFaker } from '../random.js';
import { DAY_MS } from '../time.js';
import { compromiseCustomers, compromiseMerchants, handbookOrders, labelHighAmounts, type Compromise, type Period } from './handbook.js';
import { MARKETPLACE_PATTERNS, marketplaceOrders, type MarketplacePattern, type MarketplaceRates } from './marketplace.js';
import { drawSeed } from './sampling.js';
import { buildWorld, type CustomerProfile, type MerchantProfile } from './world.js';

/** The fraud the benchmark labels: the handbook's three scenarios, then the marketplace patterns injected on top. */
export const BENCHMARK_FRAUD_PATTERNS = [
  'high_amount',
  'compromised_merchant',
  'compromised_customer',
  'device_farm',
  'velocity_burst',
  'card_testing',
  'account_takeover',
] as const satisfies readonly FraudPattern[];
export type BenchmarkPattern = 'none' | (typeof BENCHMARK_FRAUD_PATTERNS)[number];

export interface DetectionBenchmarkOptions {
  seed: number;
  /** Day 0 starts here and every day is 24 hours, so pass a midnight (Asia/Jakarta for Jakarta-noon order times). */
  start: Date;
  days: number;
  /** Default 2,000. */
  customers?: number;
  /** Default 500; each sells 20 products. */
  merchants?: number;
  /** How far on the 100 × 100 grid a customer shops (handbook: 5). */
  radius?: number;
  /** Handbook scenario 2; default its 2 a day per 10,000 terminals, scaled to `merchants`. */
  compromisedMerchantsPerDay?: number;
  /** Handbook scenario 3; default its 3 a day per 5,000 customers, scaled to `customers`. */
  compromisedCustomersPerDay?: number;
  /** Default 1 a day per 4,000 customers. */
  deviceFarmsPerDay?: number;
  /** Default 1 a day per 2,000 customers. */
  velocityBurstsPerDay?: number;
  /** Default 1 a day per 4,000 customers. */
  cardTestingPerDay?: number;
  /** Default 1 a day per 400 customers. */
  accountTakeoversPerDay?: number;
}

export interface DetectionBenchmark {
  /** The handbook's customers and the farms' new accounts, every merchant's products, and the merchants. */
  catalog: Catalog;
  /** Every order, sorted by placedAt, each labelled in `simulation`. */
  orders: GeneratedOrder[];
  /** Chargebacks and refunds known by `now` (generateOutcomes, its seed derived from the benchmark's). */
  outcomes(now: Date): OrderOutcomeV1Input[];
  ordersByPattern: Record<BenchmarkPattern, number>;
  /** The handbook's profile tables: where each customer lives, spends and shops; where each merchant sits. */
  customers: CustomerProfile[];
  merchants: MerchantProfile[];
  /** Ground truth per entity: which merchants and customers were compromised over which days. */
  compromisedMerchants: Compromise[];
  compromisedCustomers: Compromise[];
}

/**
 * The transaction simulator of Le Borgne et al., "Reproducible Machine Learning for Credit Card Fraud Detection –
 * Practical Handbook", ch. 3 "Simulated dataset", adapted to a rupiah marketplace:
 * - customers are catalog users (country ID, accounts at least 30 days old at `start`) with 1–2 home devices and a
 *   home IP, which their orders mostly use (OrderKit.homeDevice: a few always browse through a VPN abroad); the
 *   handbook's terminals are merchants, on the same 100 × 100 grid, reached within `radius` (the nearest when none is);
 * - amounts are the handbook's × 10,000: mean spend 50,000–1,000,000 IDR, std mean / 2, whole rupiah. Every merchant
 *   sells 20 products priced on a log ladder from 5,000 to 3,000,000 IDR (not its category's usual band), and an order
 *   is the line closest to the amount drawn (the fewest units, up to 3, within 5 %), so unitPrice is a catalog price,
 *   amount = unitPrice × quantity exactly, and the amount drawn moves by a few percent;
 * - compromised customers' fraud is five times the units rather than five times the price; the third is taken from
 *   all of a day's compromised customers' orders together, as the handbook does, but never multiplies an order twice;
 * - the handbook's fixed daily counts become rates scaled to the world's size (a fraction adds one on that share of
 *   days, so a short run at the default 0.1 compromised merchants a day may have none); its later scenarios relabel
 *   the earlier ones' orders, as its code does;
 * - device farms, velocity bursts, card testing and account takeovers are injected on top, as extra orders.
 * Deterministic per seed; each scenario draws from its own seed, so changing one rate leaves the rest in place.
 */
export function generateDetectionBenchmark(options: DetectionBenchmarkOptions): DetectionBenchmark {
  const { seed, start, days, customers = 2_000, merchants = 500, radius = 5 } = options;
  assertCount('days', days);
  assertCount('customers', customers);
  assertCount('merchants', merchants);
  if (!(radius > 0)) throw new Error(`radius must be positive, got ${radius}`);
  const compromisedMerchantsPerDay = rate('compromisedMerchantsPerDay', options.compromisedMerchantsPerDay, (2 * merchants) / 10_000);
  const compromisedCustomersPerDay = rate('compromisedCustomersPerDay', options.compromisedCustomersPerDay, (3 * customers) / 5_000);
  const marketplaceRates: MarketplaceRates = {
    device_farm: rate('deviceFarmsPerDay', options.deviceFarmsPerDay, customers / 4_000),
    velocity_burst: rate('velocityBurstsPerDay', options.velocityBurstsPerDay, customers / 2_000),
    card_testing: rate('cardTestingPerDay', options.cardTestingPerDay, customers / 4_000),
    account_takeover: rate('accountTakeoversPerDay', options.accountTakeoversPerDay, customers / 400),
  };

  const root = seededFaker(seed);
  const nextSeed = () => drawSeed(root);
  const period: Period = { start: start.getTime(), days };
  const world = buildWorld(seededFaker(nextSeed()), { customers, merchants, radius, catalogDate: new Date(period.start - 30 * DAY_MS) });
  const handbook = handbookOrders(seededFaker(nextSeed()), world, period);
  labelHighAmounts(handbook);
  const compromisedMerchants = compromiseMerchants(seededFaker(nextSeed()), handbook, world, period, compromisedMerchantsPerDay);
  const compromisedCustomers = compromiseCustomers(seededFaker(nextSeed()), handbook, world, period, compromisedCustomersPerDay);
  const marketplaceSeeds = Object.fromEntries(MARKETPLACE_PATTERNS.map((pattern) => [pattern, nextSeed()])) as Record<MarketplacePattern, number>;
  const marketplace = marketplaceOrders(marketplaceSeeds, world, period, marketplaceRates, customers + 1);
  const outcomeSeed = nextSeed();

  const orders = [...handbook, ...marketplace.orders].sort((a, b) => a.at - b.at).map((order) => order.event);
  return {
    catalog: {
      users: [...world.customers.map((customer) => customer.shopper.user), ...marketplace.accounts],
      products: world.merchants.flatMap((merchant) => merchant.products),
      merchants: world.merchants.map((merchant) => merchant.row),
    },
    orders,
    outcomes: (now) => generateOutcomes(orders, { seed: outcomeSeed, now }),
    ordersByPattern: countByPattern(orders),
    customers: world.customers.map((customer) => customer.profile),
    merchants: world.merchants.map((merchant) => merchant.profile),
    compromisedMerchants,
    compromisedCustomers,
  };
}

function countByPattern(orders: readonly GeneratedOrder[]): Record<BenchmarkPattern, number> {
  const counts = Object.fromEntries(['none', ...BENCHMARK_FRAUD_PATTERNS].map((pattern) => [pattern, 0])) as Record<BenchmarkPattern, number>;
  for (const order of orders) counts[order.simulation.pattern as BenchmarkPattern]++;
  return counts;
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

function rate(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!(Number.isFinite(chosen) && chosen >= 0)) throw new Error(`${name} must be a non-negative number, got ${value}`);
  return chosen;
}
