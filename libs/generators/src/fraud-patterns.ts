// The injected fraud patterns: each plans one episode of orders carrying its defining traits and its ground-truth label.
import type { FraudPattern } from './contract.js';
import type { OrderKit } from './order-kit.js';
import type { TimedOrder } from './order-profile.js';
import { MINUTE_MS, type TimeWindow } from './time.js';

export type InjectedFraudPattern = Exclude<FraudPattern, 'none'>;

/** Night in Jakarta, when night_high_value strikes: 00:00–04:59. */
export const isJakartaNightHour = (hour: number) => hour < 5;

interface FraudPatternSpec {
  pattern: InjectedFraudPattern;
  /** Relative frequency of episodes. */
  weight: number;
  /** Orders per episode, inclusive. */
  size: readonly [min: number, max: number];
  /** The episode's orders, or undefined when the window or the catalog cannot host it. */
  plan(kit: OrderKit, window: TimeWindow, size: number): TimedOrder[] | undefined;
}

/** `count` sorted instants within `spanMinutes` of each other, all inside the window; undefined if the window has no room. */
function burstTimes(kit: OrderKit, window: TimeWindow, count: number, spanMinutes: number): number[] | undefined {
  const span = Math.min(spanMinutes * MINUTE_MS, window.to - window.from);
  const anchor = window.sampleWhere(kit.faker, { before: window.to - span + 1 });
  if (anchor === undefined) return undefined;
  return Array.from({ length: count }, () => anchor + kit.faker.number.int(span - 1)).sort((a, b) => a - b);
}

const FRAUD_PATTERNS: readonly FraudPatternSpec[] = [
  {
    pattern: 'velocity_burst',
    weight: 1,
    size: [5, 12],
    plan(kit, window, size) {
      const times = burstTimes(kit, window, size, kit.faker.number.int({ min: 2, max: 10 }));
      if (!times) return undefined;
      const shopper = kit.pickShopper();
      const device = kit.chance(0.5) ? kit.homeDevice(shopper) : kit.deviceAt(kit.newDevice(), shopper.user.country, false);
      const loginAttempts24h = size + kit.faker.number.int({ min: 3, max: 10 });
      return times.map((at) =>
        kit.build({ at, shopper, line: kit.everydayLine(), paymentMethod: kit.usualPayment(shopper), device, signals: { loginAttempts24h }, pattern: 'velocity_burst' }),
      );
    },
  },
  {
    pattern: 'card_testing',
    weight: 0.8,
    size: [8, 20],
    plan(kit, window, size) {
      if (!kit.sellsCheapItems) return undefined;
      const times = burstTimes(kit, window, size, kit.faker.number.int({ min: 3, max: 15 }));
      if (!times) return undefined;
      const shopper = kit.pickShopper();
      const ipCountry = kit.chance(0.5) ? kit.fraudSourceCountry(shopper.user.country) : shopper.user.country;
      const device = kit.deviceAt(kit.newDevice(), ipCountry, kit.chance(0.6));
      const failedLogins24h = kit.faker.number.int({ min: 5, max: 30 });
      return times.map((at) =>
        kit.build({
          at,
          shopper,
          line: kit.cheapLine(),
          paymentMethod: kit.chance(0.9) ? 'Credit Card' : 'Paylater',
          device,
          signals: { failedLogins24h, loginAttempts24h: failedLogins24h + size },
          pattern: 'card_testing',
        }),
      );
    },
  },
  {
    pattern: 'account_takeover',
    weight: 3,
    size: [1, 1],
    plan(kit, window) {
      const shopper = kit.pickShopper();
      return [
        kit.build({
          at: window.sample(kit.faker),
          shopper,
          line: kit.highValueLine(),
          paymentMethod: shopper.user.defaultPayment,
          device: kit.deviceAt(kit.newDevice(), kit.fraudSourceCountry(shopper.user.country), true),
          signals: {
            passwordChangedRecently: true,
            shippingAddressMismatch: true,
            failedLogins24h: kit.faker.number.int({ min: 2, max: 8 }),
            loginAttempts24h: kit.faker.number.int({ min: 9, max: 20 }),
          },
          pattern: 'account_takeover',
        }),
      ];
    },
  },
  {
    pattern: 'night_high_value',
    weight: 3,
    size: [1, 1],
    plan(kit, window) {
      const at = window.sampleWhere(kit.faker, { hours: isJakartaNightHour });
      if (at === undefined) return undefined;
      const shopper = kit.pickShopper();
      const device = kit.chance(0.6) ? kit.homeDevice(shopper) : kit.deviceAt(kit.newDevice(), shopper.user.country, false);
      return [kit.build({ at, shopper, line: kit.highValueLine(), paymentMethod: kit.riskyWallet(), device, pattern: 'night_high_value' })];
    },
  },
  {
    pattern: 'geo_mismatch',
    weight: 3,
    size: [1, 1],
    plan(kit, window) {
      const shopper = kit.pickShopper();
      const device = kit.deviceAt(kit.chance(0.6) ? kit.newDevice() : kit.faker.helpers.arrayElement(shopper.homeDevices), kit.fraudSourceCountry(shopper.user.country), kit.chance(0.7));
      return [
        kit.build({
          at: window.sample(kit.faker),
          shopper,
          line: kit.chance(0.5) ? kit.highValueLine() : kit.everydayLine(),
          paymentMethod: kit.chance(0.5) ? 'Credit Card' : kit.usualPayment(shopper),
          device,
          pattern: 'geo_mismatch',
        }),
      ];
    },
  },
];

/** Expected orders per fraud episode under the pattern mix, to turn an order-level fraud rate into an episode rate. */
export const MEAN_EPISODE_SIZE =
  FRAUD_PATTERNS.reduce((sum, spec) => sum + (spec.weight * (spec.size[0] + spec.size[1])) / 2, 0) /
  FRAUD_PATTERNS.reduce((sum, spec) => sum + spec.weight, 0);

/** One fraud episode of at most `room` orders, its pattern drawn by weight among those the window and catalog allow. */
export function planFraudEpisode(kit: OrderKit, window: TimeWindow, room: number): TimedOrder[] | undefined {
  let candidates = FRAUD_PATTERNS.filter((spec) => spec.size[0] <= room);
  while (candidates.length > 0) {
    const spec = kit.faker.helpers.weightedArrayElement(candidates.map((value) => ({ weight: value.weight, value })));
    const orders = spec.plan(kit, window, kit.faker.number.int({ min: spec.size[0], max: Math.min(spec.size[1], room) }));
    if (orders) return orders;
    candidates = candidates.filter((candidate) => candidate !== spec);
  }
  return undefined;
}
