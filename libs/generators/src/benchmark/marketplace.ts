// The marketplace patterns injected on top of the handbook world: device farms, velocity bursts, card testing and account takeovers.
import type { Faker } from '@faker-js/faker';
import { PAYMENT_METHODS, type FraudPattern } from '../contract.js';
import type { OrderKit } from '../order-kit.js';
import type { TimedOrder } from '../order-profile.js';
import { seededFaker } from '../random.js';
import { DAY_MS, DIURNAL_HOURLY_WEIGHTS, HOUR_MS, MINUTE_MS, TimeWindow } from '../time.js';
import { generateUsers, type UserRow } from '../users.js';
import type { Mailboxes } from './mailboxes.js';
import { buildOrder, deviceKit } from './benchmark-order.js';
import { dayStart, type Period } from './handbook.js';
import { countForDay, drawSeed } from './sampling.js';
import { cheapLine, drawAmount, highValueLine, lineNear, usualPayment, type World } from './world.js';

export type MarketplacePattern = Extract<FraudPattern, 'device_farm' | 'velocity_burst' | 'card_testing' | 'account_takeover'>;

/** Expected episodes a day per pattern; a whole rate is that many every day, a fraction adds one on that share of days. */
export type MarketplaceRates = Record<MarketplacePattern, number>;

/** Device farms register fresh accounts up to this long before their session. */
export const FARM_ACCOUNT_MAX_AGE_MS = 3 * DAY_MS;

interface Episode {
  faker: Faker;
  kit: OrderKit;
  world: World;
  /** The episode's day, weighted by the diurnal curve; every order of the episode falls inside it. */
  window: TimeWindow;
  accounts: NewAccounts;
}

/** Catalog users created for the farms, numbered after the handbook's customers. */
class NewAccounts {
  readonly rows: UserRow[] = [];

  constructor(
    private readonly firstIndex: number,
    private readonly mailboxes: Mailboxes,
  ) {}

  create(faker: Faker, createdAt: number): UserRow {
    const [user] = generateUsers({
      seed: drawSeed(faker),
      count: 1,
      startIndex: this.firstIndex + this.rows.length,
      asOf: new Date(createdAt),
      maxAccountAgeDays: 0,
    }).users;
    const row = { ...user!, email: this.mailboxes.claim(user!.email), country: 'ID' };
    this.rows.push(row);
    return row;
  }
}

/** `count` sorted instants within `spanMs` of each other inside the window (the caller keeps span under a day). */
function burst({ faker, window }: Episode, count: number, spanMs: number): number[] {
  const anchor = window.sampleWhere(faker, { before: window.to - spanMs })!;
  return Array.from({ length: count }, () => anchor + faker.number.int(spanMs - 1)).sort((a, b) => a - b);
}

