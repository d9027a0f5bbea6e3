// The benchmark world is valid and reproducible, follows the handbook's simulator, and every pattern carries its defining traits.
import { decodeOrderOutcome, orderPlacedV1Schema } from '@fraudline/events';
import { toCents } from '../decimal.js';
import { CARD_TESTING_MAX_IDR, HIGH_VALUE_MIN_IDR } from '../order-kit.js';
import type { GeneratedOrder } from '../order-profile.js';
import { BENCHMARK_FRAUD_PATTERNS, generateDetectionBenchmark, type DetectionBenchmark } from './detection-benchmark.js';
import { COMPROMISED_CUSTOMER_AMOUNT_FACTOR, HIGH_AMOUNT_THRESHOLD_IDR, type Compromise } from './handbook.js';
import { FARM_ACCOUNT_MAX_AGE_MS } from './marketplace.js';
import { DORMANT_ORDERS_PER_DAY } from './world.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const start = new Date('2026-03-01T00:00:00+07:00');
const days = 60;

const at = (order: GeneratedOrder) => Date.parse(order.placedAt);
const idr = (order: GeneratedOrder) => Number(order.amount);
/** The handbook's own transactions, as opposed to the marketplace orders injected on top. */
const HANDBOOK_PATTERNS = new Set(['none', 'high_amount', 'compromised_merchant', 'compromised_customer']);
const isHandbook = (order: GeneratedOrder) => HANDBOOK_PATTERNS.has(order.simulation.pattern);

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

const inWindow = (windows: readonly Compromise[] | undefined, order: GeneratedOrder) =>
  (windows ?? []).some((window) => at(order) >= window.from.getTime() && at(order) < window.to.getTime());

