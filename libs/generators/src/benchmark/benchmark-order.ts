// A benchmark order as an OrderPlaced v1 event: the envelope, a line at the merchant it was bought from, the device and the account's signals.
import type { Faker } from '@faker-js/faker';
import type { FraudPattern, PaymentMethod } from '../contract.js';
import { multiplyDecimal } from '../decimal.js';
import type { MerchantRow } from '../merchants.js';
import { OrderKit, type CustomerSignals, type DeviceSignals, type OrderLine } from '../order-kit.js';
import { orderEnvelope, type GeneratedOrder, type TimedOrder } from '../order-profile.js';
import { formatTimestamp, type TimeZoneName } from '../time.js';
import type { UserRow } from '../users.js';

/** placedAt and accountCreatedAt are written in Jakarta time, as the rest of the stream is. */
const TIME_ZONE: TimeZoneName = 'Asia/Jakarta';

/** OrderKit's device, IP and country draws; the benchmark picks its own accounts, merchants and lines, so the kit's catalog is empty. */
export function deviceKit(faker: Faker): OrderKit {
  return new OrderKit(faker, { users: [], products: [], merchants: [] }, TIME_ZONE);
}

export interface BenchmarkDraft {
  at: number;
  user: UserRow;
  merchant: MerchantRow;
  line: OrderLine;
  paymentMethod: PaymentMethod;
  device: DeviceSignals;
  /** Overrides of the everyday login and account signals. */
  signals?: Partial<CustomerSignals>;
  couponCode?: string;
  pattern: FraudPattern;
}

/** The event for a draft: amount is unitPrice × quantity exactly, unitPrice is the product's catalog price. */
export function buildOrder(faker: Faker, { at, user, merchant, line, paymentMethod, device, signals, couponCode, pattern }: BenchmarkDraft): TimedOrder {
  const amount = multiplyDecimal(line.product.price, line.quantity);
  // Named rather than spread: an object literal opening with a spread and adding this many fields falls into V8's slow
  // dictionary mode, which made building an order ~10× slower and each one ~1 KB larger.
  const { type, version, orderId, currency, placedAt } = orderEnvelope(faker, at, TIME_ZONE);
  return {
    at,
    event: {
      type,
      version,
      orderId,
      currency,
      placedAt,
      userId: user.userId,
      productId: line.product.productId,
      merchantId: merchant.merchantId,
      quantity: line.quantity,
      unitPrice: line.product.price,
      amount,
      paymentMethod,
      country: user.country,
      device,
      customer: {
        email: user.email,
        phone: user.phone,
        accountCreatedAt: accountCreatedAt(user),
        loginAttempts24h: faker.number.int({ min: 1, max: 3 }),
        failedLogins24h: faker.datatype.boolean({ probability: 0.1 }) ? 1 : 0,
        passwordChangedRecently: faker.datatype.boolean({ probability: 0.01 }),
        shippingAddressMismatch: faker.datatype.boolean({ probability: 0.03 }),
        ...signals,
      },
      commerce: { merchantCategory: merchant.category, cartValue: amount, ...(couponCode ? { couponCode } : {}) },
      simulation: label(pattern),
    },
  };
}

/** Each account's creation time as written, formatted once: a benchmark writes it on hundreds of thousands of orders. */
const createdAtText = new WeakMap<UserRow, string>();

function accountCreatedAt(user: UserRow): string {
  let text = createdAtText.get(user);
  if (text === undefined) {
    text = formatTimestamp(user.createdAt.getTime(), TIME_ZONE);
    createdAtText.set(user, text);
  }
  return text;
}

export function label(pattern: FraudPattern): GeneratedOrder['simulation'] {
  return { pattern, isFraud: pattern !== 'none' };
}

/** The order with `factor` times the units, so its amount is `factor` times as much and still unitPrice × quantity. */
export function multiplied(order: GeneratedOrder, factor: number, pattern: FraudPattern): GeneratedOrder {
  const quantity = order.quantity * factor;
  const amount = multiplyDecimal(order.unitPrice, quantity);
  return { ...order, quantity, amount, commerce: { ...order.commerce, cartValue: amount }, simulation: label(pattern) };
}
