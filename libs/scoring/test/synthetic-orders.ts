// Synthetic labelled orders whose fraud depends on two features (high amount AND a new device) plus noise, for the scoring tests.
import { flattenFeatures, type FeatureSpec, type LabelledRow } from '../src/index.js';
import { seededRandom } from '../src/random.js';

export const START_MS = Date.parse('2025-01-01T00:00:00Z');
export const HIGH_AMOUNT = 1_000_000;
export const PAYMENT_METHODS = ['Credit Card', 'Bank Transfer', 'E-Wallet'] as const;

export const SYNTHETIC_SPEC: FeatureSpec = {
  inputs: [
    { feature: 'order.amount', transform: 'log1p' },
    { feature: 'device.isNew' },
    { feature: 'user.orders1h', transform: 'log1p' },
    { feature: 'order.hourLocal' },
    { feature: 'order.quantity' },
    { feature: 'order.paymentMethod', equals: 'Credit Card' },
    { feature: 'order.paymentMethod', equals: 'E-Wallet' },
  ],
};

export interface SyntheticOrder extends LabelledRow {
  readonly nested: object;
  /** Whether the order is in the fraud-prone quadrant (high amount and new device). */
  readonly risky: boolean;
}

/** `count` orders, a few minutes apart, in time order. About 2 % are fraud. */
export function syntheticOrders(count: number, seed = 42): SyntheticOrder[] {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const orders: SyntheticOrder[] = [];
  let placedAtMs = START_MS;
  for (let i = 0; i < count; i++) {
    placedAtMs += Math.floor(random() * 10 * 60_000);
    const amount = Math.round(300_000 * Math.exp(1.2 * normal()));
    const isNew = random() < 0.2;
    const risky = amount > HIGH_AMOUNT && isNew;
    const label = random() < (risky ? 0.6 : 0.001) ? 1 : 0;
    const nested = {
      order: {
        orderId: `o-${i}`,
        amount,
        quantity: 1,
        hourLocal: Math.floor(random() * 24),
        paymentMethod: PAYMENT_METHODS[Math.floor(random() * PAYMENT_METHODS.length)]!,
      },
      device: { isNew },
      user: { orders1h: Math.floor(random() * 4) },
    };
    orders.push({ nested, features: flattenFeatures(nested, SYNTHETIC_SPEC), label, placedAtMs, risky });
  }
  return orders;
}
