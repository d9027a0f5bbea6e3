// Orders are valid events, in time order, from the catalog, with fraud that carries its traits and a seed-a profile that matches seed A.
import { decodeOrderPlaced, encodeOrderPlaced } from '@fraudline/events';
import { toCents } from './decimal.js';
import { generateMerchants } from './merchants.js';
import type { GeneratedOrder } from './order-profile.js';
import { createOrderGenerator, generateOrders } from './order-generator.js';
import { CARD_TESTING_MAX_IDR, HIGH_VALUE_MIN_IDR, RISKY_WALLET_METHODS } from './order-kit.js';
import { generateProducts } from './products.js';
import { SEED_A_DISTRIBUTIONS } from './seed-a-orders.js';
import { jakartaHour } from './time.js';
import { generateUsers } from './users.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const from = new Date('2026-03-02T00:00:00+07:00');
const to = new Date(from.getTime() + 7 * DAY);
const catalog = {
  users: generateUsers({ seed: 1, count: 300, asOf: from }).users,
  products: generateProducts({ seed: 2, count: 80 }),
  merchants: generateMerchants({ seed: 3, count: 15 }),
};

const at = (order: GeneratedOrder) => Date.parse(order.placedAt);
const patternOf = (order: GeneratedOrder) => order.simulation.pattern;
const idr = (amount: number) => BigInt(amount) * 100n;

function expectDecodes(orders: readonly GeneratedOrder[]) {
  const failures = orders.map((order) => decodeOrderPlaced(encodeOrderPlaced(order))).filter((result) => !result.ok);
  expect(failures).toEqual([]);
}

function expectNonDecreasing(orders: readonly GeneratedOrder[]) {
  const outOfOrder = orders.filter((order, index) => index > 0 && at(order) < at(orders[index - 1]!));
  expect(outOfOrder).toEqual([]);
}

function groupBy(orders: readonly GeneratedOrder[], keyOf: (order: GeneratedOrder) => string) {
  const groups = new Map<string, GeneratedOrder[]>();
  for (const order of orders) {
    const group = groups.get(keyOf(order));
    if (group) group.push(order);
    else groups.set(keyOf(order), [order]);
  }
  return groups;
}

/** Splits each actor's orders into bursts: runs of orders no more than `gapMinutes` apart. */
function bursts(orders: readonly GeneratedOrder[], actorOf: (order: GeneratedOrder) => string, gapMinutes: number) {
  const result: GeneratedOrder[][] = [];
  for (const actorOrders of groupBy(orders, actorOf).values()) {
    let current: GeneratedOrder[] = [];
    for (const order of actorOrders) {
      const last = current.at(-1);
      if (last && at(order) - at(last) > gapMinutes * MINUTE) {
        result.push(current);
        current = [];
      }
      current.push(order);
    }
    result.push(current);
  }
  return result;
}

