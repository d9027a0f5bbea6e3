// Exact event-time window arithmetic over earlier orders; pure, so the stream processor and backfills agree to the order.
import {
  SMALL_ORDER_AMOUNT,
  type FeatureSnapshot,
  type MerchantFeatures,
  UNSCORED,
  type RiskStatus,
  type UserFeatures,
} from './features.js';
import { emailDomain, type OrderFacts, type PreparedOrder, type WindowOrder } from './order-features.js';

export const WINDOW_MS = {
  tenMinutes: 10 * 60_000,
  oneHour: 60 * 60_000,
  oneDay: 24 * 60 * 60_000,
  sevenDays: 7 * 24 * 60 * 60_000,
  thirtyDays: 30 * 24 * 60 * 60_000,
} as const;

/** How many of an account's orders came from each device, IP country and payment method. */
export interface SeenValues {
  devices: Readonly<Record<string, number>>;
  ipCountries: Readonly<Record<string, number>>;
  paymentMethods: Readonly<Record<string, number>>;
}

/** A user's totals over every order already stored, including any also passed as `history`. */
export interface LifetimeTotals {
  userId: string;
  orders: number;
  totalAmount: number;
  /** Σ amount² as an exact decimal string (a Postgres numeric), so the deviation is the same however it was summed. */
  amountSquares: string;
  /** The latest placedAt among those orders; undefined when there is none. */
  lastOrderAtMs: number | undefined;
  seen: SeenValues;
}

/** The entities whose fraud reports are features. */
export const REPORTED_ENTITIES = ['merchant', 'product', 'device', 'ip', 'emailDomain'] as const;
export type ReportedEntity = (typeof REPORTED_ENTITIES)[number];

/** One order reported as fraud (a fraud-labelled outcome), filed under one of its entities. */
export interface FraudReport {
  entity: ReportedEntity;
  key: string;
  orderId: string;
  /** When the reported order was placed. */
  placedAtMs: number;
  /** When the outcome became known: a report counts for orders placed after this. */
  knownAtMs: number;
  /** When it was stored: a replay counts only reports stored before the decision it reproduces. */
  recordedAtMs: number;
}

/** Orders placed at one merchant on each UTC day, days counted from the epoch. */
export interface MerchantDays {
  merchantId: string;
  days: Iterable<readonly [day: number, orders: number]>;
}

const utcDay = (ms: number) => Math.floor(ms / WINDOW_MS.oneDay);

export interface FeatureWindowInit {
  /** Earlier orders, any order; only those in [t − 24 h, t) of a decided order affect it. */
  history?: Iterable<WindowOrder>;
  /** Lifetime totals per user; users without an entry start at zero. History is not added to these. */
  lifetime?: Iterable<LifetimeTotals>;
  /** Users without an entry are 'Good Standing'. */
  riskStatuses?: ReadonlyMap<string, RiskStatus>;
  fraudReports?: Iterable<FraudReport>;
  /** Orders per merchant and day already stored; merchants without an entry start at zero. */
  merchantDays?: Iterable<MerchantDays>;
}

/** What a snapshot may see beyond the orders: by default every report held; a replay passes the decision's own time. */
export interface SnapshotAsOf {
  /** Only reports stored at or before this instant count. */
  recordedAtMs: number;
}

/**
 * Amounts carry at most two decimals, so totals are kept in whole cents: a sum of integers is exact in any order, and
 * the same orders give the same average whether they were read as one database total or added one by one (a replay).
 * Squares of cents exceed 2^53, so their sum is a bigint.
 */
interface Profile {
  orders: number;
  totalCents: number;
  squaresCents: bigint;
  lastOrderAtMs: number | undefined;
  devices: Map<string, number>;
  ipCountries: Map<string, number>;
  paymentMethods: Map<string, number>;
}

const cents = (amount: number) => Math.round(amount * 100);

/** "12.3456" (IDR²) → 123456 (cents²): a numeric with at most 4 decimals, scaled exactly. */
function squaresInCents(amountSquares: string): bigint {
  const [whole = '0', fraction = ''] = amountSquares.split('.');
  return BigInt(whole + fraction.padEnd(4, '0').slice(0, 4));
}

