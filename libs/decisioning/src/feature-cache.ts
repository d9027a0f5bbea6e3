// Keeps the feature windows between batches, so a batch reads from Postgres only the keys it has not read lately.
import { loadFeatureInputs, type FeatureInputs, type HistoryKeys, type OrderDatabase } from '@fraudline/db';
import { emailDomain, FeatureWindow, WINDOW_MS, type PreparedOrder } from '@fraudline/fraud-rules';

export interface FeatureCacheOptions {
  /**
   * How long orders read for a key are trusted before they are read again. A user's orders all come through one
   * partition, so this subscriber sees every one of them; it bounds how late it sees orders that other subscribers
   * stored for a shared device, IP or e-mail (and the catalog rows it found).
   */
  refreshMs: number;
  /** Orders held before the cache empties itself and reads keys afresh; bounds memory. */
  maxOrders: number;
}

export const DEFAULT_FEATURE_CACHE: FeatureCacheOptions = { refreshMs: 10_000, maxOrders: 1_000_000 };

/** Since when a key's orders are held, and when they were read. */
interface Coverage {
  fromMs: number;
  readAtMs: number;
}

type KeyKind = keyof Omit<HistoryKeys, 'since'>;

const KEY_KINDS: readonly KeyKind[] = ['userIds', 'deviceIds', 'ips', 'emails'];

function keyOf(kind: KeyKind, order: PreparedOrder): string | undefined {
  const { facts } = order;
  return kind === 'userIds' ? facts.userId : kind === 'deviceIds' ? facts.deviceId : kind === 'ips' ? facts.ip : facts.email;
}

/** How many batches pass between prunes of orders no batch can need any more. */
const PRUNE_EVERY_BATCHES = 16;

/** What a batch is decided on: the shared window, and which of the catalog rows it names exist. */
export interface PreparedBatch {
  window: FeatureWindow;
  known: { users: ReadonlySet<string>; products: ReadonlySet<string>; merchants: ReadonlySet<string> };
  /** The published risk list the batch's users' statuses were read from; undefined when none was published. */
  riskListVersion: number | undefined;
}

export interface BatchReferenceIds {
  productId: string;
  merchantId: string;
}

const distinct = (values: Iterable<string | undefined>) => [...new Set(values)].filter((value): value is string => value !== undefined);

/**
 * One FeatureWindow shared by every partition this subscriber consumes, filled lazily: per batch, ONE statement reads
 * the recent orders of keys not held (or not read within `refreshMs`), plus each user's lifetime profile and risk
 * status and the fraud reports of every key of the batch, which are always read afresh because other jobs and other
 * subscribers change them. Orders decided here are recorded as they are decided,
 * and forgotten again when their batch is not stored, so a retried batch is decided on the same features.
 */
export class FeatureCache {
  readonly #options: FeatureCacheOptions;
  #window = new FeatureWindow();
  #coverage = new Map<KeyKind, Map<string, Coverage>>(KEY_KINDS.map((kind) => [kind, new Map()]));
  #known = { products: new Set<string>(), merchants: new Set<string>(), readAtMs: 0 };
  /** Orders placed before this were pruned, so no key holds them any more. */
  #prunedBeforeMs = Number.NEGATIVE_INFINITY;
  #batchesSincePrune = 0;
  #oldestNeededSincePrune = Number.POSITIVE_INFINITY;
  readonly #pending = new Set<{ neededFromMs: number }>();

  constructor(options: Partial<FeatureCacheOptions> = {}) {
    this.#options = { ...DEFAULT_FEATURE_CACHE, ...options };
  }

  /** Orders currently held. */
  get size(): number {
    return this.#window.size;
  }

