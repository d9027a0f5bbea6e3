// Builders for unit tests: a neutral order that fires no built-in rule, changed only where a test says so.
import type { OrderPlaced } from '@fraudline/events';
import { exampleSnapshot, type FeatureOverrides, type FeatureSnapshot } from '../src/index.js';

export type SnapshotOverrides = FeatureOverrides;

/** A neutral order that fires no built-in rule, changed where a test says so. */
export const featureSnapshot = (overrides: SnapshotOverrides = {}): FeatureSnapshot => exampleSnapshot(overrides);

export function orderPlaced(overrides: Partial<OrderPlaced> = {}): OrderPlaced {
  return {
    type: 'OrderPlaced',
    version: 1,
    orderId: '019a8f5e-7c3b-7d2a-9f1e-3b4c5d6e7f80',
    userId: 'U100',
    productId: 'P0001',
    merchantId: 'M001',
    quantity: 2,
    unitPrice: '62500000',
    amount: '125000000',
    currency: 'IDR',
    paymentMethod: 'Gopay',
    country: 'ID',
    placedAt: '2026-11-21T02:15:00.123+07:00',
    device: { deviceId: 'D1', ip: '10.1.2.3', ipCountry: 'ID', deviceType: 'mobile', os: 'Android', browser: 'Chrome', isVpn: false },
    ...overrides,
  };
}
