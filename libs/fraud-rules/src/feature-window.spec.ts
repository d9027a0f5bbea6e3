import { featureSnapshot } from '../test/fixtures.js';
import { FeatureWindow, WINDOW_MS, type FraudReport, type LifetimeTotals } from './feature-window.js';
import type { OrderFacts, PreparedOrder } from './order-features.js';

const T = Date.parse('2026-11-21T12:00:00.000+07:00');
const MINUTE = 60_000;

let sequence = 0;
function facts(overrides: Partial<OrderFacts> = {}): OrderFacts {
  sequence++;
  return {
    orderId: `o${sequence}`,
    userId: 'U1',
    deviceId: `D-${sequence}`,
    ip: `10.0.0.${sequence % 250}`,
    amount: 1_000_000,
    placedAtMs: T,
    ipCountry: 'ID',
    paymentMethod: 'Gopay',
    merchantId: 'M1',
    productId: 'P1',
    ...overrides,
  };
}

/** A user's lifetime totals with nothing seen and no spread, unless a test says otherwise. */
function lifetime(totals: Pick<LifetimeTotals, 'userId' | 'orders' | 'totalAmount'> & Partial<LifetimeTotals>): LifetimeTotals {
  return { amountSquares: '0', lastOrderAtMs: undefined, seen: { devices: {}, ipCountries: {}, paymentMethods: {} }, ...totals };
}

function prepared(overrides: Partial<OrderFacts> = {}): PreparedOrder {
  const orderFacts = facts(overrides);
  return { facts: orderFacts, features: featureSnapshot({ order: { orderId: orderFacts.orderId, amount: orderFacts.amount } }).order };
}

/** The decided order: user U1 at T, on its own device and IP unless a test says otherwise. */
const current = (overrides: Partial<OrderFacts> = {}) => prepared({ orderId: 'current', placedAtMs: T, ...overrides });

describe('FeatureWindow user windows', () => {
  it.each([
    ['10 minutes', WINDOW_MS.tenMinutes, 'orders10m'],
    ['1 hour', WINDOW_MS.oneHour, 'orders1h'],
    ['24 hours', WINDOW_MS.oneDay, 'orders24h'],
  ] as const)('counts an order exactly %s ago and not one a millisecond earlier', (_label, windowMs, feature) => {
    const atEdge = new FeatureWindow({ history: [facts({ placedAtMs: T - windowMs })] });
    const beyond = new FeatureWindow({ history: [facts({ placedAtMs: T - windowMs - 1 })] });
    expect(atEdge.snapshot(current()).user[feature]).toBe(1);
    expect(beyond.snapshot(current()).user[feature]).toBe(0);
  });

  it('does not count orders placed at or after the decided order, nor the decided order itself', () => {
    const decided = current();
    const window = new FeatureWindow({
      history: [decided.facts, facts({ placedAtMs: T }), facts({ placedAtMs: T + 1 }), facts({ placedAtMs: T - 1, amount: 7 })],
    });
    expect(window.snapshot(decided).user).toMatchObject({ orders10m: 1, orders1h: 1, orders24h: 1, amount10m: 7, amount24h: 7 });
  });

  it('sums amounts per window and counts small orders in the last hour', () => {
    const window = new FeatureWindow({
      history: [
        facts({ placedAtMs: T - 5 * MINUTE, amount: 99_999 }),
        facts({ placedAtMs: T - 30 * MINUTE, amount: 100_000 }),
        facts({ placedAtMs: T - 50 * MINUTE, amount: 50_000 }),
        facts({ placedAtMs: T - 2 * WINDOW_MS.oneHour, amount: 10_000 }),
        facts({ placedAtMs: T - 5 * MINUTE, amount: 1, userId: 'someone-else' }),
      ],
    });
    expect(window.snapshot(current()).user).toMatchObject({
      orders10m: 1,
      orders1h: 3,
      orders24h: 4,
      amount10m: 99_999,
      amount1h: 249_999,
      amount24h: 259_999,
      smallOrders1h: 2,
    });
  });

  it('takes lifetime totals from the given aggregates and defaults risk status to Good Standing', () => {
    const window = new FeatureWindow({
      lifetime: [lifetime({ userId: 'U1', orders: 4, totalAmount: 2_000_000 })],
      riskStatuses: new Map([['U2', 'Watchlist' as const]]),
      history: [facts({ placedAtMs: T - MINUTE })],
    });
    expect(window.snapshot(current()).user).toMatchObject({ lifetimeOrders: 4, avgAmount: 500_000, riskStatus: 'Good Standing' });
    expect(window.snapshot(current({ userId: 'U2' })).user).toMatchObject({ lifetimeOrders: 0, avgAmount: 0, riskStatus: 'Watchlist' });
  });
});