describe('generateOrders — realistic profile', () => {
  const orders = generateOrders({ seed: 7, catalog, count: 20_000, from, to });
  const ofPattern = (pattern: string) => orders.filter((order) => patternOf(order) === pattern);
  const genuine = ofPattern('none');

  it('is reproducible under a seed and differs across seeds', () => {
    const options = { catalog, count: 2_000, from, to };
    expect(generateOrders({ seed: 7, ...options })).toEqual(generateOrders({ seed: 7, ...options }));
    expect(generateOrders({ seed: 8, ...options })).not.toEqual(generateOrders({ seed: 7, ...options }));
  });

  it('emits exactly count orders inside [from, to), in placedAt order, with a +07:00 offset', () => {
    expect(orders).toHaveLength(20_000);
    expectNonDecreasing(orders);
    expect(orders.every((order) => at(order) >= from.getTime() && at(order) < to.getTime())).toBe(true);
    expect(orders.every((order) => order.placedAt.endsWith('+07:00'))).toBe(true);
    const utc = generateOrders({ seed: 7, catalog, count: 50, from, to, timeZone: 'UTC' });
    expect(utc.every((order) => order.placedAt.endsWith('Z'))).toBe(true);
  });

  it('produces events that survive encode → decode', () => {
    expectDecodes(orders);
  });

  it('stamps unique UUIDv7 order ids that carry the order time', () => {
    expect(new Set(orders.map((order) => order.orderId)).size).toBe(orders.length);
    expect(orders.filter((order) => parseInt(order.orderId.replace(/-/g, '').slice(0, 12), 16) !== at(order))).toEqual([]);
  });

  it('sets amount to unitPrice × quantity exactly', () => {
    expect(orders.filter((order) => toCents(order.amount) !== toCents(order.unitPrice) * BigInt(order.quantity))).toEqual([]);
  });

  it('references only catalog rows, with a merchant that sells the product', () => {
    const userIds = new Set(catalog.users.map((user) => user.userId));
    const products = new Map(catalog.products.map((product) => [product.productId, product]));
    const merchants = new Map(catalog.merchants.map((merchant) => [merchant.merchantId, merchant]));
    const strays = orders.filter((order) => {
      const product = products.get(order.productId);
      return !userIds.has(order.userId) || order.unitPrice !== product?.price || merchants.get(order.merchantId)?.category !== product.category;
    });
    expect(strays).toEqual([]);
  });

  it('injects every fraud pattern at about the requested rate, labelled as fraud', () => {
    const fraud = orders.filter((order) => order.simulation.isFraud);
    expect(fraud.length / orders.length).toBeGreaterThan(0.02);
    expect(fraud.length / orders.length).toBeLessThan(0.04);
    expect(orders.every((order) => order.simulation.isFraud === (patternOf(order) !== 'none'))).toBe(true);
    for (const pattern of ['velocity_burst', 'account_takeover', 'card_testing', 'night_high_value', 'geo_mismatch']) {
      expect(ofPattern(pattern).length).toBeGreaterThanOrEqual(10);
    }
    expect(generateOrders({ seed: 7, catalog, count: 2_000, from, to, fraudRate: 0 }).every((order) => patternOf(order) === 'none')).toBe(true);
  });

  it('velocity_burst: one user on one device, 5–12 orders within minutes', () => {
    for (const burst of bursts(ofPattern('velocity_burst'), (order) => `${order.userId}/${order.device.deviceId}`, 10)) {
      expect(burst.length).toBeGreaterThanOrEqual(5);
      expect(burst.length).toBeLessThanOrEqual(12);
      expect(at(burst.at(-1)!) - at(burst[0]!)).toBeLessThan(10 * MINUTE);
      expect(new Set(burst.map((order) => order.userId)).size).toBe(1);
    }
  });

  it('card_testing: many single cheap items under 100,000 IDR from one user and device within minutes', () => {
    const cardTesting = ofPattern('card_testing');
    for (const order of cardTesting) {
      expect(toCents(order.amount) < idr(CARD_TESTING_MAX_IDR)).toBe(true);
      expect(order.quantity).toBe(1);
      expect(order.customer?.failedLogins24h).toBeGreaterThanOrEqual(5);
    }
    for (const burst of bursts(cardTesting, (order) => order.device.deviceId, 15)) {
      expect(burst.length).toBeGreaterThanOrEqual(8);
      expect(burst.length).toBeLessThanOrEqual(20);
      expect(at(burst.at(-1)!) - at(burst[0]!)).toBeLessThan(15 * MINUTE);
      expect(new Set(burst.map((order) => order.userId)).size).toBe(1);
    }
  });

  it('account_takeover: an existing user on a new device from abroad over VPN, fresh password, high amount, other address', () => {
    const genuineDevices = new Set(genuine.map((order) => `${order.userId}/${order.device.deviceId}`));
    for (const order of ofPattern('account_takeover')) {
      expect(genuineDevices.has(`${order.userId}/${order.device.deviceId}`)).toBe(false);
      expect(order.device.ipCountry).not.toBe(order.country);
      expect(order.device.isVpn).toBe(true);
      expect(order.customer).toMatchObject({ passwordChangedRecently: true, shippingAddressMismatch: true });
      expect(toCents(order.amount) >= idr(HIGH_VALUE_MIN_IDR)).toBe(true);
      expect(Date.parse(order.customer!.accountCreatedAt!)).toBeLessThan(at(order));
    }
  });

  it('night_high_value: 00:00–04:59 in Jakarta, a wallet or paylater method, a high amount', () => {
    for (const order of ofPattern('night_high_value')) {
      expect(jakartaHour(at(order))).toBeLessThan(5);
      expect(Number(order.placedAt.slice(11, 13))).toBeLessThan(5);
      expect(RISKY_WALLET_METHODS).toContain(order.paymentMethod);
      expect(toCents(order.amount) >= idr(HIGH_VALUE_MIN_IDR)).toBe(true);
    }
  });

  it('geo_mismatch: IP country differs from billing country, usually over VPN', () => {
    const geo = ofPattern('geo_mismatch');
    for (const order of geo) expect(order.device.ipCountry).not.toBe(order.country);
    expect(geo.filter((order) => order.device.isVpn).length / geo.length).toBeGreaterThan(0.5);
  });

  it('lets some genuine orders look risky, so no single trait is a perfect detector', () => {
    expect(genuine.filter((order) => order.device.ipCountry !== order.country).length).toBeGreaterThan(50);
    expect(genuine.filter((order) => order.device.isVpn).length).toBeGreaterThan(20);
    expect(genuine.filter((order) => jakartaHour(at(order)) < 5 && RISKY_WALLET_METHODS.includes(order.paymentMethod)).length).toBeGreaterThan(50);
    expect(genuine.filter((order) => order.customer?.shippingAddressMismatch).length).toBeGreaterThan(50);
  });

  it('has genuine shoppers mostly reuse their home device, IP country and payment method', () => {
    expect(genuine.filter((order) => order.device.ipCountry === order.country).length / genuine.length).toBeGreaterThan(0.9);
    const byUser = groupBy(genuine, (order) => order.userId);
    const user = (userId: string) => catalog.users.find((row) => row.userId === userId)!;
    let onTopDevice = 0;
    let withDefaultPayment = 0;
    for (const [userId, userOrders] of byUser) {
      const perDevice = groupBy(userOrders, (order) => order.device.deviceId);
      onTopDevice += Math.max(...[...perDevice.values()].map((group) => group.length));
      withDefaultPayment += userOrders.filter((order) => order.paymentMethod === user(userId).defaultPayment).length;
    }
    expect(onTopDevice / genuine.length).toBeGreaterThan(0.6);
    expect(withDefaultPayment / genuine.length).toBeGreaterThan(0.8);
  });

  it('follows a diurnal curve: far fewer orders before dawn than in the evening', () => {
    const inHours = (hours: number[]) => orders.filter((order) => hours.includes(jakartaHour(at(order)))).length;
    expect(inHours([1, 2, 3, 4]) * 4).toBeLessThan(inHours([19, 20, 21, 22]));
  });

  it('rejects an unusable catalog or fraud rate', () => {
    expect(() => generateOrders({ seed: 1, catalog: { ...catalog, merchants: [] }, count: 1, from, to })).toThrow(/merchants/);
    expect(() => generateOrders({ seed: 1, catalog, count: 1, from, to, fraudRate: 1 })).toThrow(/fraudRate/);
  });
});

