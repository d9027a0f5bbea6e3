// What an order profile is: given a time window and a count, it plans that many timed orders drawn from the catalog.
import type { Faker } from '@faker-js/faker';
import { v7 as uuidv7 } from 'uuid';
import type { OrderPlacedV1Input } from './contract.js';
import type { MerchantRow } from './merchants.js';
import type { ProductRow } from './products.js';
import { randomBytes } from './random.js';
import { formatTimestamp, type TimeWindow, type TimeZoneName } from './time.js';
import type { UserRow } from './users.js';

/** The rows orders may reference; every generated order's ids come from here, so joins work downstream. */
export interface Catalog {
  users: readonly UserRow[];
  products: readonly ProductRow[];
  merchants: readonly MerchantRow[];
}

/**
 * An OrderPlaced v1 event as the generators emit it. The contract's input type leaves money as `unknown` (its schema
 * preprocesses seed A's legacy spelling); here it is always a decimal string, and the ground truth is always present.
 */
export type GeneratedOrder = OrderPlacedV1Input & {
  unitPrice: string;
  amount: string;
  simulation: NonNullable<OrderPlacedV1Input['simulation']>;
};

export interface TimedOrder {
  /** placedAt as epoch milliseconds, for ordering the stream. */
  at: number;
  event: GeneratedOrder;
}

export interface OrderProfile {
  readonly hourlyWeights: readonly number[];
  /** Exactly `count` orders inside the window, in any order. */
  plan(window: TimeWindow, count: number): TimedOrder[];
}

/** The fields every order shares; the orderId is a UUIDv7 on the order's own time with seeded random bits, so it is reproducible. */
export function orderEnvelope(faker: Faker, at: number, timeZone: TimeZoneName) {
  return {
    type: 'OrderPlaced',
    version: 1,
    orderId: uuidv7({ msecs: at, random: randomBytes(faker, 16) }),
    currency: 'IDR',
    placedAt: formatTimestamp(at, timeZone),
  } as const;
}