describe('FeatureWindow batches', () => {
  it('lets each order of a user see the earlier ones of the same batch, in offset order', () => {
    const window = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 2, totalAmount: 400_000 })] });
    const batch = [0, 1, 2].map((i) => prepared({ placedAtMs: T + i * MINUTE, amount: 100_000 * (i + 1) }));
    const snapshots = batch.map((order) => window.snapshotThenRecord(order));
    expect(snapshots.map((snapshot) => snapshot.user.orders10m)).toEqual([0, 1, 2]);
    expect(snapshots.map((snapshot) => snapshot.user.amount10m)).toEqual([0, 100_000, 300_000]);
    expect(snapshots.map((snapshot) => snapshot.user.lifetimeOrders)).toEqual([2, 3, 4]);
    expect(snapshots.map((snapshot) => snapshot.user.avgAmount)).toEqual([200_000, 500_000 / 3, 175_000]);
  });

  it('does not count a same-batch order placed in the same millisecond', () => {
    const window = new FeatureWindow();
    window.record(facts({ placedAtMs: T }));
    expect(window.snapshot(current()).user.orders1h).toBe(0);
  });

  it('keeps event-time order when a batch arrives out of order', () => {
    const window = new FeatureWindow();
    window.record(facts({ placedAtMs: T - MINUTE }));
    window.record(facts({ placedAtMs: T - 3 * WINDOW_MS.oneHour }));
    window.record(facts({ placedAtMs: T - 30 * MINUTE }));
    expect(window.snapshot(current()).user).toMatchObject({ orders10m: 1, orders1h: 2, orders24h: 3 });
  });

  it('ignores a redelivered order or one already in the history', () => {
    const earlier = facts({ placedAtMs: T - MINUTE });
    const window = new FeatureWindow({ history: [earlier] });
    expect(window.record(earlier)).toBe(false);
    const again = facts({ placedAtMs: T - 2 * MINUTE });
    expect(window.record(again)).toBe(true);
    expect(window.record(again)).toBe(false);
    expect(window.snapshot(current()).user).toMatchObject({ orders10m: 2, lifetimeOrders: 1 });
  });
});

describe('FeatureWindow sharing', () => {
  it('counts distinct users per device, IP and email in 24 h and 1 h, and orders per device and IP in 1 h', () => {
    const shared = { deviceId: 'D-shared', ip: '192.0.2.1', email: 'shared@example.com' };
    const window = new FeatureWindow({
      history: [
        facts({ ...shared, userId: 'U1', placedAtMs: T - 10 * MINUTE }),
        facts({ ...shared, userId: 'U2', placedAtMs: T - 20 * MINUTE }),
        facts({ ...shared, userId: 'U2', placedAtMs: T - 2 * WINDOW_MS.oneHour }),
        facts({ ...shared, userId: 'U3', placedAtMs: T - WINDOW_MS.oneDay }),
        facts({ ...shared, userId: 'U4', placedAtMs: T - WINDOW_MS.oneDay - 1 }),
        facts({ ...shared, userId: 'U5', placedAtMs: T }),
      ],
    });
    const snapshot = window.snapshot(current({ userId: 'U9', ...shared }));
    expect(snapshot.device).toEqual({ distinctUsers24h: 3, distinctUsers1h: 2, orders1h: 2, fraudReports30d: 0 });
    expect(snapshot.ip).toEqual({ distinctUsers24h: 3, distinctUsers1h: 2, orders1h: 2, fraudReports30d: 0 });
    expect(snapshot.email).toEqual({ distinctUsers24h: 3, distinctUsers1h: 2, domainFraudReports30d: 0 });
  });

  it('counts a user on the device exactly an hour ago in the hour, and not one a millisecond earlier', () => {
    const device = { deviceId: 'D-hour' };
    const window = new FeatureWindow({
      history: [
        facts({ ...device, userId: 'U1', placedAtMs: T - WINDOW_MS.oneHour }),
        facts({ ...device, userId: 'U2', placedAtMs: T - WINDOW_MS.oneHour - 1 }),
        facts({ ...device, userId: 'U1', placedAtMs: T - 2 * WINDOW_MS.oneHour }),
      ],
    });
    expect(window.snapshot(current({ userId: 'U9', ...device })).device).toMatchObject({ distinctUsers24h: 2, distinctUsers1h: 1, orders1h: 1 });
  });

  it('counts the deciding user only when they used the device before', () => {
    const window = new FeatureWindow({ history: [facts({ deviceId: 'D-x', userId: 'U1', placedAtMs: T - MINUTE })] });
    expect(window.snapshot(current({ deviceId: 'D-x', userId: 'U1' })).device.distinctUsers24h).toBe(1);
    expect(window.snapshot(current({ deviceId: 'D-x', userId: 'U2' })).device.distinctUsers24h).toBe(1);
  });

  it('reports zero email sharing for an order without an email', () => {
    const window = new FeatureWindow({ history: [facts({ email: 'a@example.com', placedAtMs: T - MINUTE })] });
    expect(window.snapshot(current()).email.distinctUsers24h).toBe(0);
  });
});

