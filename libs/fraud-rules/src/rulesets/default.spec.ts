import { featureSnapshot, type SnapshotOverrides } from '../../test/fixtures.js';
import { compileRuleset } from '../engine.js';
import { defaultRuleset } from './default.js';

const ruleset = compileRuleset(defaultRuleset);

function firedRules(overrides: SnapshotOverrides): string[] {
  return ruleset.decide(featureSnapshot(overrides)).reasons.map((reason) => reason.ruleId);
}

/** A consistent single-item order of `amount` IDR, so the amount-mismatch rule stays quiet. */
const priced = (amount: number) => ({ amount, unitPrice: amount, quantity: 1 });

/** For every rule: the smallest change that fires it, and the nearest change that does not. */
const boundaries: [ruleId: string, fires: SnapshotOverrides, quiet: SnapshotOverrides][] = [
  ['velocity-orders-10m', { user: { orders10m: 3 } }, { user: { orders10m: 2 } }],
  ['velocity-orders-1h', { user: { orders1h: 6 } }, { user: { orders1h: 5 } }],
  ['velocity-orders-24h', { user: { orders24h: 20 } }, { user: { orders24h: 19 } }],
  ['velocity-amount-10m', { user: { orders10m: 1, amount10m: 49_750_001 } }, { user: { orders10m: 1, amount10m: 49_750_000 } }],
  ['velocity-amount-1h', { user: { orders1h: 1, amount1h: 99_750_001 } }, { user: { orders1h: 1, amount1h: 99_750_000 } }],
  ['velocity-amount-24h', { user: { orders24h: 1, amount24h: 249_750_001 } }, { user: { orders24h: 1, amount24h: 249_750_000 } }],
  [
    'amount-far-above-history',
    { order: priced(250_001), user: { lifetimeOrders: 3, avgAmount: 50_000 } },
    { order: priced(250_000), user: { lifetimeOrders: 3, avgAmount: 50_000 } },
  ],
  ['new-account-high-amount', { order: { ...priced(10_000_000), accountAgeDays: 6 } }, { order: { ...priced(10_000_000), accountAgeDays: 7 } }],
  [
    'night-risky-payment',
    { order: { ...priced(5_000_000), hourLocal: 4, paymentMethod: 'Paylater' } },
    { order: { ...priced(5_000_000), hourLocal: 5, paymentMethod: 'Paylater' } },
  ],
  ['ip-country-mismatch', { order: { ipCountry: 'SG' } }, { order: { ipCountry: 'ID' } }],
  ['vpn-high-amount', { order: { ...priced(10_000_000), isVpn: true } }, { order: { ...priced(9_999_999), isVpn: true } }],
  ['shared-device', { device: { distinctUsers24h: 3 } }, { device: { distinctUsers24h: 2 } }],
  ['shared-ip', { ip: { distinctUsers24h: 10 } }, { ip: { distinctUsers24h: 9 } }],
  ['shared-email', { email: { distinctUsers24h: 2 } }, { email: { distinctUsers24h: 1 } }],
  ['card-testing', { user: { smallOrders1h: 5 } }, { user: { smallOrders1h: 4 } }],
  [
    'amount-mismatch',
    { order: { amount: 250_000, quantity: 2, unitPrice: 125_001 } },
    { order: { amount: 250_000, quantity: 2, unitPrice: 125_000.5 } },
  ],
  ['new-device-and-country', { user: { lifetimeOrders: 1, newDevice: true, newIpCountry: true } }, { user: { lifetimeOrders: 1, newDevice: true } }],
  [
    'new-device-and-payment',
    { user: { lifetimeOrders: 3, avgAmount: 1_000_000, newDevice: true, newPaymentMethod: true } },
    { user: { lifetimeOrders: 2, avgAmount: 1_000_000, newDevice: true, newPaymentMethod: true } },
  ],
  ['amount-far-above-spread', { user: { amountZScore: 4 } }, { user: { amountZScore: 3.99 } }],
  [
    'merchant-fraud-rate-7d',
    { merchant: { reportedOrders7d: 2, orders7d: 20, fraudRate7d: 0.1 } },
    { merchant: { reportedOrders7d: 2, orders7d: 21, fraudRate7d: 2 / 21 } },
  ],
  ['model-score-high', { model: { score: 0.5, reasons: 'user.newDevice = 1' } }, { model: { score: 0.49, reasons: 'user.newDevice = 1' } }],
  ['blacklisted-user', { user: { riskStatus: 'Blacklist' } }, { user: { riskStatus: 'Good Standing' } }],
  ['watchlisted-user', { user: { riskStatus: 'Watchlist' } }, { user: { riskStatus: 'Blacklist' } }],
];

