// Builders for unit tests: a neutral order that fires no built-in rule, changed only where a test says so.
import type { OrderPlaced } from '@fraudline/events';
import type { DeviceFeatures, EmailFeatures, FeatureSnapshot, IpFeatures, OrderFeatures, UserFeatures } from '../src/index.js';

export interface SnapshotOverrides {
  order?: Partial<OrderFeatures>;
  user?: Partial<UserFeatures>;
  device?: Partial<DeviceFeatures>;
  ip?: Partial<IpFeatures>;
  email?: Partial<EmailFeatures>;
}

export function featureSnapshot(overrides: SnapshotOverrides = {}): FeatureSnapshot {
  return {
    order: {
      orderId: 'order-1',
      amount: 250_000,
      quantity: 1,
      unitPrice: 250_000,
      paymentMethod: 'Bank Transfer',
      country: 'ID',
      ipCountry: 'ID',
      isVpn: false,
      deviceType: 'mobile',
      hourLocal: 13,
      accountAgeDays: 400,
      ...overrides.order,
    },
    user: {
      orders10m: 0,
      orders1h: 0,
      orders24h: 0,
      amount10m: 0,
      amount1h: 0,
      amount24h: 0,
      smallOrders1h: 0,
      lifetimeOrders: 0,
      avgAmount: 0,
      riskStatus: 'Good Standing',
      ...overrides.user,
    },
    device: { distinctUsers24h: 0, orders1h: 0, ...overrides.device },
    ip: { distinctUsers24h: 0, orders1h: 0, ...overrides.ip },
    email: { distinctUsers24h: 0, ...overrides.email },
  };
}

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
