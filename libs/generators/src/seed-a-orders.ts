// The seed-a profile: seed A's order distributions, reproduced for parity checks. Seed A had no fraud labels, so every order is 'none'.
import type { Faker } from '@faker-js/faker';
import { PAYMENT_METHODS } from './contract.js';
import { divideDecimal, toLegacyRupiah } from './decimal.js';
import { createShopper, type Shopper } from './order-kit.js';
import { orderEnvelope, type Catalog, type OrderProfile, type TimedOrder } from './order-profile.js';
import { intFromRanges } from './random.js';
import type { TimeWindow, TimeZoneName } from './time.js';

/** Seed A's draws: quantity and amount in three tiers weighted 3:2:1 (50% / 33% / 17%), amount independent of price. */
export const SEED_A_DISTRIBUTIONS = {
  quantity: [
    { weight: 3, min: 1, max: 100 },
    { weight: 2, min: 101, max: 300 },
    { weight: 1, min: 301, max: 500 },
  ],
  amountIdr: [
    { weight: 3, min: 100_000, max: 99_999_999 },
    { weight: 2, min: 100_000_000, max: 299_999_999 },
    { weight: 1, min: 300_000_000, max: 500_000_000 },
  ],
  country: [
    { weight: 6, value: 'ID' },
    { weight: 1, value: 'US' },
    { weight: 1, value: 'SG' },
    { weight: 1, value: 'MY' },
  ],
} as const;

export class SeedAOrders implements OrderProfile {
  /** Seed A had no device data; each user gets one stable device and IP so the contract's device block is filled. */
  private readonly shoppers: Shopper[];

  constructor(
    private readonly faker: Faker,
    private readonly catalog: Catalog,
    private readonly timeZone: TimeZoneName,
    private readonly legacyAmountFormat: boolean,
    readonly hourlyWeights: readonly number[],
  ) {
    this.shoppers = catalog.users.map((user) => createShopper(faker, user));
  }

  plan(window: TimeWindow, count: number): TimedOrder[] {
    return Array.from({ length: count }, () => this.order(window.sample(this.faker)));
  }

  private order(at: number): TimedOrder {
    const { faker } = this;
    const shopper = faker.helpers.arrayElement(this.shoppers);
    const quantity = intFromRanges(faker, SEED_A_DISTRIBUTIONS.quantity);
    const amount = String(intFromRanges(faker, SEED_A_DISTRIBUTIONS.amountIdr));
    const country = faker.helpers.weightedArrayElement(SEED_A_DISTRIBUTIONS.country);
    return {
      at,
      event: {
        ...orderEnvelope(faker, at, this.timeZone),
        userId: shopper.user.userId,
        productId: faker.helpers.arrayElement(this.catalog.products).productId,
        merchantId: faker.helpers.arrayElement(this.catalog.merchants).merchantId,
        quantity,
        unitPrice: divideDecimal(amount, quantity),
        amount: this.legacyAmountFormat ? toLegacyRupiah(amount) : amount,
        paymentMethod: faker.helpers.arrayElement(PAYMENT_METHODS),
        country,
        device: { ...shopper.homeDevices[0], ip: shopper.homeIp, ipCountry: country, isVpn: false },
        customer: { email: shopper.user.email },
        simulation: { pattern: 'none', isFraud: false },
      },
    };
  }
}