describe('default ruleset', () => {
  it('lets an ordinary order through untouched', () => {
    expect(ruleset.decide(featureSnapshot())).toMatchObject({ decision: 'approve', score: 0, reasons: [] });
  });

  it('has a boundary test for every rule', () => {
    expect(boundaries.map(([ruleId]) => ruleId).sort()).toEqual(defaultRuleset.rules.map((rule) => rule.id).sort());
  });

  describe.each(boundaries)('%s', (ruleId, fires, quiet) => {
    it('fires alone at its boundary', () => expect(firedRules(fires)).toEqual([ruleId]));
    it('stays quiet just outside it', () => expect(firedRules(quiet)).not.toContain(ruleId));
  });

  it.each<[string, SnapshotOverrides, string]>([
    ['a single large order with no earlier orders', { order: priced(60_000_000) }, 'velocity-amount-10m'],
    ['a new account ordering 9,999,999', { order: { ...priced(9_999_999), accountAgeDays: 0 } }, 'new-account-high-amount'],
    ['an account of unknown age', { order: { ...priced(10_000_000), accountAgeDays: -1 } }, 'new-account-high-amount'],
    ['an outlier with only 2 earlier orders', { order: priced(10_000_000), user: { lifetimeOrders: 2, avgAmount: 50_000 } }, 'amount-far-above-history'],
    ['a night order paid by credit card', { order: { ...priced(5_000_000), hourLocal: 2, paymentMethod: 'Credit Card' } }, 'night-risky-payment'],
    ['a small night e-wallet order', { order: { ...priced(4_999_999), hourLocal: 2, paymentMethod: 'DANA' } }, 'night-risky-payment'],
    ['a large order without a VPN', { order: { ...priced(10_000_000), isVpn: false } }, 'vpn-high-amount'],
  ])('does not flag %s', (_label, overrides, ruleId) => {
    expect(firedRules(overrides)).not.toContain(ruleId);
  });

  it.each(['Gopay', 'OVO', 'DANA'] as const)('treats %s at night like Paylater', (paymentMethod) => {
    expect(firedRules({ order: { ...priced(5_000_000), hourLocal: 0, paymentMethod } })).toEqual(['night-risky-payment']);
  });

  it('flags a total that exceeds unit price × quantity as well as one that falls short', () => {
    expect(firedRules({ order: { amount: 250_002, quantity: 1, unitPrice: 250_000 } })).toEqual(['amount-mismatch']);
    expect(firedRules({ order: { amount: 249_998, quantity: 1, unitPrice: 250_000 } })).toEqual(['amount-mismatch']);
  });
});

describe('default ruleset decisions', () => {
  it('declines a blacklisted account whatever its score', () => {
    expect(ruleset.decide(featureSnapshot({ user: { riskStatus: 'Blacklist' } }))).toMatchObject({
      decision: 'decline',
      isFraud: true,
      reasons: [{ ruleId: 'blacklisted-user', score: 100, action: 'decline' }],
    });
  });

  it('sends a watchlisted account with a low score to review', () => {
    expect(ruleset.decide(featureSnapshot({ user: { riskStatus: 'Watchlist' } }))).toMatchObject({ decision: 'review', score: 20 });
  });

  it('reviews card testing on its own, with a reason a customer can read', () => {
    const decision = ruleset.decide(featureSnapshot({ user: { smallOrders1h: 7 } }));
    expect(decision).toMatchObject({ decision: 'review', score: 45 });
    expect(decision.reasons[0]?.reason).toBe('This account placed 7 orders under 100,000 IDR in the last hour, a pattern typical of testing stolen cards');
  });

  it('approves a single weak signal', () => {
    expect(ruleset.decide(featureSnapshot({ order: { ipCountry: 'MY' } }))).toMatchObject({ decision: 'approve', score: 25 });
  });

  it('declines an account-takeover shape: shared device, foreign IP, new account, large amount', () => {
    const decision = ruleset.decide(
      featureSnapshot({ order: { ...priced(15_000_000), ipCountry: 'US', accountAgeDays: 1 }, device: { distinctUsers24h: 4 } }),
    );
    expect(decision.reasons.map((reason) => [reason.ruleId, reason.score])).toEqual([
      ['new-account-high-amount', 30],
      ['ip-country-mismatch', 25],
      ['shared-device', 35],
    ]);
    expect(decision).toMatchObject({ decision: 'decline', score: 90 });
  });

  it('declines a velocity burst that also spends heavily', () => {
    const decision = ruleset.decide(
      featureSnapshot({ order: priced(20_000_000), user: { orders10m: 4, orders1h: 7, orders24h: 7, amount10m: 40_000_000, amount1h: 90_000_000 } }),
    );
    expect(decision.reasons.map((reason) => reason.ruleId)).toEqual(['velocity-orders-10m', 'velocity-orders-1h', 'velocity-amount-10m', 'velocity-amount-1h']);
    expect(decision).toMatchObject({ decision: 'decline', score: 80 });
    expect(decision.reasons[2]?.reason).toBe('This order brings spending in the last 10 minutes above 50,000,000 IDR (40,000,000 IDR before this order)');
  });
});