describe('generateDetectionBenchmark at its default size', () => {
  let benchmark: DetectionBenchmark;
  let generationMs: number;
  let orders: GeneratedOrder[];
  const ofPattern = (pattern: string) => orders.filter((order) => order.simulation.pattern === pattern);

  beforeAll(() => {
    const began = performance.now();
    benchmark = generateDetectionBenchmark({ seed: 11, start, days });
    generationMs = performance.now() - began;
    orders = benchmark.orders;
  });

  it('generates a couple of hundred thousand orders in seconds', () => {
    expect(orders.length).toBeGreaterThan(200_000);
    // About 2–3 s on a laptop; the bound only catches an accidental quadratic step on a loaded CI machine.
    expect(generationMs).toBeLessThan(20_000);
  });

  it('emits valid OrderPlaced v1 events in placedAt order, with unique UUIDv7 ids on their own time', () => {
    expect(orders.filter((order) => !orderPlacedV1Schema.safeParse(order).success)).toEqual([]);
    expect(orders.filter((order, index) => index > 0 && at(order) < at(orders[index - 1]!))).toEqual([]);
    expect(new Set(orders.map((order) => order.orderId)).size).toBe(orders.length);
    expect(orders.filter((order) => parseInt(order.orderId.replace(/-/g, '').slice(0, 12), 16) !== at(order))).toEqual([]);
    expect(orders.every((order) => at(order) >= start.getTime() && at(order) < start.getTime() + days * DAY)).toBe(true);
  });

  it('references catalog rows only: the merchant sells the product at the unit price, and amount = unitPrice × quantity', () => {
    const users = new Map(benchmark.catalog.users.map((user) => [user.userId, user]));
    const products = new Map(benchmark.catalog.products.map((product) => [product.productId, product]));
    const sells = new Map(benchmark.merchants.map((merchant) => [merchant.merchantId, new Set(merchant.productIds)]));
    const merchants = new Map(benchmark.catalog.merchants.map((merchant) => [merchant.merchantId, merchant]));
    const strays = orders.filter((order) => {
      const product = products.get(order.productId);
      return (
        users.get(order.userId)?.email !== order.customer?.email ||
        !sells.get(order.merchantId)?.has(order.productId) ||
        merchants.get(order.merchantId)?.category !== product?.category ||
        order.unitPrice !== product?.price ||
        toCents(order.amount) !== toCents(order.unitPrice) * BigInt(order.quantity) ||
        !(idr(order) > 0)
      );
    });
    expect(strays).toEqual([]);
    expect(new Set(benchmark.catalog.products.map((product) => product.productId)).size).toBe(benchmark.catalog.products.length);
  });

  it('labels every pattern at its defaults, hundreds of orders each, for a fraud share of 1–3 %', () => {
    const fraud = orders.filter((order) => order.simulation.isFraud);
    expect(fraud.length / orders.length).toBeGreaterThan(0.01);
    expect(fraud.length / orders.length).toBeLessThan(0.03);
    expect(orders.every((order) => order.simulation.isFraud === (order.simulation.pattern !== 'none'))).toBe(true);
    for (const pattern of BENCHMARK_FRAUD_PATTERNS) {
      expect(ofPattern(pattern).length).toBeGreaterThanOrEqual(100);
      expect(benchmark.ordersByPattern[pattern]).toBe(ofPattern(pattern).length);
    }
    expect(benchmark.ordersByPattern.none).toBe(ofPattern('none').length);
  });

  it('makes customers catalog users in ID with accounts from well before the period', () => {
    const customers = benchmark.catalog.users.slice(0, benchmark.customers.length);
    expect(customers.map((user) => user.userId)).toEqual(benchmark.customers.map((customer) => customer.userId));
    expect(benchmark.catalog.users.every((user) => user.country === 'ID')).toBe(true);
    expect(customers.every((user) => user.createdAt.getTime() <= start.getTime() - 30 * DAY)).toBe(true);
  });

  it('gives every account, customers and farm accounts alike, an address of its own', () => {
    const addresses = benchmark.catalog.users.map((user) => user.email.toLowerCase());
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('has each customer buy from the merchants within radius 5, or the nearest one when none is that close', () => {
    let alone = 0;
    const misplaced = benchmark.customers.filter((customer) => {
      const distance = (merchant: { x: number; y: number }) => Math.hypot(merchant.x - customer.x, merchant.y - customer.y);
      const within = benchmark.merchants.filter((merchant) => distance(merchant) < 5).map((merchant) => merchant.merchantId);
      if (within.length === 0) alone++;
      const nearest = benchmark.merchants.reduce((best, merchant) => (distance(merchant) < distance(best) ? merchant : best));
      const expected = within.length > 0 ? within : [nearest.merchantId];
      return customer.merchantIds.join() !== expected.join();
    });
    expect(misplaced).toEqual([]);
    expect(alone).toBeGreaterThan(0);
    const reachable = new Map(benchmark.customers.map((customer) => [customer.userId, new Set(customer.merchantIds)]));
    const elsewhere = orders.filter((order) => isHandbook(order) && !reachable.get(order.userId)!.has(order.merchantId));
    expect(elsewhere).toEqual([]);
  });

  it('spreads orders by the handbook: Poisson per day around each customer mean, times N(noon, 20,000 s)', () => {
    const handbook = orders.filter(isHandbook);
    const expected = benchmark.customers.reduce((sum, customer) => sum + customer.meanOrdersPerDay * days, 0);
    // A draw outside the day is dropped: N(43,200 s, 20,000 s) falls inside [0, 86,400 s) 96.9 % of the time.
    expect(handbook.length / expected).toBeGreaterThan(0.95);
    expect(handbook.length / expected).toBeLessThan(0.99);
    const seconds = handbook.map((order) => ((at(order) - start.getTime()) % DAY) / 1000);
    const mean = seconds.reduce((sum, value) => sum + value, 0) / seconds.length;
    const std = Math.sqrt(seconds.reduce((sum, value) => sum + (value - mean) ** 2, 0) / seconds.length);
    expect(Math.abs(mean - 43_200)).toBeLessThan(300);
    // The dropped tails make the kept draws a little narrower than 20,000 s.
    expect(std).toBeGreaterThan(18_000);
    expect(std).toBeLessThan(20_000);
  });

  it('draws genuine amounts around each customer mean (the handbook × 10,000 IDR) from their 1–2 home devices', () => {
    const genuine = ofPattern('none');
    const profiles = new Map(benchmark.customers.map((customer) => [customer.userId, customer]));
    const drawn = genuine.reduce((sum, order) => sum + idr(order), 0);
    const expected = genuine.reduce((sum, order) => sum + profiles.get(order.userId)!.meanAmount, 0);
    expect(drawn / expected).toBeGreaterThan(0.95);
    expect(drawn / expected).toBeLessThan(1.05);
    expect(benchmark.customers.every((customer) => customer.meanAmount >= 50_000 && customer.meanAmount <= 1_000_000)).toBe(true);
    for (const [userId, own] of groupBy(genuine, (order) => order.userId)) {
      expect(new Set(own.map((order) => order.device.deviceId)).size).toBeLessThanOrEqual(2);
      expect(own.every((order) => profiles.get(userId)!.paymentMethods.includes(order.paymentMethod))).toBe(true);
    }
  });

  it('high_amount: every order above 2,200,000 IDR is fraud, and every high_amount order is above it', () => {
    expect(HIGH_AMOUNT_THRESHOLD_IDR).toBe(2_200_000);
    expect(orders.filter((order) => idr(order) > HIGH_AMOUNT_THRESHOLD_IDR && !order.simulation.isFraud)).toEqual([]);
    expect(ofPattern('high_amount').every((order) => idr(order) > HIGH_AMOUNT_THRESHOLD_IDR)).toBe(true);
  });

  it('compromised_merchant: all of a merchant’s orders in its 28 days are fraud, none before or after', () => {
    const windows = groupBy(benchmark.compromisedMerchants, (compromise) => compromise.id);
    expect(benchmark.compromisedMerchants.length).toBeGreaterThan(0);
    expect(benchmark.compromisedMerchants.every((compromise) => compromise.to.getTime() - compromise.from.getTime() === 28 * DAY)).toBe(true);
    const ofCompromised = orders.filter((order) => isHandbook(order) && windows.has(order.merchantId));
    const inside = ofCompromised.filter((order) => inWindow(windows.get(order.merchantId), order));
    expect(inside.filter((order) => !order.simulation.isFraud)).toEqual([]);
    expect(inside.filter((order) => order.simulation.pattern === 'compromised_merchant').length / inside.length).toBeGreaterThan(0.9);
    expect(ofPattern('compromised_merchant').filter((order) => !inWindow(windows.get(order.merchantId), order))).toEqual([]);
    const before = ofCompromised.filter((order) => at(order) < Math.min(...windows.get(order.merchantId)!.map((window) => window.from.getTime())));
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((order) => order.simulation.pattern === 'compromised_merchant')).toEqual([]);
  });

  it('compromised_customer: about a third of the customer’s orders in its 14 days are fraud, at quantity and amount × 5', () => {
    const windows = groupBy(benchmark.compromisedCustomers, (compromise) => compromise.id);
    expect(benchmark.compromisedCustomers.every((compromise) => compromise.to.getTime() - compromise.from.getTime() === 14 * DAY)).toBe(true);
    const exposed = orders.filter((order) => isHandbook(order) && inWindow(windows.get(order.userId), order));
    const fraud = ofPattern('compromised_customer');
    expect(fraud.every((order) => inWindow(windows.get(order.userId), order))).toBe(true);
    expect(fraud.every((order) => order.quantity % COMPROMISED_CUSTOMER_AMOUNT_FACTOR === 0)).toBe(true);
    expect(fraud.length / exposed.length).toBeGreaterThan(0.28);
    expect(fraud.length / exposed.length).toBeLessThan(0.36);
  });

  it('device_farm: one new device, mostly on one IP, orders for 8–20 fresh or dormant accounts within 4 hours', () => {
    const farms = groupBy(ofPattern('device_farm'), (order) => order.device.deviceId);
    const users = new Map(benchmark.catalog.users.map((user) => [user.userId, user]));
    const dormant = new Set(benchmark.customers.filter((c) => c.meanOrdersPerDay < DORMANT_ORDERS_PER_DAY).map((c) => c.userId));
    const others = new Set(orders.filter((order) => order.simulation.pattern !== 'device_farm').map((order) => order.device.deviceId));
    expect(farms.size).toBeGreaterThanOrEqual(20);
    let sharedIp = 0;
    for (const farm of farms.values()) {
      const accounts = new Set(farm.map((order) => order.userId));
      expect(accounts.size).toBe(farm.length);
      expect(accounts.size).toBeGreaterThanOrEqual(8);
      expect(accounts.size).toBeLessThanOrEqual(20);
      expect(at(farm.at(-1)!) - at(farm[0]!)).toBeLessThanOrEqual(4 * HOUR);
      expect(others.has(farm[0]!.device.deviceId)).toBe(false);
      for (const order of farm) {
        const age = at(order) - users.get(order.userId)!.createdAt.getTime();
        expect(dormant.has(order.userId) || (age > 0 && age <= FARM_ACCOUNT_MAX_AGE_MS + 4 * HOUR)).toBe(true);
      }
      if (new Set(farm.map((order) => order.device.ip)).size === 1) sharedIp++;
    }
    expect(sharedIp / farms.size).toBeGreaterThan(0.6);
  });

  it('velocity_burst: one customer on one device, 5–12 orders within 10 minutes', () => {
    const bursts = groupBy(ofPattern('velocity_burst'), (order) => `${order.userId} ${order.device.deviceId}`);
    for (const burst of bursts.values()) {
      // The same customer and device twice in 60 days is possible but rare; split such pairs by day.
      for (const sameDay of groupBy(burst, (order) => String(Math.floor((at(order) - start.getTime()) / DAY))).values()) {
        expect(sameDay.length).toBeGreaterThanOrEqual(5);
        expect(sameDay.length).toBeLessThanOrEqual(12);
        expect(at(sameDay.at(-1)!) - at(sameDay[0]!)).toBeLessThanOrEqual(10 * MINUTE);
      }
    }
    expect(bursts.size).toBeGreaterThanOrEqual(40);
  });

  it('card_testing: one account on one new device, 8–20 credit-card orders under 100,000 IDR within 15 minutes', () => {
    const tests = groupBy(ofPattern('card_testing'), (order) => order.device.deviceId);
    expect(tests.size).toBeGreaterThanOrEqual(20);
    for (const test of tests.values()) {
      expect(new Set(test.map((order) => order.userId)).size).toBe(1);
      expect(test.length).toBeGreaterThanOrEqual(8);
      expect(test.length).toBeLessThanOrEqual(20);
      expect(at(test.at(-1)!) - at(test[0]!)).toBeLessThanOrEqual(15 * MINUTE);
      expect(test.every((order) => order.paymentMethod === 'Credit Card' && order.quantity === 1 && idr(order) < CARD_TESTING_MAX_IDR)).toBe(true);
    }
  });

  it('account_takeover: a customer’s account from a never-seen device abroad, paying a new way, for a high amount', () => {
    const takeovers = ofPattern('account_takeover');
    const ownOrders = groupBy(
      orders.filter((order) => order.simulation.pattern !== 'account_takeover'),
      (order) => order.userId,
    );
    const profiles = new Map(benchmark.customers.map((customer) => [customer.userId, customer]));
    for (const order of takeovers) {
      const own = ownOrders.get(order.userId) ?? [];
      expect(own.some((other) => other.device.deviceId === order.device.deviceId)).toBe(false);
      expect(order.device.ipCountry).not.toBe(order.country);
      expect(profiles.get(order.userId)!.paymentMethods).not.toContain(order.paymentMethod);
      expect(own.filter(isHandbook).some((other) => other.paymentMethod === order.paymentMethod)).toBe(false);
      expect(idr(order)).toBeGreaterThanOrEqual(HIGH_VALUE_MIN_IDR);
      expect(order.customer?.passwordChangedRecently).toBe(true);
    }
  });

  it('reports chargebacks and refunds with their delays, only once known, for fraud orders and a few disputes', () => {
    const now = new Date(start.getTime() + days * DAY);
    const outcomes = benchmark.outcomes(now);
    const byId = new Map(orders.map((order) => [order.orderId, order]));
    expect(outcomes.length).toBeGreaterThan(1_000);
    for (const outcome of outcomes) {
      const order = byId.get(outcome.orderId)!;
      expect(decodeOrderOutcome(JSON.stringify(outcome)).ok).toBe(true);
      expect(Date.parse(outcome.knownAt)).toBeLessThanOrEqual(now.getTime());
      expect(Date.parse(outcome.knownAt) - at(order)).toBeGreaterThanOrEqual(6 * HOUR);
      const fraudOutcome = outcome.kind === 'fraud_refund' || (outcome.kind === 'chargeback' && outcome.category === 'fraud');
      expect(fraudOutcome).toBe(order.simulation.isFraud);
    }
    const later = benchmark.outcomes(new Date(now.getTime() + 40 * DAY));
    expect(later.length).toBeGreaterThan(outcomes.length);
    expect(benchmark.outcomes(now)).toEqual(outcomes);
    const reported = new Set(later.map((outcome) => outcome.orderId));
    const fraud = orders.filter((order) => order.simulation.isFraud);
    expect(fraud.filter((order) => reported.has(order.orderId)).length / fraud.length).toBeGreaterThan(0.7);
  });
});

describe('generateDetectionBenchmark options', () => {
  const small = { start, days: 30, customers: 300, merchants: 60 };

  it('is deterministic per seed and differs across seeds', () => {
    const { outcomes: _outcomes, ...first } = generateDetectionBenchmark({ seed: 5, ...small });
    const { outcomes: _again, ...second } = generateDetectionBenchmark({ seed: 5, ...small });
    expect(second).toEqual(first);
    expect(generateDetectionBenchmark({ seed: 6, ...small }).orders).not.toEqual(first.orders);
  });

  it('takes a whole daily rate literally, as the handbook does', () => {
    const benchmark = generateDetectionBenchmark({ seed: 5, ...small, compromisedMerchantsPerDay: 2, compromisedCustomersPerDay: 3 });
    expect(benchmark.compromisedMerchants).toHaveLength(2 * 30);
    expect(benchmark.compromisedCustomers).toHaveLength(3 * 30);
  });

  it('multiplies a compromised customer’s order five times and leaves everything else as it would have been', () => {
    const rates = { deviceFarmsPerDay: 1, velocityBurstsPerDay: 1, cardTestingPerDay: 1, accountTakeoversPerDay: 1 };
    const withFraud = generateDetectionBenchmark({ seed: 5, ...small, ...rates, compromisedCustomersPerDay: 3 });
    const without = new Map(
      generateDetectionBenchmark({ seed: 5, ...small, ...rates, compromisedCustomersPerDay: 0 }).orders.map((order) => [order.orderId, order]),
    );
    expect(withFraud.orders.map((order) => order.orderId).sort()).toEqual([...without.keys()].sort());
    const multiplied = withFraud.orders.filter((order) => order.simulation.pattern === 'compromised_customer');
    expect(multiplied.length).toBeGreaterThan(50);
    for (const order of multiplied) {
      const original = without.get(order.orderId)!;
      expect(order.quantity).toBe(original.quantity * 5);
      expect(toCents(order.amount)).toBe(toCents(original.amount) * 5n);
      expect({ ...order, quantity: 0, amount: '', commerce: {}, simulation: {} }).toEqual({
        ...original,
        quantity: 0,
        amount: '',
        commerce: {},
        simulation: {},
      });
    }
    const untouched = withFraud.orders.filter((order) => order.simulation.pattern !== 'compromised_customer');
    expect(untouched.filter((order) => order.amount !== without.get(order.orderId)!.amount)).toEqual([]);
  });

  it('turns a pattern off at rate 0 and rejects sizes and rates it cannot use', () => {
    const quiet = generateDetectionBenchmark({
      seed: 5,
      ...small,
      compromisedMerchantsPerDay: 0,
      compromisedCustomersPerDay: 0,
      deviceFarmsPerDay: 0,
      velocityBurstsPerDay: 0,
      cardTestingPerDay: 0,
      accountTakeoversPerDay: 0,
    });
    expect(new Set(quiet.orders.map((order) => order.simulation.pattern))).toEqual(new Set(['none', 'high_amount']));
    expect(quiet.catalog.users).toHaveLength(300);
    expect(() => generateDetectionBenchmark({ seed: 5, ...small, days: 0 })).toThrow('days must be a positive integer');
    expect(() => generateDetectionBenchmark({ seed: 5, ...small, merchants: 1.5 })).toThrow('merchants must be a positive integer');
    expect(() => generateDetectionBenchmark({ seed: 5, ...small, radius: 0 })).toThrow('radius must be positive');
    expect(() => generateDetectionBenchmark({ seed: 5, ...small, cardTestingPerDay: -1 })).toThrow('cardTestingPerDay must be a non-negative number');
  });
});