describe('createOrderGenerator', () => {
  const start = new Date('2026-03-02T10:00:00+07:00');
  const take = (seed: number, count: number) => {
    const generator = createOrderGenerator({ seed, catalog, start, ordersPerHour: 120 });
    return Array.from({ length: count }, () => generator.next());
  };
  const stream = take(21, 9_000);

  it('is reproducible under a seed and differs across seeds', () => {
    expect(take(21, 2_500)).toEqual(stream.slice(0, 2_500));
    expect(take(22, 2_500)).not.toEqual(stream.slice(0, 2_500));
  });

  it('never goes back in time, across day boundaries too, and starts at start', () => {
    expectNonDecreasing(stream);
    expect(at(stream[0]!)).toBeGreaterThanOrEqual(start.getTime());
    expect(at(stream.at(-1)!) - start.getTime()).toBeGreaterThan(2.5 * DAY);
    expect(at(stream.at(-1)!) - start.getTime()).toBeLessThan(3.5 * DAY);
  });

  it('interleaves every fraud pattern and only valid events', () => {
    expectDecodes(stream);
    const patterns = new Set(stream.map(patternOf));
    expect([...patterns].sort()).toEqual(['account_takeover', 'card_testing', 'geo_mismatch', 'night_high_value', 'none', 'velocity_burst']);
  });
});