  /**
   * Reads what the batch needs and is not held; `orders` pairs each prepared order with the catalog ids it names.
   * Decide the batch on the returned window without awaiting anything else first: another batch may prune it.
   */
  async prepare(database: OrderDatabase, orders: readonly (PreparedOrder & BatchReferenceIds)[], nowMs = Date.now()): Promise<PreparedBatch> {
    if (this.#window.size > this.#options.maxOrders) this.#reset();
    if (nowMs - this.#known.readAtMs >= this.#options.refreshMs) this.#known = { products: new Set(), merchants: new Set(), readAtMs: nowMs };
    const known = this.#known;
    const window = this.#window;

    const since = orders.reduce((earliest, order) => Math.min(earliest, order.facts.placedAtMs), Number.POSITIVE_INFINITY) - WINDOW_MS.oneDay;
    const stale = new Map<KeyKind, Set<string>>(KEY_KINDS.map((kind) => [kind, new Set()]));
    for (const order of orders) {
      const neededFromMs = order.facts.placedAtMs - WINDOW_MS.oneDay;
      for (const kind of KEY_KINDS) {
        const key = keyOf(kind, order);
        if (key !== undefined && !this.#holds(kind, key, neededFromMs, nowMs)) stale.get(kind)!.add(key);
      }
    }
    const keys = (kind: KeyKind) => [...stale.get(kind)!];
    const ids = (pick: (order: BatchReferenceIds) => string, held: ReadonlySet<string>) => [...new Set(orders.map(pick))].filter((id) => !held.has(id));

    // While this batch's read is in flight, its oldest need keeps other batches from pruning what it will decide on.
    const pending = { neededFromMs: since };
    this.#pending.add(pending);
    let inputs: FeatureInputs;
    try {
      inputs = await loadFeatureInputs(
        database,
        { userIds: keys('userIds'), deviceIds: keys('deviceIds'), ips: keys('ips'), emails: keys('emails'), since: new Date(since) },
        {
          userIds: [...new Set(orders.map((order) => order.facts.userId))],
          productIds: ids((order) => order.productId, known.products),
          merchantIds: ids((order) => order.merchantId, known.merchants),
        },
        {
          merchantIds: distinct(orders.map((order) => order.facts.merchantId)),
          productIds: distinct(orders.map((order) => order.facts.productId)),
          deviceIds: distinct(orders.map((order) => order.facts.deviceId)),
          ips: distinct(orders.map((order) => order.facts.ip)),
          emailDomains: distinct(orders.map((order) => emailDomain(order.facts.email))),
          since: new Date(since + WINDOW_MS.oneDay - WINDOW_MS.thirtyDays),
        },
      );
    } finally {
      this.#pending.delete(pending);
    }

    window.addHistory(inputs.history);
    window.addFraudReports(inputs.fraudReports);
    for (const merchant of inputs.merchantDays) window.setMerchantDays(merchant);
    // A reset while the read was in flight made a new window, which does not hold these orders.
    if (window === this.#window) {
      for (const [kind, staleKeys] of stale) for (const key of staleKeys) this.#coverage.get(kind)!.set(key, { fromMs: since, readAtMs: nowMs });
    }
    for (const user of inputs.users) {
      window.setLifetime(user);
      window.setRiskStatus(user.userId, user.riskStatus);
    }
    for (const id of inputs.known.products) known.products.add(id);
    for (const id of inputs.known.merchants) known.merchants.add(id);
    this.#pruneNowAndThen(since, nowMs);
    return {
      window,
      known: { users: new Set(inputs.users.map((user) => user.userId)), products: known.products, merchants: known.merchants },
      riskListVersion: inputs.riskListVersion,
    };
  }

  #holds(kind: KeyKind, key: string, neededFromMs: number, nowMs: number): boolean {
    const coverage = this.#coverage.get(kind)!.get(key);
    return coverage !== undefined && Math.max(coverage.fromMs, this.#prunedBeforeMs) <= neededFromMs && nowMs - coverage.readAtMs < this.#options.refreshMs;
  }

  /**
   * Every so many batches, drops orders older than any batch since the last prune (or one still reading) needed, and
   * forgets keys due to be read again anyway.
   */
  #pruneNowAndThen(neededFromMs: number, nowMs: number): void {
    this.#oldestNeededSincePrune = Math.min(this.#oldestNeededSincePrune, neededFromMs);
    if (++this.#batchesSincePrune < PRUNE_EVERY_BATCHES) return;
    const horizon = Math.min(this.#oldestNeededSincePrune, ...[...this.#pending].map((pending) => pending.neededFromMs));
    if (horizon > this.#prunedBeforeMs) {
      this.#window.prune(horizon);
      this.#prunedBeforeMs = horizon;
    }
    const readSince = nowMs - this.#options.refreshMs;
    for (const coverage of this.#coverage.values()) for (const [key, entry] of coverage) if (entry.readAtMs < readSince) coverage.delete(key);
    this.#batchesSincePrune = 0;
    this.#oldestNeededSincePrune = Number.POSITIVE_INFINITY;
  }

  #reset(): void {
    this.#window = new FeatureWindow();
    for (const coverage of this.#coverage.values()) coverage.clear();
    this.#prunedBeforeMs = Number.NEGATIVE_INFINITY;
  }
}
