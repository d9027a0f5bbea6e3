import { featureSpecSchema, flattenFeatures, inputName, inputReader, signedLog1p, type FeatureSpec } from './index.js';

const spec: FeatureSpec = {
  inputs: [
    { feature: 'order.amount', transform: 'log1p' },
    { feature: 'order.isVpn' },
    { feature: 'order.paymentMethod', equals: 'Credit Card' },
    { feature: 'order.paymentMethod', equals: 'E-Wallet' },
    { feature: 'user.riskStatus', equals: 'Blacklist' },
  ],
};

describe('flattenFeatures', () => {
  it('keys every number by its dotted path and turns booleans into 0/1', () => {
    const flat = flattenFeatures({ order: { amount: 250_000, isVpn: true }, user: { orders1h: 7, flagged: false }, device: { distinctUsers24h: 2 } }, spec);
    expect(flat).toEqual({ 'order.amount': 250_000, 'order.isVpn': 1, 'user.orders1h': 7, 'user.flagged': 0, 'device.distinctUsers24h': 2 });
  });

  it('one-hot encodes only the fields and values the spec lists', () => {
    const flat = flattenFeatures({ order: { paymentMethod: 'Credit Card', country: 'ID', orderId: 'o-1' }, user: { riskStatus: 'Watchlist' } }, spec);
    expect(flat).toEqual({ 'order.paymentMethod=Credit Card': 1 });
    expect(flattenFeatures({ order: { paymentMethod: 'Crypto' } }, spec)).toEqual({});
    expect(flattenFeatures({ order: { paymentMethod: 'credit card' } }, spec)).toEqual({});
    expect(flattenFeatures({ order: { paymentMethod: 'Credit Card' } })).toEqual({});
  });

  it('reaches new groups and nested fields without knowing them, and drops what it cannot encode', () => {
    const flat = flattenFeatures({ merchant: { risk: { score: 0.3 }, tags: ['a'], note: null }, order: { amount: Number.NaN } }, spec);
    expect(flat).toEqual({ 'merchant.risk.score': 0.3 });
  });
});

describe('inputReader', () => {
  it('reads each input in spec order, transformed, with missing and non-finite values as 0', () => {
    const reader = inputReader(spec);
    const out = new Float64Array(spec.inputs.length);
    reader.read({ 'order.amount': 99, 'order.paymentMethod=E-Wallet': 1, 'order.isVpn': Infinity }, out);
    expect(Array.from(out)).toEqual([Math.log1p(99), 0, 0, 1, 0]);
    expect(reader.keys).toEqual(['order.amount', 'order.isVpn', 'order.paymentMethod=Credit Card', 'order.paymentMethod=E-Wallet', 'user.riskStatus=Blacklist']);
  });

  it('keeps sentinels finite: log1p is signed', () => {
    expect(signedLog1p(-1)).toBeCloseTo(-Math.LN2, 15);
    expect(signedLog1p(0)).toBe(0);
    expect(signedLog1p(1e9)).toBeCloseTo(Math.log1p(1e9), 12);
  });
});

describe('featureSpecSchema', () => {
  it('names inputs readably', () => {
    expect(spec.inputs.map(inputName)).toEqual(['log1p(order.amount)', 'order.isVpn', 'order.paymentMethod=Credit Card', 'order.paymentMethod=E-Wallet', 'user.riskStatus=Blacklist']);
  });

  it('refuses an empty spec, a duplicate input and an "=" in a feature name', () => {
    const paths = (input: unknown) => featureSpecSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    expect(paths({ inputs: [] })).toEqual(['inputs']);
    expect(paths({ inputs: [{ feature: 'a.b' }, { feature: 'a.b' }] })).toEqual(['inputs.1']);
    expect(paths({ inputs: [{ feature: 'a=b' }] })).toEqual(['inputs.0.feature']);
  });
});