const emptyProfile = (): Profile => ({
  orders: 0,
  totalCents: 0,
  squaresCents: 0n,
  lastOrderAtMs: undefined,
  devices: new Map(),
  ipCountries: new Map(),
  paymentMethods: new Map(),
});

function addSeen(counts: Map<string, number>, value: string, delta: 1 | -1): void {
  const next = (counts.get(value) ?? 0) + delta;
  if (next > 0) counts.set(value, next);
  else counts.delete(value);
}

/** With fewer earlier orders than this, an amount is not compared with the account's own spread. */
const MIN_ORDERS_FOR_SPREAD = 3;
/** The deviation an amount is measured in is at least this share of the account's mean. */
const MIN_SPREAD_OF_MEAN = 0.1;

/**
 * Index of the first entry placed at or after `atMs`, or strictly after it when inserting, so equal timestamps keep
 * arrival order. Entries are sorted by placedAtMs.
 */
function firstAtOrAfter(entries: readonly WindowOrder[], atMs: number, strictlyAfter = false): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const placedAtMs = (entries[mid] as WindowOrder).placedAtMs;
    if (placedAtMs < atMs || (strictlyAfter && placedAtMs === atMs)) low = mid + 1;
    else high = mid;
  }
  return low;
}

const NO_ORDERS: readonly WindowOrder[] = [];

/**
 * Earlier orders under one key (a user, device, IP or email), kept sorted by event time. A snapshot costs
 * O(log n) to find its window plus O(orders under the key in the last 24 h) to sum or count distinct users.
 */
class KeyedOrders {
  readonly #byKey = new Map<string, WindowOrder[]>();

  add(key: string, facts: WindowOrder): void {
    const entries = this.#byKey.get(key);
    if (!entries) {
      this.#byKey.set(key, [facts]);
      return;
    }
    const last = entries[entries.length - 1];
    if (!last || last.placedAtMs <= facts.placedAtMs) entries.push(facts);
    else entries.splice(firstAtOrAfter(entries, facts.placedAtMs, true), 0, facts);
  }

  /** Takes one order out again; false when it is not held under `key`. */
  remove(key: string, facts: WindowOrder): boolean {
    const entries = this.#byKey.get(key);
    if (!entries) return false;
    for (let i = firstAtOrAfter(entries, facts.placedAtMs); i < entries.length && entries[i]!.placedAtMs === facts.placedAtMs; i++) {
      if (entries[i]!.orderId !== facts.orderId) continue;
      entries.splice(i, 1);
      if (entries.length === 0) this.#byKey.delete(key);
      return true;
    }
    return false;
  }

  /** Drops every order placed before `beforeMs`; calls `dropped` once per order taken out. */
  prune(beforeMs: number, dropped: (facts: WindowOrder) => void = () => undefined): void {
    for (const [key, entries] of this.#byKey) {
      const keep = firstAtOrAfter(entries, beforeMs);
      if (keep === 0) continue;
      for (let i = 0; i < keep; i++) dropped(entries[i]!);
      if (keep === entries.length) this.#byKey.delete(key);
      else entries.splice(0, keep);
    }
  }

  /** All orders under `key`, sorted by placedAtMs. */
  entries(key: string): readonly WindowOrder[] {
    return this.#byKey.get(key) ?? NO_ORDERS;
  }

  /** Distinct users over [t − 24 h, t) and [t − 1 h, t), and orders over [t − 1 h, t), under `key`. */
  sharing(key: string | undefined, t: number): { distinctUsers24h: number; distinctUsers1h: number; orders1h: number } {
    const entries = key === undefined ? NO_ORDERS : this.entries(key);
    const end = firstAtOrAfter(entries, t);
    const hourStart = firstAtOrAfter(entries, t - WINDOW_MS.oneHour);
    const dayStart = firstAtOrAfter(entries, t - WINDOW_MS.oneDay);
    // Newest first: the users of the last hour are counted, then the scan goes on into the rest of the day.
    const users = new Set<string>();
    for (let i = end - 1; i >= hourStart; i--) users.add((entries[i] as WindowOrder).userId);
    const distinctUsers1h = users.size;
    for (let i = hourStart - 1; i >= dayStart; i--) users.add((entries[i] as WindowOrder).userId);
    return { distinctUsers24h: users.size, distinctUsers1h, orders1h: end - hourStart };
  }
}