describe('FeatureWindow kept between batches', () => {
  const shared = { deviceId: 'D-kept', ip: '198.51.100.7', email: 'kept@example.com' };

  it('gives the same snapshots when a failed batch is forgotten and decided again', () => {
    const window = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 1, totalAmount: 100 })], history: [facts({ ...shared, placedAtMs: T - MINUTE })] });
    const batch = [0, 1, 2].map((i) => prepared({ ...shared, userId: `U${i + 1}`, placedAtMs: T + i }));
    const first = batch.map((order) => window.snapshotThenRecord(order));
    expect(window.size).toBe(4);
    for (const order of batch) expect(window.forget(order.facts)).toBe(true);
    expect(window.size).toBe(1);
    expect(window.forget(batch[0]!.facts)).toBe(false);
    expect(batch.map((order) => window.snapshotThenRecord(order))).toEqual(first);
    expect(first.map((snapshot) => snapshot.device.distinctUsers24h)).toEqual([1, 1, 2]);
    expect(first[0]!.user.lifetimeOrders).toBe(1);
  });

  it('adds history read again without counting an order twice', () => {
    const earlier = facts({ ...shared, placedAtMs: T - MINUTE });
    const window = new FeatureWindow({ history: [earlier] });
    window.addHistory([earlier, { ...earlier }, facts({ ...shared, userId: 'U2', placedAtMs: T - 2 * MINUTE })]);
    expect(window.size).toBe(2);
    expect(window.snapshot(current(shared)).device).toMatchObject({ distinctUsers24h: 2, orders1h: 2 });
  });

  it('prunes orders placed before a horizon from every key, keeping lifetime totals', () => {
    const window = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 5, totalAmount: 500 })] });
    window.addHistory([facts({ ...shared, placedAtMs: T - 2 * WINDOW_MS.oneHour }), facts({ ...shared, userId: 'U2', placedAtMs: T - MINUTE })]);
    window.prune(T - WINDOW_MS.oneHour);
    expect(window.size).toBe(1);
    const snapshot = window.snapshot(current(shared));
    expect(snapshot.user).toMatchObject({ orders24h: 0, lifetimeOrders: 5 });
    expect(snapshot.device).toMatchObject({ distinctUsers24h: 1, orders1h: 1 });
    expect(snapshot.email.distinctUsers24h).toBe(1);
  });

  it('replaces lifetime totals and risk statuses per user', () => {
    const window = new FeatureWindow({ riskStatuses: new Map([['U1', 'Blacklist' as const]]) });
    window.setLifetime(lifetime({ userId: 'U1', orders: 3, totalAmount: 300 }));
    window.setRiskStatus('U1', 'Watchlist');
    expect(window.snapshot(current()).user).toMatchObject({ lifetimeOrders: 3, avgAmount: 100, riskStatus: 'Watchlist' });
    window.setRiskStatus('U1', undefined);
    expect(window.snapshot(current()).user.riskStatus).toBe('Good Standing');
  });
});