describe('generateOrders — seed-a profile', () => {
  const seedAUsers = generateUsers({ seed: 4, count: 900, startIndex: 100, idDigits: 3 }).users;
  const seedACatalog = { ...catalog, users: seedAUsers };
  const dayOne = new Date('2026-03-02T00:00:00Z');
  const count = 20_000;
  const orders = generateOrders({ seed: 5, catalog: seedACatalog, profile: 'seed-a', count, from: dayOne, to: new Date(dayOne.getTime() + 3 * DAY) });
  const share = (predicate: (order: GeneratedOrder) => boolean) => orders.filter(predicate).length / count;
  const expectShare = (predicate: (order: GeneratedOrder) => boolean, expected: number) =>
    expect(Math.abs(share(predicate) - expected)).toBeLessThan(0.015);

  it('draws users U100–U999 from the catalog and labels nothing as fraud', () => {
    const ids = new Set(seedAUsers.map((user) => user.userId));
    expect(ids.has('U100') && ids.has('U999')).toBe(true);
    expect(orders.every((order) => ids.has(order.userId))).toBe(true);
    expect(orders.every((order) => order.simulation.pattern === 'none' && order.simulation.isFraud === false)).toBe(true);
    expectNonDecreasing(orders);
    expectDecodes(orders.slice(0, 5_000));
  });

  it('reproduces the quantity tiers 50% / 33% / 17%', () => {
    expectShare((order) => order.quantity >= 1 && order.quantity <= 100, 3 / 6);
    expectShare((order) => order.quantity >= 101 && order.quantity <= 300, 2 / 6);
    expectShare((order) => order.quantity >= 301 && order.quantity <= 500, 1 / 6);
  });

  it('reproduces the amount tiers 50% / 33% / 17%, whole rupiah', () => {
    const rupiah = (order: GeneratedOrder) => Number(order.amount);
    expect(orders.every((order) => /^\d+$/.test(order.amount))).toBe(true);
    expectShare((order) => rupiah(order) >= 100_000 && rupiah(order) <= 99_999_999, 3 / 6);
    expectShare((order) => rupiah(order) >= 100_000_000 && rupiah(order) <= 299_999_999, 2 / 6);
    expectShare((order) => rupiah(order) >= 300_000_000 && rupiah(order) <= 500_000_000, 1 / 6);
  });

  it('sets unitPrice to amount / quantity rounded half up to cents', () => {
    const halfUp = (order: GeneratedOrder) => (toCents(order.amount) * 2n + BigInt(order.quantity)) / (2n * BigInt(order.quantity));
    expect(orders.filter((order) => toCents(order.unitPrice) !== halfUp(order))).toEqual([]);
  });

  it('spreads payment methods uniformly, countries 6:1:1:1 and hours uniformly', () => {
    for (const method of ['Bank Transfer', 'Paylater', 'Credit Card', 'Gopay', 'OVO', 'DANA']) expectShare((order) => order.paymentMethod === method, 1 / 6);
    for (const { value, weight } of SEED_A_DISTRIBUTIONS.country) expectShare((order) => order.country === value, weight / 9);
    const hours = new Map(orders.map((order) => [order, jakartaHour(at(order))]));
    for (let hour = 0; hour < 24; hour++) expectShare((order) => hours.get(order) === hour, 1 / 24);
  });

  it("writes seed A's legacy amount spelling on request, which decodes to the same plain amount", () => {
    const options = { seed: 5, catalog: seedACatalog, profile: 'seed-a', count: 500, from: dayOne, to: new Date(dayOne.getTime() + DAY) } as const;
    const legacy = generateOrders({ ...options, legacyAmountFormat: true });
    const plain = generateOrders(options);
    legacy.forEach((order, index) => {
      expect(order.amount).toMatch(/^Rp\.\d{1,3}(,\d{3})*$/);
      const decoded = decodeOrderPlaced(encodeOrderPlaced(order));
      expect(decoded.ok && decoded.event.amount).toBe(plain[index]?.amount);
    });
  });
});
