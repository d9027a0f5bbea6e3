// Turns an OrderPlaced event into what the rules may see; the simulation ground truth is deliberately never read.
import type { OrderPlaced } from '@fraudline/events';
import type { OrderFeatures } from './features.js';

export const DEFAULT_BUSINESS_TIME_ZONE = 'Asia/Jakarta';

const DAY_MS = 86_400_000;

/** What an earlier order contributes to the velocity and sharing windows: who placed it, from where, how much and when. */
export interface WindowOrder {
  orderId: string;
  userId: string;
  deviceId: string;
  ip: string;
  /** Lower-cased so one mailbox is one key; absent when the storefront sends no email. */
  email?: string | undefined;
  amount: number;
  placedAtMs: number;
}

/** A decided order's facts: its window entry, plus what its account's profile and the entity risk read. */
export interface OrderFacts extends WindowOrder {
  ipCountry: string;
  paymentMethod: string;
  merchantId: string;
  productId: string;
}

/** One order ready to be decided: its window facts and its own features. */
export interface PreparedOrder {
  facts: OrderFacts;
  features: OrderFeatures;
}

export interface OrderFeatureOptions {
  /** IANA time zone in which `hourLocal` is computed. */
  timeZone?: string;
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

function hourFormat(timeZone: string): Intl.DateTimeFormat {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    hourFormats.set(timeZone, format);
  }
  return format;
}

const MINUTE_MS = 60_000;
/** Hours already computed, per zone and minute: formatting is the costliest step of preparing an order. */
const hoursByMinute = new Map<string, number>();
const MAX_CACHED_HOURS = 10_000;

/**
 * Hour of day 0–23 of an instant in an IANA time zone; throws a RangeError for an unknown zone. Cached per minute,
 * which is exact for every zone offset in use since the 1970s (they are whole minutes).
 */
export function hourInTimeZone(epochMs: number, timeZone: string = DEFAULT_BUSINESS_TIME_ZONE): number {
  const key = `${timeZone}@${Math.floor(epochMs / MINUTE_MS)}`;
  const cached = hoursByMinute.get(key);
  if (cached !== undefined) return cached;
  const hour = Number(
    hourFormat(timeZone)
      .formatToParts(epochMs)
      .find((part) => part.type === 'hour')?.value,
  );
  if (hoursByMinute.size >= MAX_CACHED_HOURS) hoursByMinute.clear();
  hoursByMinute.set(key, hour);
  return hour;
}

/** Event timestamps are RFC 3339 with an offset, so Date.parse is unambiguous. */
export function placedAtMs(event: Pick<OrderPlaced, 'placedAt'>): number {
  return Date.parse(event.placedAt);
}

export function orderFactsFromEvent(event: OrderPlaced): OrderFacts {
  return {
    orderId: event.orderId,
    userId: event.userId,
    deviceId: event.device.deviceId,
    ip: event.device.ip,
    email: event.customer?.email.toLowerCase(),
    amount: Number(event.amount),
    placedAtMs: placedAtMs(event),
    ipCountry: event.device.ipCountry,
    paymentMethod: event.paymentMethod,
    merchantId: event.merchantId,
    productId: event.productId,
  };
}

/** The part of a lower-cased e-mail after its last '@'; undefined without one. */
export function emailDomain(email: string | undefined): string | undefined {
  if (email === undefined) return undefined;
  const at = email.lastIndexOf('@');
  return at < 0 ? undefined : email.slice(at + 1);
}

/** Whole days from account creation to the order; a creation time after the order (clock skew) counts as 0. */
function accountAgeDays(event: OrderPlaced, placedAt: number): number {
  const createdAt = event.customer?.accountCreatedAt;
  if (createdAt === undefined) return -1;
  return Math.max(0, Math.floor((placedAt - Date.parse(createdAt)) / DAY_MS));
}

export function orderFeaturesFromEvent(event: OrderPlaced, options: OrderFeatureOptions = {}): OrderFeatures {
  const placedAt = placedAtMs(event);
  return {
    orderId: event.orderId,
    amount: Number(event.amount),
    quantity: event.quantity,
    unitPrice: Number(event.unitPrice),
    paymentMethod: event.paymentMethod,
    country: event.country,
    ipCountry: event.device.ipCountry,
    isVpn: event.device.isVpn,
    deviceType: event.device.deviceType,
    hourLocal: hourInTimeZone(placedAt, options.timeZone),
    accountAgeDays: accountAgeDays(event, placedAt),
  };
}

export function prepareOrder(event: OrderPlaced, options: OrderFeatureOptions = {}): PreparedOrder {
  return { facts: orderFactsFromEvent(event), features: orderFeaturesFromEvent(event, options) };
}
