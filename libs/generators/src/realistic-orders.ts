// The realistic profile: genuine shoppers on a diurnal curve, a little genuine noise that looks risky, and injected fraud episodes.
import type { Faker } from '@faker-js/faker';
import { MEAN_EPISODE_SIZE, planFraudEpisode } from './fraud-patterns.js';
import { OrderKit, type DeviceSignals, type Shopper } from './order-kit.js';
import type { Catalog, OrderProfile, TimedOrder } from './order-profile.js';
import type { TimeWindow, TimeZoneName } from './time.js';

/** Where a genuine order comes from: mostly home; sometimes a new phone; sometimes abroad, which looks like geo_mismatch. */
const GENUINE_DEVICE_SITUATIONS: readonly { weight: number; value: (kit: OrderKit, shopper: Shopper) => DeviceSignals }[] = [
  { weight: 93, value: (kit, shopper) => kit.homeDevice(shopper) },
  { weight: 5, value: (kit, shopper) => kit.deviceAt(kit.newDevice(), shopper.user.country, false) },
  {
    weight: 2,
    value: (kit, shopper) => kit.deviceAt(kit.faker.helpers.arrayElement(shopper.homeDevices), kit.travelCountry(shopper.user.country), kit.chance(0.2)),
  },
];

export class RealisticOrders implements OrderProfile {
  private readonly kit: OrderKit;
  /** Chance that the next planned slot opens a fraud episode rather than a genuine order, so that fraud orders make up `fraudRate`. */
  private readonly episodeChance: number;

  constructor(
    faker: Faker,
    catalog: Catalog,
    timeZone: TimeZoneName,
    fraudRate: number,
    readonly hourlyWeights: readonly number[],
  ) {
    this.kit = new OrderKit(faker, catalog, timeZone);
    this.episodeChance = fraudRate / (MEAN_EPISODE_SIZE * (1 - fraudRate) + fraudRate);
  }

  plan(window: TimeWindow, count: number): TimedOrder[] {
    const orders: TimedOrder[] = [];
    while (orders.length < count) {
      const episode = this.kit.chance(this.episodeChance) ? planFraudEpisode(this.kit, window, count - orders.length) : undefined;
      orders.push(...(episode ?? [this.genuine(window)]));
    }
    return orders;
  }

  private genuine(window: TimeWindow): TimedOrder {
    const { kit } = this;
    const shopper = kit.pickShopper();
    return kit.build({
      at: window.sample(kit.faker),
      shopper,
      line: kit.everydayLine(),
      paymentMethod: kit.usualPayment(shopper),
      device: kit.faker.helpers.weightedArrayElement(GENUINE_DEVICE_SITUATIONS)(kit, shopper),
      pattern: 'none',
    });
  }
}
