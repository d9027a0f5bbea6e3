// Entry points for orders: a bounded batch spread over a time span, or an endless stream; both emitted in placedAt order.
import type { Catalog, GeneratedOrder, OrderProfile } from './order-profile.js';
import { seededFaker } from './random.js';
import { RealisticOrders } from './realistic-orders.js';
import { SeedAOrders } from './seed-a-orders.js';
import { assertHourlyWeights, DIURNAL_HOURLY_WEIGHTS, DAY_MS, FLAT_HOURLY_WEIGHTS, TimeWindow, type TimeZoneName } from './time.js';

export type OrderProfileName = 'realistic' | 'seed-a';

export interface OrderGeneratorOptions {
  seed: number;
  catalog: Catalog;
  /** 'realistic' (default) injects labelled fraud; 'seed-a' reproduces seed A's distributions and has no fraud. */
  profile?: OrderProfileName;
  /** Share of orders that belong to fraud episodes; realistic profile only. Default 0.03. */
  fraudRate?: number;
  /** Relative volume per Jakarta hour 0–23; defaults to a diurnal curve (realistic) or flat (seed-a). */
  hourlyWeights?: readonly number[];
  /** Offset placedAt is written with. Default 'Asia/Jakarta' (+07:00). */
  timeZone?: TimeZoneName;
  /** seed-a only: write amounts as seed A did, `Rp.125,000,000`. */
  legacyAmountFormat?: boolean;
}

export interface GenerateOrdersOptions extends OrderGeneratorOptions {
  count: number;
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface OrderStreamOptions extends OrderGeneratorOptions {
  start: Date;
  /** Mean orders per hour over a day (each day varies ±10%); each hour's share follows the hourly weights. Default 120. */
  ordersPerHour?: number;
}

export interface OrderGenerator {
  /** The next order; placedAt never decreases from one call to the next. */
  next(): GeneratedOrder;
}

/** Exactly `count` orders with placedAt in [from, to), sorted by placedAt. */
export function generateOrders(options: GenerateOrdersOptions): GeneratedOrder[] {
  const { count, from, to } = options;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  const { profile } = createProfile(options);
  return ordersIn(profile, new TimeWindow(from.getTime(), to.getTime(), profile.hourlyWeights), count);
}

/**
 * An endless stream from `start`, planned a day at a time (as generateOrders would plan that day) so fraud bursts
 * interleave with genuine orders at their own times and night-only patterns find their night.
 */
export function createOrderGenerator(options: OrderStreamOptions): OrderGenerator {
  const { start, ordersPerHour = 120 } = options;
  if (!(ordersPerHour > 0)) throw new Error(`ordersPerHour must be positive, got ${ordersPerHour}`);
  const { faker, profile } = createProfile(options);
  let dayStart = start.getTime();
  let planned: GeneratedOrder[] = [];
  let cursor = 0;
  return {
    next() {
      while (cursor >= planned.length) {
        const window = new TimeWindow(dayStart, dayStart + DAY_MS, profile.hourlyWeights);
        const volume = ordersPerHour * 24 * faker.number.float({ min: 0.9, max: 1.1 });
        planned = ordersIn(profile, window, Math.round(volume));
        cursor = 0;
        dayStart = window.to;
      }
      return planned[cursor++] as GeneratedOrder;
    },
  };
}

function ordersIn(profile: OrderProfile, window: TimeWindow, count: number): GeneratedOrder[] {
  return profile
    .plan(window, count)
    .sort((a, b) => a.at - b.at)
    .map((order) => order.event);
}

function createProfile(options: OrderGeneratorOptions) {
  const { seed, catalog, profile = 'realistic', fraudRate = 0.03, timeZone = 'Asia/Jakarta', legacyAmountFormat = false } = options;
  const hourlyWeights = options.hourlyWeights ?? (profile === 'seed-a' ? FLAT_HOURLY_WEIGHTS : DIURNAL_HOURLY_WEIGHTS);
  assertHourlyWeights(hourlyWeights);
  for (const [name, rows] of Object.entries(catalog)) {
    if (rows.length === 0) throw new Error(`catalog.${name} is empty; orders need at least one of each`);
  }
  if (!(fraudRate >= 0 && fraudRate < 1)) throw new Error(`fraudRate must be in [0, 1), got ${fraudRate}`);
  const faker = seededFaker(seed);
  return {
    faker,
    profile:
      profile === 'seed-a'
        ? new SeedAOrders(faker, catalog, timeZone, legacyAmountFormat, hourlyWeights)
        : new RealisticOrders(faker, catalog, timeZone, fraudRate, hourlyWeights),
  };
}