describe('FeatureWindow account profile', () => {
  const seen = { devices: { 'D-home': 4 }, ipCountries: { ID: 4 }, paymentMethods: { Gopay: 4 } };
  // Four earlier orders of 100, 200, 300 and 400 thousand: mean 250,000, population deviation √12.5e9 ≈ 111,803.
  const profile = lifetime({ userId: 'U1', orders: 4, totalAmount: 1_000_000, amountSquares: '300000000000', lastOrderAtMs: T - 3 * WINDOW_MS.oneDay, seen });

  it('flags a device, IP country or payment method the account never used, only once it has orders', () => {
    const window = new FeatureWindow({ lifetime: [profile] });
    const home = { deviceId: 'D-home', ipCountry: 'ID', paymentMethod: 'Gopay' };
    expect(window.snapshot(current(home)).user).toMatchObject({ newDevice: false, newIpCountry: false, newPaymentMethod: false });
    expect(window.snapshot(current({ ...home, deviceId: 'D-other' })).user).toMatchObject({ newDevice: true, newIpCountry: false, newPaymentMethod: false });
    expect(window.snapshot(current({ ...home, ipCountry: 'NG' })).user).toMatchObject({ newDevice: false, newIpCountry: true });
    expect(window.snapshot(current({ ...home, paymentMethod: 'Credit Card' })).user).toMatchObject({ newPaymentMethod: true });
    expect(window.snapshot(current({ userId: 'U-new', deviceId: 'D-other' })).user).toMatchObject({ lifetimeOrders: 0, newDevice: false });
  });

  it('learns what a recorded order used, and unlearns it when the order is forgotten', () => {
    const window = new FeatureWindow({ lifetime: [profile] });
    const first = prepared({ deviceId: 'D-new', placedAtMs: T - MINUTE, ipCountry: 'ID', paymentMethod: 'Gopay' });
    expect(window.snapshotThenRecord(first).user.newDevice).toBe(true);
    expect(window.snapshot(current({ deviceId: 'D-new' })).user.newDevice).toBe(false);
    window.forget(first.facts);
    expect(window.snapshot(current({ deviceId: 'D-new' })).user.newDevice).toBe(true);
  });

  it('measures the amount against the account’s own spread, exactly as the database sums it', () => {
    const window = new FeatureWindow({ lifetime: [profile] });
    expect(window.snapshot(current({ amount: 250_000 })).user.amountZScore).toBe(0);
    expect(window.snapshot(current({ amount: 250_000 + 3 * Math.sqrt(12.5e9) })).user.amountZScore).toBeCloseTo(3, 6);
    // The same four orders recorded one by one give the same figure as the database's Σ amount².
    const replayed = new FeatureWindow();
    [100_000, 200_000, 300_000, 400_000].forEach((amount, i) => replayed.record(facts({ amount, placedAtMs: T - (i + 2) * WINDOW_MS.oneDay })));
    expect(replayed.snapshot(current({ amount: 700_000 })).user.amountZScore).toBe(window.snapshot(current({ amount: 700_000 })).user.amountZScore);
  });

  it('compares amounts only from the third earlier order, and floors the spread at 10 % of the mean', () => {
    const two = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 2, totalAmount: 200_000, amountSquares: '20000000000' })] });
    expect(two.snapshot(current({ amount: 5_000_000 })).user.amountZScore).toBe(0);
    const same = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 3, totalAmount: 300_000, amountSquares: '30000000000' })] });
    expect(same.snapshot(current({ amount: 120_000 })).user.amountZScore).toBeCloseTo(2, 9);
  });

  it('gives the hours since the latest earlier order, from the window or the profile, and -1 when none is known', () => {
    expect(new FeatureWindow({ lifetime: [profile] }).snapshot(current()).user.hoursSincePrevious).toBe(72);
    const recent = new FeatureWindow({ lifetime: [profile], history: [facts({ placedAtMs: T - 90 * MINUTE })] });
    expect(recent.snapshot(current()).user.hoursSincePrevious).toBe(1.5);
    expect(new FeatureWindow().snapshot(current()).user.hoursSincePrevious).toBe(-1);
    const later = new FeatureWindow({ lifetime: [lifetime({ userId: 'U1', orders: 1, totalAmount: 1, lastOrderAtMs: T + MINUTE })] });
    expect(later.snapshot(current()).user.hoursSincePrevious).toBe(-1);
  });
});

