import type { OrderPlaced, PaymentMethod } from '@fraudline/events';
import { featureSnapshot, orderPlaced } from '../../test/fixtures.js';
import { compileRuleset } from '../engine.js';
import type { OrderFeatures } from '../features.js';
import { FeatureWindow } from '../feature-window.js';
import { prepareOrder } from '../order-features.js';
import { seedLegacyRuleset } from './seed-legacy.js';

const legacy = compileRuleset(seedLegacyRuleset);

function firedRules(order: Partial<OrderFeatures>): string[] {
  return legacy.decide(featureSnapshot({ order })).reasons.map((reason) => reason.ruleId);
}

describe('seed-legacy rule boundaries', () => {
  // A quiet order: daytime, Indonesian, small, paid by bank transfer.
  const quiet: Partial<OrderFeatures> = { hourLocal: 12, country: 'ID', amount: 1_000_000, quantity: 1, paymentMethod: 'Bank Transfer' };

  it.each<[string, Partial<OrderFeatures>, string[]]>([
    ['a quiet order', {}, []],
    // Rule A: night (hour 0–4 business time) AND (amount >= 100,000,000 OR quantity > 100)
    ['hour 4 with amount 100,000,000', { hourLocal: 4, amount: 100_000_000 }, ['night-large-order']],
    ['hour 5 with amount 100,000,000', { hourLocal: 5, amount: 100_000_000 }, []],
    ['hour 0 with amount 100,000,000', { hourLocal: 0, amount: 100_000_000 }, ['night-large-order']],
    ['hour 23 with amount 100,000,000', { hourLocal: 23, amount: 100_000_000 }, []],
    ['hour 2 with amount 99,999,999', { hourLocal: 2, amount: 99_999_999 }, []],
    ['hour 2 with quantity 101', { hourLocal: 2, quantity: 101 }, ['night-large-order']],
    ['hour 2 with quantity 100', { hourLocal: 2, quantity: 100 }, []],
    // Rule B: billing country != ID
    ['country SG', { country: 'SG' }, ['foreign-billing-country']],
    ['country ID', { country: 'ID' }, []],
    // Rule C: amount >= 300,000,000 OR quantity > 300
    ['amount 300,000,000 by day', { amount: 300_000_000 }, ['very-large-order']],
    ['amount 299,999,999 by day', { amount: 299_999_999 }, []],
    ['quantity 301 by day', { quantity: 301 }, ['very-large-order']],
    ['quantity 300 by day', { quantity: 300 }, []],
    // Rule D: DANA/OVO/Gopay/Paylater AND amount > 50,000,000
    ['DANA with 50,000,001', { paymentMethod: 'DANA', amount: 50_000_001 }, ['ewallet-paylater-large-amount']],
    ['DANA with 50,000,000', { paymentMethod: 'DANA', amount: 50_000_000 }, []],
    ['OVO with 50,000,001', { paymentMethod: 'OVO', amount: 50_000_001 }, ['ewallet-paylater-large-amount']],
    ['Gopay with 50,000,001', { paymentMethod: 'Gopay', amount: 50_000_001 }, ['ewallet-paylater-large-amount']],
    ['Paylater with 50,000,001', { paymentMethod: 'Paylater', amount: 50_000_001 }, ['ewallet-paylater-large-amount']],
    ['Credit Card with 50,000,001', { paymentMethod: 'Credit Card', amount: 50_000_001 }, []],
    ['Bank Transfer with 50,000,001', { paymentMethod: 'Bank Transfer', amount: 50_000_001 }, []],
    // Several at once
    [
      'a night foreign very large DANA order',
      { hourLocal: 1, country: 'US', amount: 400_000_000, paymentMethod: 'DANA' },
      ['night-large-order', 'foreign-billing-country', 'very-large-order', 'ewallet-paylater-large-amount'],
    ],
  ])('%s', (_label, order, expected) => {
    expect(firedRules({ ...quiet, ...order })).toEqual(expected);
  });

  it('declines as fraud whenever any rule fires, and approves otherwise', () => {
    expect(legacy.decide(featureSnapshot({ order: { ...quiet, country: 'MY' } }))).toMatchObject({
      decision: 'decline',
      status: 'fraud',
      isFraud: true,
      score: 100,
      reasons: [{ ruleId: 'foreign-billing-country', reason: 'Billing country MY is outside Indonesia', score: 100, action: 'decline' }],
    });
    expect(legacy.decide(featureSnapshot({ order: quiet }))).toMatchObject({ decision: 'approve', status: 'genuine', isFraud: false, score: 0 });
  });
});

/**
 * Seed A's traffic shape. Tiers are weighted 3:2:1 (50% / 33.3% / 16.7%), values uniform integers within a tier.
 * Analytically (independent fields; a rule B/C/A/D miss multiplies): P(flagged) = 5058819989 / 6473520000 ≈ 0.78146.
 * Derivation: P(C) = 1 − (5/6)²; given not C, P(not B) = 2/3 and, per amount band, P(not A and not D) is
 * 11/12 for amounts ≤ 50M, (1/3)(11/12) for 50M–100M and (1/3)(19/24) for 100M–300M.
 */
const ANALYTIC_FLAG_RATE = 5_058_819_989 / 6_473_520_000;

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

function seedAOrders(count: number, seed: number): OrderPlaced[] {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const tier = (low: [number, number], mid: [number, number], high: [number, number]) => {
    const roll = random() * 6;
    const [min, max] = roll < 3 ? low : roll < 5 ? mid : high;
    return int(min, max);
  };
  const countries = ['ID', 'ID', 'ID', 'ID', 'ID', 'ID', 'US', 'SG', 'MY'];
  const payments: PaymentMethod[] = ['Bank Transfer', 'Paylater', 'Credit Card', 'Gopay', 'OVO', 'DANA'];
  return Array.from({ length: count }, (_, index) => {
    const quantity = tier([1, 100], [101, 300], [301, 500]);
    const amount = tier([100_000, 99_999_999], [100_000_000, 299_999_999], [300_000_000, 500_000_000]);
    const hour = String(int(0, 23)).padStart(2, '0');
    return orderPlaced({
      orderId: `seed-a-${index}`,
      userId: `U${int(1, 500)}`,
      quantity,
      amount: String(amount),
      unitPrice: (amount / quantity).toFixed(2),
      country: countries[int(0, 8)] as string,
      paymentMethod: payments[int(0, 5)] as PaymentMethod,
      placedAt: `2026-11-21T${hour}:${String(int(0, 59)).padStart(2, '0')}:00+07:00`,
      // Seed A had no device data; distinct devices keep the sharing features neutral, as they were there.
      device: { ...orderPlaced().device, deviceId: `D${index}`, ip: `10.0.${index >> 8}.${index & 255}` },
    });
  });
}

describe('seed-legacy on seed-A-style traffic', () => {
  it('flags about 78% of orders, matching the analytic rate', () => {
    const orders = seedAOrders(20_000, 42);
    const window = new FeatureWindow();
    const flagged = orders.filter((event) => legacy.decide(window.snapshotThenRecord(prepareOrder(event))).isFraud).length;
    const rate = flagged / orders.length;

    expect(ANALYTIC_FLAG_RATE).toBeCloseTo(0.7815, 4);
    expect(rate).toBeGreaterThanOrEqual(0.75);
    expect(rate).toBeLessThanOrEqual(0.81);
    // 3.4 standard errors at n = 20,000: a real drift in a rule shows up, sampling noise does not.
    expect(Math.abs(rate - ANALYTIC_FLAG_RATE)).toBeLessThan(0.01);
  });
});
