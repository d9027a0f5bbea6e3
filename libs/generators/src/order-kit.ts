// Building blocks of realistic orders: shoppers with stable home signals, order lines, devices, and the step from draft to event.
import type { Faker } from '@faker-js/faker';
import { PAYMENT_METHODS, type FraudPattern, type OrderPlacedV1Input, type PaymentMethod } from './contract.js';
import { multiplyDecimal, toCents } from './decimal.js';
import { randomDeviceProfile, type DeviceProfile } from './devices.js';
import type { MerchantRow } from './merchants.js';
import { orderEnvelope, type Catalog, type TimedOrder } from './order-profile.js';
import type { ProductCategory, ProductRow } from './products.js';
import { intFromRanges, WeightedPicker } from './random.js';
import { formatTimestamp, type TimeZoneName } from './time.js';
import type { UserRow } from './users.js';

export type DeviceSignals = OrderPlacedV1Input['device'];
export type CustomerSignals = NonNullable<OrderPlacedV1Input['customer']>;

/** High-value fraud orders (account takeover, night high value) are at least this many rupiah. */
export const HIGH_VALUE_MIN_IDR = 10_000_000;
/** Card-testing orders stay strictly below this many rupiah. */
export const CARD_TESTING_MAX_IDR = 100_000;
/** Wallet-style methods fraudsters favour at night: no card verification step. */
export const RISKY_WALLET_METHODS: readonly PaymentMethod[] = ['Paylater', 'Gopay', 'OVO', 'DANA'];

/** A catalog user plus the signals their genuine orders keep reusing. */
export interface Shopper {
  user: UserRow;
  /** A phone, sometimes also a laptop or tablet. */
  homeDevices: readonly [DeviceProfile, ...DeviceProfile[]];
  homeIp: string;
  /** Set for the few privacy-minded genuine shoppers who always browse through a VPN exit in this country. */
  vpnCountry: string | undefined;
  previousFraud: boolean;
  /** Relative share of the order volume this shopper places. */
  activity: number;
}

export function createShopper(faker: Faker, user: UserRow): Shopper {
  const extraDevices = faker.helpers.weightedArrayElement([
    { weight: 7, value: 0 },
    { weight: 3, value: 1 },
  ]);
  return {
    user,
    homeDevices: [randomDeviceProfile(faker), ...Array.from({ length: extraDevices }, () => randomDeviceProfile(faker))],
    homeIp: faker.internet.ipv4(),
    vpnCountry: faker.datatype.boolean({ probability: 0.02 }) ? faker.helpers.arrayElement(VPN_EXIT_COUNTRIES) : undefined,
    previousFraud: faker.datatype.boolean({ probability: 0.01 }),
    activity: faker.number.float({ min: 0.2, max: 3 }) ** 2,
  };
}

export interface OrderLine {
  product: ProductRow;
  quantity: number;
}

export interface OrderDraft {
  at: number;
  shopper: Shopper;
  line: OrderLine;
  paymentMethod: PaymentMethod;
  device: DeviceSignals;
  /** Overrides of the everyday login and account signals. */
  signals?: Partial<CustomerSignals>;
  pattern: FraudPattern;
}

const VPN_EXIT_COUNTRIES = ['SG', 'NL', 'US', 'JP', 'DE'];
/** Where stolen credentials and card-testing traffic come from. */
const FRAUD_SOURCE_COUNTRIES = ['RU', 'NG', 'VN', 'CN', 'BR', 'US', 'NL', 'UA'];
/** Where genuine shoppers travel. */
const TRAVEL_COUNTRIES = ['SG', 'MY', 'JP', 'AU', 'SA', 'TH', 'KR'];

/** Most genuine orders are one item; a few restock several. */
const EVERYDAY_QUANTITIES = [
  { weight: 70, min: 1, max: 1 },
  { weight: 15, min: 2, max: 2 },
  { weight: 7, min: 3, max: 3 },
  { weight: 5, min: 4, max: 5 },
  { weight: 3, min: 6, max: 12 },
];

const REFERRERS = [
  { weight: 35, value: 'direct' },
  { weight: 25, value: 'google' },
  { weight: 15, value: 'instagram' },
  { weight: 12, value: 'tiktok' },
  { weight: 8, value: 'facebook' },
  { weight: 5, value: 'email' },
];

export class OrderKit {
  private readonly shoppers: WeightedPicker<Shopper>;
  private readonly merchantsByCategory = new Map<ProductCategory, MerchantRow[]>();
  private readonly cheapProducts: ProductRow[];
  /** The dearest quarter of the catalog, where high-value fraud shops. */
  private readonly expensiveProducts: ProductRow[];