/** Sorted known-at times of the fraud reports under one entity key, deduplicated by order. */
class ReportedKeys {
  readonly #byEntity = new Map<ReportedEntity, Map<string, FraudReport[]>>(REPORTED_ENTITIES.map((entity) => [entity, new Map()]));
  readonly #ids = new Set<string>();

  add(report: FraudReport): void {
    const id = `${report.entity}\t${report.key}\t${report.orderId}`;
    if (this.#ids.has(id)) return;
    this.#ids.add(id);
    const byKey = this.#byEntity.get(report.entity)!;
    const reports = byKey.get(report.key);
    if (!reports) {
      byKey.set(report.key, [report]);
      return;
    }
    let at = reports.length;
    while (at > 0 && reports[at - 1]!.knownAtMs > report.knownAtMs) at--;
    reports.splice(at, 0, report);
  }

  /** Reports under the key known in [t − windowMs, t), stored by `asOf` when given. */
  count(entity: ReportedEntity, key: string | undefined, t: number, windowMs: number, asOf: SnapshotAsOf | undefined): number {
    const reports = key === undefined ? undefined : this.#byEntity.get(entity)!.get(key);
    if (!reports) return 0;
    let count = 0;
    for (let i = reports.length - 1; i >= 0; i--) {
      const report = reports[i]!;
      if (report.knownAtMs >= t) continue;
      if (report.knownAtMs < t - windowMs) break;
      if (asOf === undefined || report.recordedAtMs <= asOf.recordedAtMs) count++;
    }
    return count;
  }

  /** Reported orders under the key placed on days [fromDay, toDay) (UTC) and known before t, stored by `asOf` when given. */
  countPlaced(entity: ReportedEntity, key: string, fromDay: number, toDay: number, t: number, asOf: SnapshotAsOf | undefined): number {
    const reports = this.#byEntity.get(entity)!.get(key);
    if (!reports) return 0;
    let count = 0;
    for (let i = reports.length - 1; i >= 0; i--) {
      const report = reports[i]!;
      if (report.knownAtMs >= t) continue;
      // Known at or after being placed, so reports known before the first day were placed before it too.
      if (report.knownAtMs < fromDay * WINDOW_MS.oneDay) break;
      const day = utcDay(report.placedAtMs);
      if (day >= fromDay && day < toDay && (asOf === undefined || report.recordedAtMs <= asOf.recordedAtMs)) count++;
    }
    return count;
  }

  /** Drops reports known before `beforeMs`. */
  prune(beforeMs: number): void {
    for (const byKey of this.#byEntity.values()) {
      for (const [key, reports] of byKey) {
        let keep = 0;
        while (keep < reports.length && reports[keep]!.knownAtMs < beforeMs) keep++;
        for (let i = 0; i < keep; i++) this.#ids.delete(`${reports[i]!.entity}\t${key}\t${reports[i]!.orderId}`);
        if (keep === reports.length) byKey.delete(key);
        else if (keep > 0) reports.splice(0, keep);
      }
    }
  }
}

/**
 * Computes FeatureSnapshots for a batch. Call `snapshot(order)` and then `record(order.facts)` for each order in
 * offset order, so a later order of the same user sees the earlier ones. Windows are exact: an earlier order counts
 * in window W when t − W ≤ placedAt < t (t = the decided order's placedAt); no buckets. The decided order itself
 * sits at t, so it is never counted, even when it is already in the history. An account's profile (its lifetime
 * totals, spread and the devices, IP countries and payment methods it used) covers the orders decided before this one.
 */
export class FeatureWindow {
  readonly #users = new KeyedOrders();
  readonly #devices = new KeyedOrders();
  readonly #ips = new KeyedOrders();
  readonly #emails = new KeyedOrders();
  readonly #reports = new ReportedKeys();
  readonly #knownOrderIds = new Set<string>();
  readonly #profiles = new Map<string, Profile>();
  readonly #merchantDays = new Map<string, Map<number, number>>();
  readonly #riskStatuses: Map<string, RiskStatus>;

