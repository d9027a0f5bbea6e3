import { featureSnapshot } from '../test/fixtures.js';
import { FeatureVariables } from './cel-environment.js';
import { FEATURE_GROUPS, FEATURE_SCHEMA } from './features.js';

describe('FeatureVariables', () => {
  it('copies every declared feature, so no rule ever reads a value left over from the previous order', () => {
    const variables = new FeatureVariables();
    const first = featureSnapshot({
      order: { orderId: 'a', amount: 1, quantity: 2, unitPrice: 3, paymentMethod: 'OVO', country: 'SG', ipCountry: 'MY', isVpn: true, deviceType: 'tablet', hourLocal: 4, accountAgeDays: 5 },
      user: { orders10m: 6, orders1h: 7, orders24h: 8, amount10m: 9, amount1h: 10, amount24h: 11, smallOrders1h: 12, lifetimeOrders: 13, avgAmount: 14, riskStatus: 'Blacklist' },
      device: { distinctUsers24h: 15, orders1h: 16 },
      ip: { distinctUsers24h: 17, orders1h: 18 },
      email: { distinctUsers24h: 19 },
    });
    const second = featureSnapshot();
    for (const snapshot of [first, second]) {
      variables.load(snapshot);
      for (const group of FEATURE_GROUPS) {
        const loaded = variables.context[group] as unknown as Record<string, unknown>;
        const expected = snapshot[group] as unknown as Record<string, unknown>;
        for (const key of Object.keys(FEATURE_SCHEMA[group])) expect([group, key, loaded[key]]).toEqual([group, key, expected[key]]);
      }
    }
  });
});