  constructor(
    readonly faker: Faker,
    private readonly catalog: Catalog,
    private readonly timeZone: TimeZoneName,
  ) {
    this.shoppers = new WeightedPicker(
      catalog.users.map((user) => createShopper(faker, user)),
      (shopper) => shopper.activity,
    );
    for (const merchant of catalog.merchants) {
      this.merchantsByCategory.set(merchant.category, [...(this.merchantsByCategory.get(merchant.category) ?? []), merchant]);
    }
    const byPriceDescending = [...catalog.products].sort((a, b) => Number(toCents(b.price) - toCents(a.price)));
    this.expensiveProducts = byPriceDescending.slice(0, Math.ceil(byPriceDescending.length / 4));
    this.cheapProducts = catalog.products.filter((product) => toCents(product.price) < BigInt(CARD_TESTING_MAX_IDR) * 100n);
  }

  chance(probability: number): boolean {
    return this.faker.datatype.boolean({ probability });
  }

  pickShopper(): Shopper {
    return this.shoppers.pick(this.faker);
  }

  everydayLine(): OrderLine {
    return { product: this.faker.helpers.arrayElement(this.catalog.products), quantity: intFromRanges(this.faker, EVERYDAY_QUANTITIES) };
  }

  /** An expensive product in enough units to reach HIGH_VALUE_MIN_IDR. */
  highValueLine(): OrderLine {
    const product = this.faker.helpers.arrayElement(this.expensiveProducts);
    const unitCents = toCents(product.price);
    const unitsNeeded = (BigInt(HIGH_VALUE_MIN_IDR) * 100n + unitCents - 1n) / unitCents;
    return { product, quantity: Number(unitsNeeded) + this.faker.number.int(1) };
  }

  get sellsCheapItems(): boolean {
    return this.cheapProducts.length > 0;
  }

  /** One unit of a product under CARD_TESTING_MAX_IDR; only call when `sellsCheapItems`. */
  cheapLine(): OrderLine {
    return { product: this.faker.helpers.arrayElement(this.cheapProducts), quantity: 1 };
  }

  usualPayment(shopper: Shopper): PaymentMethod {
    return this.chance(0.85) ? shopper.user.defaultPayment : this.faker.helpers.arrayElement(PAYMENT_METHODS);
  }

  riskyWallet(): PaymentMethod {
    return this.faker.helpers.arrayElement(RISKY_WALLET_METHODS);
  }

  /** One of the shopper's own devices, usually on their home connection. */
  homeDevice(shopper: Shopper): DeviceSignals {
    const profile = this.faker.helpers.arrayElement(shopper.homeDevices);
    if (shopper.vpnCountry) return this.deviceAt(profile, shopper.vpnCountry, true);
    return this.chance(0.9) ? { ...profile, ip: shopper.homeIp, ipCountry: shopper.user.country, isVpn: false } : this.deviceAt(profile, shopper.user.country, false);
  }

  /** A device never seen before. */
  newDevice(): DeviceProfile {
    return randomDeviceProfile(this.faker);
  }

  /** A device seen from a fresh IP address located in `ipCountry`. */
  deviceAt(profile: DeviceProfile, ipCountry: string, isVpn: boolean): DeviceSignals {
    return { ...profile, ip: this.faker.internet.ipv4(), ipCountry, isVpn };
  }

  fraudSourceCountry(homeCountry: string): string {
    return this.faker.helpers.arrayElement(FRAUD_SOURCE_COUNTRIES.filter((country) => country !== homeCountry));
  }

  travelCountry(homeCountry: string): string {
    return this.faker.helpers.arrayElement(TRAVEL_COUNTRIES.filter((country) => country !== homeCountry));
  }

  /** The event for a draft: amount is unitPrice × quantity exactly, the merchant sells the product's category. */
  build({ at, shopper, line, paymentMethod, device, signals, pattern }: OrderDraft): TimedOrder {
    const { faker } = this;
    const { user } = shopper;
    const amount = multiplyDecimal(line.product.price, line.quantity);
    const merchant = faker.helpers.arrayElement(this.merchantsByCategory.get(line.product.category) ?? this.catalog.merchants);
    const couponCode = this.chance(0.15) ? faker.string.alphanumeric({ length: 8, casing: 'upper' }) : undefined;
    return {
      at,
      event: {
        ...orderEnvelope(faker, at, this.timeZone),
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
          accountCreatedAt: formatTimestamp(Math.min(user.createdAt.getTime(), at), this.timeZone),
          loginAttempts24h: faker.number.int({ min: 1, max: 4 }),
          failedLogins24h: this.chance(0.1) ? 1 : 0,
          passwordChangedRecently: this.chance(0.02),
          shippingAddressMismatch: this.chance(0.04),
          previousFraud: shopper.previousFraud,
          ...signals,
        },
        commerce: {
          merchantCategory: merchant.category,
          sessionId: faker.string.alphanumeric(20),
          cartValue: amount,
          referrer: faker.helpers.weightedArrayElement(REFERRERS),
          ...(couponCode ? { couponCode } : {}),
        },
        simulation: { pattern, isFraud: pattern !== 'none' },
      },
    };
  }
}
