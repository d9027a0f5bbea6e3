// Exact event-time window arithmetic over earlier orders; pure, so the stream processor and backfills agree to the order.
import {
  SMALL_ORDER_AMOUNT,
  type EmailFeatures,
  type FeatureSnapshot,
  type RiskStatus,
  type UserFeatures,
} from './features.js';
import type { OrderFacts, PreparedOrder } from './order-features.js';

export const WINDOW_MS = { tenMinutes: 10 * 60_000, oneHour: 60 * 60_000, oneDay: 24 * 60 * 60_000 } as const;

/** A user's totals over every order already stored, including any also passed as `history`. */
export interface LifetimeTotals {
  userId: string;
  orders: number;
  totalAmount: number;
}

export interface FeatureWindowInit {
  /** Earlier orders, any order; only those in [t − 24 h, t) of a decided order affect it. */
  history?: Iterable<OrderFacts>;
  /** Lifetime totals per user; users without an entry start at zero. History is not added to these. */
  lifetime?: Iterable<LifetimeTotals>;
  /** Users without an entry are 'Good Standing'. */
  riskStatuses?: ReadonlyMap<string, RiskStatus>;
}

/**
 * Amounts carry at most two decimals, so totals are kept in whole cents: a sum of integers is exact in any order, and
 * the same orders give the same average whether they were read as one database total or added one by one (a replay).
 */
type Totals = { orders: number; totalCents: number };

const cents = (amount: number) => Math.round(amount * 100);

/**
 * Index of the first entry placed at or after `atMs`, or strictly after it when inserting, so equal timestamps keep
 * arrival order. Entries are sorted by placedAtMs.
 */
function firstAtOrAfter(entries: readonly OrderFacts[], atMs: number, strictlyAfter = false): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const placedAtMs = (entries[mid] as OrderFacts).placedAtMs;
    if (placedAtMs < atMs || (strictlyAfter && placedAtMs === atMs)) low = mid + 1;
    else high = mid;
  }
  return low;
}

const NO_ORDERS: readonly OrderFacts[] = [];

/**
 * Earlier orders under one key (a user, device, IP or email), kept sorted by event time. A snapshot costs
 * O(log n) to find its window plus O(orders under the key in the last 24 h) to sum or count distinct users.
 */
class KeyedOrders {
  readonly #byKey = new Map<string, OrderFacts[]>();