const EPISODES: Readonly<Record<MarketplacePattern, (episode: Episode) => TimedOrder[]>> = {
  /** One device, usually on one IP, ordering one promoted product for 8–20 fresh or dormant accounts within 1–4 hours. */
  device_farm(episode) {
    const { faker, kit, world } = episode;
    const size = faker.number.int({ min: 8, max: 20 });
    const times = burst(episode, size, faker.number.int({ min: 1, max: 4 }) * HOUR_MS);
    const registeredBy = times[0]! - faker.number.int({ min: HOUR_MS, max: FARM_ACCOUNT_MAX_AGE_MS - HOUR_MS });
    const dormant = faker.helpers.arrayElements(world.dormant, Math.min(world.dormant.length, faker.number.int(Math.floor(size / 3))));
    const users = faker.helpers.shuffle([
      ...dormant.map((customer) => customer.shopper.user),
      ...Array.from({ length: size - dormant.length }, () => episode.accounts.create(faker, registeredBy - faker.number.int(HOUR_MS))),
    ]);
    const profile = kit.newDevice();
    const oneIp = kit.chance(0.8) ? kit.deviceAt(profile, 'ID', false) : undefined;
    const merchant = faker.helpers.arrayElement(world.merchants);
    // From the dearer half of the ladder: what a farm buys is meant for resale.
    const product = faker.helpers.arrayElement(merchant.products.slice(merchant.products.length / 2));
    const couponCode = faker.string.alphanumeric({ length: 8, casing: 'upper' });
    return times.map((at, index) =>
      buildOrder(faker, {
        at,
        user: users[index]!,
        merchant: merchant.row,
        line: { product, quantity: faker.number.int({ min: 1, max: 2 }) },
        paymentMethod: kit.riskyWallet(),
        device: oneIp ?? kit.deviceAt(profile, 'ID', false),
        couponCode,
        pattern: 'device_farm',
      }),
    );
  },

  /** One customer on one device, 5–12 orders within 2–10 minutes at their own merchants and amounts. */
  velocity_burst(episode) {
    const { faker, kit, world } = episode;
    const customer = faker.helpers.arrayElement(world.customers);
    const { shopper, profile } = customer;
    const size = faker.number.int({ min: 5, max: 12 });
    const device = kit.chance(0.5) ? kit.homeDevice(shopper) : kit.deviceAt(kit.newDevice(), shopper.user.country, false);
    const loginAttempts24h = size + faker.number.int({ min: 3, max: 10 });
    return burst(episode, size, faker.number.int({ min: 2, max: 10 }) * MINUTE_MS).map((at) => {
      const merchant = faker.helpers.arrayElement(customer.merchants);
      return buildOrder(faker, {
        at,
        user: shopper.user,
        merchant: merchant.row,
        line: lineNear(merchant, drawAmount(faker, profile)),
        paymentMethod: usualPayment(faker, profile),
        device,
        signals: { loginAttempts24h },
        pattern: 'velocity_burst',
      });
    });
  },

  /** One account on one new device, 8–20 single units under CARD_TESTING_MAX_IDR within 3–15 minutes, by credit card. */
  card_testing(episode) {
    const { faker, kit, world } = episode;
    const { user } = faker.helpers.arrayElement(world.customers).shopper;
    const size = faker.number.int({ min: 8, max: 20 });
    const ipCountry = kit.chance(0.5) ? kit.fraudSourceCountry(user.country) : user.country;
    const device = kit.deviceAt(kit.newDevice(), ipCountry, kit.chance(0.6));
    const merchant = faker.helpers.arrayElement(world.merchants);
    const failedLogins24h = faker.number.int({ min: 5, max: 30 });
    return burst(episode, size, faker.number.int({ min: 3, max: 15 }) * MINUTE_MS).map((at) =>
      buildOrder(faker, {
        at,
        user,
        merchant: merchant.row,
        line: cheapLine(faker, merchant),
        paymentMethod: 'Credit Card',
        device,
        signals: { failedLogins24h, loginAttempts24h: failedLogins24h + size },
        pattern: 'card_testing',
      }),
    );
  },

  /** A customer's account from a never-seen device abroad, paying a way they never pay, for HIGH_VALUE_MIN_IDR or more. */
  account_takeover(episode) {
    const { faker, kit, world, window } = episode;
    const { shopper, profile } = faker.helpers.arrayElement(world.customers);
    const merchant = faker.helpers.arrayElement(world.merchants);
    return [
      buildOrder(faker, {
        at: window.sample(faker),
        user: shopper.user,
        merchant: merchant.row,
        line: highValueLine(faker, merchant),
        paymentMethod: faker.helpers.arrayElement(PAYMENT_METHODS.filter((method) => !profile.paymentMethods.includes(method))),
        device: kit.deviceAt(kit.newDevice(), kit.fraudSourceCountry(shopper.user.country), kit.chance(0.5)),
        signals: {
          passwordChangedRecently: true,
          shippingAddressMismatch: true,
          failedLogins24h: faker.number.int({ min: 2, max: 8 }),
          loginAttempts24h: faker.number.int({ min: 9, max: 20 }),
        },
        pattern: 'account_takeover',
      }),
    ];
  },
};

export const MARKETPLACE_PATTERNS = Object.keys(EPISODES) as MarketplacePattern[];

/**
 * Each pattern's episodes, day by day, from its own seed, so changing one pattern's rate leaves the others' orders as
 * they were. Farm accounts are numbered from `firstAccountIndex` and returned for the catalog.
 */
export function marketplaceOrders(
  seeds: Readonly<Record<MarketplacePattern, number>>,
  world: World,
  period: Period,
  rates: MarketplaceRates,
  firstAccountIndex: number,
): { orders: TimedOrder[]; accounts: UserRow[] } {
  const accounts = new NewAccounts(firstAccountIndex, world.mailboxes);
  const orders: TimedOrder[] = [];
  for (const pattern of MARKETPLACE_PATTERNS) {
    const faker = seededFaker(seeds[pattern]);
    const kit = deviceKit(faker);
    for (let day = 0; day < period.days; day++) {
      const window = new TimeWindow(dayStart(period, day), dayStart(period, day + 1), DIURNAL_HOURLY_WEIGHTS);
      for (let count = countForDay(faker, rates[pattern]); count > 0; count--) orders.push(...EPISODES[pattern]({ faker, kit, world, window, accounts }));
    }
  }
  return { orders, accounts: accounts.rows };
}