describe('FeatureWindow entity risk', () => {
  const DAY = WINDOW_MS.oneDay;
  const report = (entity: FraudReport['entity'], key: string, knownAtMs: number, orderId = `r${++sequence}`, recordedAtMs = knownAtMs): FraudReport => ({
    entity,
    key,
    orderId,
    placedAtMs: knownAtMs - DAY,
    knownAtMs,
    recordedAtMs,
  });
  const order = { merchantId: 'M-hot', productId: 'P-hot', deviceId: 'D-hot', ip: '203.0.113.9', email: 'x@bad.example' };

  it('counts reports known in [t − 7 d, t) and [t − 30 d, t), never one known at or after t', () => {
    const window = new FeatureWindow({
      fraudReports: [
        report('merchant', 'M-hot', T - 7 * DAY),
        report('merchant', 'M-hot', T - 7 * DAY - 1),
        report('merchant', 'M-hot', T - 30 * DAY),
        report('merchant', 'M-hot', T - 30 * DAY - 1),
        report('merchant', 'M-hot', T),
        report('merchant', 'M-other', T - DAY),
      ],
    });
    expect(window.snapshot(current(order)).merchant).toMatchObject({ fraudReports7d: 1, fraudReports30d: 3 });
  });

  it('files reports per entity: product, device, IP and e-mail domain', () => {
    const window = new FeatureWindow({
      fraudReports: [report('product', 'P-hot', T - DAY), report('device', 'D-hot', T - DAY), report('ip', '203.0.113.9', T - DAY), report('emailDomain', 'bad.example', T - DAY)],
    });
    const snapshot = window.snapshot(current(order));
    expect([snapshot.product.fraudReports30d, snapshot.device.fraudReports30d, snapshot.ip.fraudReports30d, snapshot.email.domainFraudReports30d]).toEqual([1, 1, 1, 1]);
    expect(window.snapshot(current({ ...order, email: undefined })).email.domainFraudReports30d).toBe(0);
  });

  it('counts an order reported twice once, and as of a decision only what was stored by then', () => {
    const late = report('merchant', 'M-hot', T - DAY, 'late', T + MINUTE);
    const window = new FeatureWindow({ fraudReports: [report('merchant', 'M-hot', T - DAY, 'same'), report('merchant', 'M-hot', T - 2 * DAY, 'same'), late] });
    expect(window.snapshot(current(order)).merchant.fraudReports30d).toBe(2);
    expect(window.snapshot(current(order), { recordedAtMs: T }).merchant.fraudReports30d).toBe(1);
  });

  it('prunes reports no order after the horizon can count', () => {
    const window = new FeatureWindow({ fraudReports: [report('merchant', 'M-hot', T - 30 * DAY), report('merchant', 'M-hot', T - 31 * DAY)] });
    window.prune(T - DAY);
    expect(window.snapshot(current(order)).merchant.fraudReports30d).toBe(1);
  });
});

describe('FeatureWindow merchant fraud rate', () => {
  const DAY = WINDOW_MS.oneDay;
  const today = Math.floor(T / DAY);
  const order = { merchantId: 'M-rate' };

  const reported = (orderId: string, placedAtMs: number, knownAtMs: number): FraudReport => ({ entity: 'merchant', key: 'M-rate', orderId, placedAtMs, knownAtMs, recordedAtMs: knownAtMs });

  it('rates the merchant’s orders of the 7 whole UTC days before the order’s day by those of them reported before it', () => {
    const window = new FeatureWindow({
      merchantDays: [{ merchantId: 'M-rate', days: [[today - 8, 100], [today - 7, 10], [today - 1, 30], [today, 500]] }],
      fraudReports: [
        reported('on-first-day', (today - 7) * DAY, T - DAY),
        reported('on-last-day', today * DAY - 1, T - 1),
        reported('a-day-too-early', (today - 7) * DAY - 1, T - DAY),
        reported('today', today * DAY, T - 1),
        reported('known-at-t', (today - 1) * DAY, T),
      ],
    });
    expect(window.snapshot(current(order)).merchant).toEqual({
      fraudReports7d: 4,
      fraudReports30d: 4,
      orders7d: 40,
      reportedOrders7d: 2,
      fraudRate7d: 2 / 40,
    });
    expect(window.snapshot(current({ merchantId: 'M-none' })).merchant).toEqual({
      fraudReports7d: 0,
      fraudReports30d: 0,
      orders7d: 0,
      reportedOrders7d: 0,
      fraudRate7d: 0,
    });
  });

  it('adds recorded orders to their day and takes forgotten ones out again', () => {
    const window = new FeatureWindow();
    const yesterday = prepared({ ...order, placedAtMs: T - DAY });
    window.record(yesterday.facts);
    expect(window.snapshot(current(order)).merchant.orders7d).toBe(1);
    window.forget(yesterday.facts);
    expect(window.snapshot(current(order)).merchant.orders7d).toBe(0);
  });
});