  add(key: string, facts: OrderFacts): void {
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
  remove(key: string, facts: OrderFacts): boolean {
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
  prune(beforeMs: number, dropped: (facts: OrderFacts) => void = () => undefined): void {
    for (const [key, entries] of this.#byKey) {
      const keep = firstAtOrAfter(entries, beforeMs);
      if (keep === 0) continue;
      for (let i = 0; i < keep; i++) dropped(entries[i]!);
      if (keep === entries.length) this.#byKey.delete(key);
      else entries.splice(0, keep);
    }
  }

  /** All orders under `key`, sorted by placedAtMs. */
  entries(key: string): readonly OrderFacts[] {
    return this.#byKey.get(key) ?? NO_ORDERS;
  }

  /** Distinct users over [t − 24 h, t) and orders over [t − 1 h, t) under `key`. */
  sharing(key: string | undefined, t: number): { distinctUsers24h: number; orders1h: number } {
    const entries = key === undefined ? NO_ORDERS : this.entries(key);
    const end = firstAtOrAfter(entries, t);
    const users = new Set<string>();
    for (let i = firstAtOrAfter(entries, t - WINDOW_MS.oneDay); i < end; i++) users.add((entries[i] as OrderFacts).userId);
    return { distinctUsers24h: users.size, orders1h: end - firstAtOrAfter(entries, t - WINDOW_MS.oneHour) };
  }
}

/**
 * Computes FeatureSnapshots for a batch. Call `snapshot(order)` and then `record(order.facts)` for each order in
 * offset order, so a later order of the same user sees the earlier ones. Windows are exact: an earlier order counts
 * in window W when t − W ≤ placedAt < t (t = the decided order's placedAt); no buckets. The decided order itself
 * sits at t, so it is never counted, even when it is already in the history.
 */
export class FeatureWindow {
  readonly #users = new KeyedOrders();
  readonly #devices = new KeyedOrders();
  readonly #ips = new KeyedOrders();
  readonly #emails = new KeyedOrders();
  readonly #knownOrderIds = new Set<string>();
  readonly #lifetime = new Map<string, Totals>();
  readonly #riskStatuses: Map<string, RiskStatus>;

  constructor(init: FeatureWindowInit = {}) {
    for (const totals of init.lifetime ?? []) this.setLifetime(totals);
    this.addHistory(init.history ?? []);
    this.#riskStatuses = new Map(init.riskStatuses ?? []);
  }

  /** Orders held in the windows, each counted once however many keys it sits under. */
  get size(): number {
    return this.#knownOrderIds.size;
  }

  /** Adds earlier orders; one already held (by order id) is skipped, so history may be read again and overlap. */
  addHistory(history: Iterable<OrderFacts>): void {
    for (const facts of history) this.#index(facts);
  }

  /** Replaces a user's lifetime totals, e.g. with the database's figure at the start of a batch. */
  setLifetime(totals: LifetimeTotals): void {
    this.#lifetime.set(totals.userId, { orders: totals.orders, totalCents: cents(totals.totalAmount) });
  }

  /** Sets a user's risk status; undefined means Good Standing. */
  setRiskStatus(userId: string, status: RiskStatus | undefined): void {
    if (status === undefined) this.#riskStatuses.delete(userId);
    else this.#riskStatuses.set(userId, status);
  }

  /**
   * Undoes `record` for an order whose batch was not stored, so deciding the batch again gives the same snapshots.
   * Returns false, changing nothing, for an order the window does not hold.
   */
  forget(facts: OrderFacts): boolean {
    if (!this.#knownOrderIds.delete(facts.orderId)) return false;
    this.#unindex(facts);
    const totals = this.#lifetime.get(facts.userId);
    if (totals) {
      totals.orders -= 1;
      totals.totalCents -= cents(facts.amount);
    }
    return true;
  }

  /**
   * Drops every order placed before `beforeMs` (e.g. 24 h before the earliest order still to be decided), so a
   * window kept between batches holds bounded memory. Lifetime totals and risk statuses are kept.
   */
  prune(beforeMs: number): void {
    this.#users.prune(beforeMs, (facts) => this.#knownOrderIds.delete(facts.orderId));
    this.#devices.prune(beforeMs);
    this.#ips.prune(beforeMs);
    this.#emails.prune(beforeMs);
  }

  /**
   * Adds a decided order to the windows and to its user's lifetime totals. Returns false, changing nothing,
   * for an order id already known (a redelivery, or an order passed as history).
   */
  record(facts: OrderFacts): boolean {
    if (!this.#index(facts)) return false;
    const totals = this.#lifetime.get(facts.userId);
    if (totals) {
      totals.orders += 1;
      totals.totalCents += cents(facts.amount);
    } else {
      this.#lifetime.set(facts.userId, { orders: 1, totalCents: cents(facts.amount) });
    }
    return true;
  }

  snapshot(order: PreparedOrder): FeatureSnapshot {
    const current = order.facts;
    const t = current.placedAtMs;
    const email: EmailFeatures = { distinctUsers24h: this.#emails.sharing(current.email, t).distinctUsers24h };
    return {
      order: order.features,
      user: this.#userFeatures(current),
      device: this.#devices.sharing(current.deviceId, t),
      ip: this.#ips.sharing(current.ip, t),
      email,
    };
  }

  /** The batch step: the snapshot this order is decided on, then the order joins the windows. */
  snapshotThenRecord(order: PreparedOrder): FeatureSnapshot {
    const snapshot = this.snapshot(order);
    this.record(order.facts);
    return snapshot;
  }

  #index(facts: OrderFacts): boolean {
    if (this.#knownOrderIds.has(facts.orderId)) return false;
    this.#knownOrderIds.add(facts.orderId);
    this.#users.add(facts.userId, facts);
    this.#devices.add(facts.deviceId, facts);
    this.#ips.add(facts.ip, facts);
    if (facts.email !== undefined) this.#emails.add(facts.email, facts);
    return true;
  }

  #unindex(facts: OrderFacts): void {
    this.#users.remove(facts.userId, facts);
    this.#devices.remove(facts.deviceId, facts);
    this.#ips.remove(facts.ip, facts);
    if (facts.email !== undefined) this.#emails.remove(facts.email, facts);
  }

  #userFeatures(current: OrderFacts): UserFeatures {
    const features: UserFeatures = {
      orders10m: 0,
      orders1h: 0,
      orders24h: 0,
      amount10m: 0,
      amount1h: 0,
      amount24h: 0,
      smallOrders1h: 0,
      lifetimeOrders: 0,
      avgAmount: 0,
      riskStatus: this.#riskStatuses.get(current.userId) ?? 'Good Standing',
    };
    const t = current.placedAtMs;
    const entries = this.#users.entries(current.userId);
    const end = firstAtOrAfter(entries, t);
    for (let i = firstAtOrAfter(entries, t - WINDOW_MS.oneDay); i < end; i++) {
      const entry = entries[i] as OrderFacts;
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
    const totals = this.#lifetime.get(current.userId);
    if (totals && totals.orders > 0) {
      features.lifetimeOrders = totals.orders;
      features.avgAmount = totals.totalCents / 100 / totals.orders;
    }
    return features;
  }
}