  constructor(init: FeatureWindowInit = {}) {
    for (const totals of init.lifetime ?? []) this.setLifetime(totals);
    for (const merchant of init.merchantDays ?? []) this.setMerchantDays(merchant);
    this.addHistory(init.history ?? []);
    this.addFraudReports(init.fraudReports ?? []);
    this.#riskStatuses = new Map(init.riskStatuses ?? []);
  }

  /** Orders held in the windows, each counted once however many keys it sits under. */
  get size(): number {
    return this.#knownOrderIds.size;
  }

  /** Adds earlier orders; one already held (by order id) is skipped, so history may be read again and overlap. */
  addHistory(history: Iterable<WindowOrder>): void {
    for (const facts of history) this.#index(facts);
  }

  /** Adds fraud reports; one already held (same entity, key and order) is skipped, so they may be read again. */
  addFraudReports(reports: Iterable<FraudReport>): void {
    for (const report of reports) this.#reports.add(report);
  }

  /** Replaces a user's lifetime profile, e.g. with the database's figures at the start of a batch. */
  setLifetime(totals: LifetimeTotals): void {
    this.#profiles.set(totals.userId, {
      orders: totals.orders,
      totalCents: cents(totals.totalAmount),
      squaresCents: squaresInCents(totals.amountSquares),
      lastOrderAtMs: totals.lastOrderAtMs,
      devices: new Map(Object.entries(totals.seen.devices)),
      ipCountries: new Map(Object.entries(totals.seen.ipCountries)),
      paymentMethods: new Map(Object.entries(totals.seen.paymentMethods)),
    });
  }

  /** Replaces a merchant's orders per day, e.g. with the database's counts at the start of a batch. */
  setMerchantDays(merchant: MerchantDays): void {
    this.#merchantDays.set(merchant.merchantId, new Map(merchant.days));
  }

  /** Sets a user's risk status; undefined means Good Standing. */
  setRiskStatus(userId: string, status: RiskStatus | undefined): void {
    if (status === undefined) this.#riskStatuses.delete(userId);
    else this.#riskStatuses.set(userId, status);
  }

  /**
   * Undoes `record` for an order whose batch was not stored, so deciding the batch again gives the same snapshots.
   * Returns false, changing nothing, for an order the window does not hold. The latest order time falls back to the
   * latest order still held for the user (a batch reads the stored one afresh).
   */
  forget(facts: OrderFacts): boolean {
    if (!this.#knownOrderIds.delete(facts.orderId)) return false;
    this.#unindex(facts);
    this.#addToMerchantDay(facts, -1);
    const profile = this.#profiles.get(facts.userId);
    if (profile) {
      this.#addToProfile(profile, facts, -1);
      if (profile.lastOrderAtMs === facts.placedAtMs) {
        const held = this.#users.entries(facts.userId);
        profile.lastOrderAtMs = held.length > 0 ? held[held.length - 1]!.placedAtMs : undefined;
      }
    }
    return true;
  }

  /**
   * Drops every order placed before `beforeMs` (e.g. 24 h before the earliest order still to be decided), and the
   * fraud reports and merchant days no order from then on can count, so a window kept between batches holds bounded memory. Lifetime
   * profiles and risk statuses are kept.
   */
  prune(beforeMs: number): void {
    this.#users.prune(beforeMs, (facts) => this.#knownOrderIds.delete(facts.orderId));
    this.#devices.prune(beforeMs);
    this.#ips.prune(beforeMs);
    this.#emails.prune(beforeMs);
    this.#reports.prune(beforeMs + WINDOW_MS.oneDay - WINDOW_MS.thirtyDays);
    const firstDay = utcDay(beforeMs + WINDOW_MS.oneDay) - 7;
    for (const days of this.#merchantDays.values()) for (const day of days.keys()) if (day < firstDay) days.delete(day);
  }

  /**
   * Adds a decided order to the windows and to its user's lifetime profile. Returns false, changing nothing,
   * for an order id already known (a redelivery, or an order passed as history).
   */
  record(facts: OrderFacts): boolean {
    if (!this.#index(facts)) return false;
    this.#addToMerchantDay(facts, 1);
    let profile = this.#profiles.get(facts.userId);
    if (!profile) this.#profiles.set(facts.userId, (profile = emptyProfile()));
    this.#addToProfile(profile, facts, 1);
    profile.lastOrderAtMs = Math.max(profile.lastOrderAtMs ?? Number.NEGATIVE_INFINITY, facts.placedAtMs);
    return true;
  }

  snapshot(order: PreparedOrder, asOf?: SnapshotAsOf): FeatureSnapshot {
    const current = order.facts;
    const t = current.placedAtMs;
    const reports = (entity: ReportedEntity, key: string | undefined, windowMs: number = WINDOW_MS.thirtyDays) =>
      this.#reports.count(entity, key, t, windowMs, asOf);
    return {
      order: order.features,
      user: this.#userFeatures(current),
      device: { ...this.#devices.sharing(current.deviceId, t), fraudReports30d: reports('device', current.deviceId) },
      ip: { ...this.#ips.sharing(current.ip, t), fraudReports30d: reports('ip', current.ip) },
      email: {
        ...this.#emailSharing(current.email, t),
        domainFraudReports30d: reports('emailDomain', emailDomain(current.email)),
      },
      merchant: this.#merchantFeatures(current, asOf),
      product: { fraudReports30d: reports('product', current.productId) },
      model: UNSCORED,
    };
  }

  /** The batch step: the snapshot this order is decided on, then the order joins the windows. */
  snapshotThenRecord(order: PreparedOrder): FeatureSnapshot {
    const snapshot = this.snapshot(order);
    this.record(order.facts);
    return snapshot;
  }

  #emailSharing(email: string | undefined, t: number): { distinctUsers24h: number; distinctUsers1h: number } {
    const { distinctUsers24h, distinctUsers1h } = this.#emails.sharing(email, t);
    return { distinctUsers24h, distinctUsers1h };
  }

  #merchantFeatures(current: OrderFacts, asOf: SnapshotAsOf | undefined): MerchantFeatures {
    const t = current.placedAtMs;
    const week = this.#merchantRate(current, 7, asOf);
    return {
      fraudReports7d: this.#reports.count('merchant', current.merchantId, t, WINDOW_MS.sevenDays, asOf),
      fraudReports30d: this.#reports.count('merchant', current.merchantId, t, WINDOW_MS.thirtyDays, asOf),
      orders7d: week.orders,
      reportedOrders7d: week.reported,
      fraudRate7d: week.rate,
    };
  }

  /** The merchant's orders on the `days` whole UTC days before the order's day, and how many of them were reported before it. */
  #merchantRate(current: OrderFacts, days: number, asOf: SnapshotAsOf | undefined): { orders: number; reported: number; rate: number } {
    const today = utcDay(current.placedAtMs);
    const counts = this.#merchantDays.get(current.merchantId);
    let orders = 0;
    if (counts) for (let day = today - days; day < today; day++) orders += counts.get(day) ?? 0;
    const reported = this.#reports.countPlaced('merchant', current.merchantId, today - days, today, current.placedAtMs, asOf);
    return { orders, reported, rate: orders === 0 ? 0 : reported / orders };
  }

  #addToMerchantDay(facts: OrderFacts, delta: 1 | -1): void {
    let days = this.#merchantDays.get(facts.merchantId);
    if (!days) this.#merchantDays.set(facts.merchantId, (days = new Map()));
    const day = utcDay(facts.placedAtMs);
    const next = (days.get(day) ?? 0) + delta;
    if (next > 0) days.set(day, next);
    else days.delete(day);
  }

  #addToProfile(profile: Profile, facts: OrderFacts, delta: 1 | -1): void {
    const amountCents = cents(facts.amount);
    profile.orders += delta;
    profile.totalCents += delta * amountCents;
    profile.squaresCents += BigInt(delta * amountCents) * BigInt(amountCents);
    addSeen(profile.devices, facts.deviceId, delta);
    addSeen(profile.ipCountries, facts.ipCountry, delta);
    addSeen(profile.paymentMethods, facts.paymentMethod, delta);
  }

  #index(facts: WindowOrder): boolean {
    if (this.#knownOrderIds.has(facts.orderId)) return false;
    this.#knownOrderIds.add(facts.orderId);
    this.#users.add(facts.userId, facts);
    this.#devices.add(facts.deviceId, facts);
    this.#ips.add(facts.ip, facts);
    if (facts.email !== undefined) this.#emails.add(facts.email, facts);
    return true;
  }

  #unindex(facts: WindowOrder): void {
    this.#users.remove(facts.userId, facts);
    this.#devices.remove(facts.deviceId, facts);
    this.#ips.remove(facts.ip, facts);
    if (facts.email !== undefined) this.#emails.remove(facts.email, facts);
  }

  #userFeatures(current: OrderFacts): UserFeatures {
    const profile = this.#profiles.get(current.userId);
    const lifetimeOrders = profile && profile.orders > 0 ? profile.orders : 0;
    const features: UserFeatures = {
      orders10m: 0,
      orders1h: 0,
      orders24h: 0,
      amount10m: 0,
      amount1h: 0,
      amount24h: 0,
      smallOrders1h: 0,
      lifetimeOrders,
      avgAmount: 0,
      riskStatus: this.#riskStatuses.get(current.userId) ?? 'Good Standing',
      newDevice: false,
      newIpCountry: false,
      newPaymentMethod: false,
      amountZScore: 0,
      hoursSincePrevious: -1,
    };
    const t = current.placedAtMs;
    const entries = this.#users.entries(current.userId);
    const end = firstAtOrAfter(entries, t);
    for (let i = firstAtOrAfter(entries, t - WINDOW_MS.oneDay); i < end; i++) {
      const entry = entries[i] as WindowOrder;
      const age = t - entry.placedAtMs;
      features.orders24h++;
      features.amount24h += entry.amount;
      if (age > WINDOW_MS.oneHour) continue;
      features.orders1h++;
      features.amount1h += entry.amount;
      if (entry.amount < SMALL_ORDER_AMOUNT) features.smallOrders1h++;
      if (age > WINDOW_MS.tenMinutes) continue;
      features.orders10m++;
      features.amount10m += entry.amount;
    }
    // Every order of the last 24 h is held, so the latest earlier one is the last held before t, or the profile's latest.
    let previousMs = end > 0 ? entries[end - 1]!.placedAtMs : Number.NEGATIVE_INFINITY;
    if (profile?.lastOrderAtMs !== undefined && profile.lastOrderAtMs < t) previousMs = Math.max(previousMs, profile.lastOrderAtMs);
    if (previousMs > Number.NEGATIVE_INFINITY) features.hoursSincePrevious = (t - previousMs) / WINDOW_MS.oneHour;
    if (!profile || lifetimeOrders === 0) return features;
    features.avgAmount = profile.totalCents / 100 / profile.orders;
    features.newDevice = !profile.devices.has(current.deviceId);
    features.newIpCountry = !profile.ipCountries.has(current.ipCountry);
    features.newPaymentMethod = !profile.paymentMethods.has(current.paymentMethod);
    if (profile.orders >= MIN_ORDERS_FOR_SPREAD) features.amountZScore = zScore(cents(current.amount), profile);
    return features;
  }
}

/** (amount − mean) / deviation over the profile's orders, in cents; the deviation floored at a share of the mean (and one rupiah). */
function zScore(amountCents: number, profile: Profile): number {
  const n = BigInt(profile.orders);
  const total = BigInt(profile.totalCents);
  const mean = profile.totalCents / profile.orders;
  // n·Σx² − (Σx)² is exact and never negative; only the final division rounds.
  const variance = Number(n * profile.squaresCents - total * total) / (profile.orders * profile.orders);
  const deviation = Math.max(Math.sqrt(variance), MIN_SPREAD_OF_MEAN * mean, 100);
  return (amountCents - mean) / deviation;
}
