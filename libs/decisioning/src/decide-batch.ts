// The decision use case for one batch: validate, compute features in bounded queries, decide, store atomically, dead-letter the rest.
import {
  findConflictingLandings,
  rejectedEvent as rejection,
  storableKey,
  type DecidedBatch,
  type NewShadowDecision,
  type OrderDatabase,
  type RejectedEvent,
} from '@fraudline/db';
import { decodeOrderPlaced, deadLetterTopicFor, ORDERS_TOPIC, type OrderPlaced } from '@fraudline/events';
import { prepareOrder, type OrderFacts } from '@fraudline/fraud-rules';
import { scoreSnapshot, type ActiveModel } from './model-score.js';
import type { BatchHandler, EventLogProducer, LogMessage, MessageBatch } from '@fraudline/streaming';
import type { Logger } from 'pino';
import type { ActiveRuleset } from './active-ruleset.js';
import { DecisionClock } from './decision-clock.js';
import { FeatureCache, type FeatureCacheOptions, type PreparedBatch } from './feature-cache.js';
import { publishDeadLetters } from './dead-letters.js';
import type { DecisionMetrics } from './metrics.js';
import type { PartitionHealth } from './partition-health.js';
import { RuleFailureReporter } from './rule-failures.js';
import { storeIsolating, type IsolatedStore } from './store-isolating.js';

export interface OrderDeciderOptions {
  /** The OLTP database; with a raw pool (a Postgres server), large batches are written with COPY. */
  database: OrderDatabase;
  rulesets: ActiveRuleset;
  /** The live learned model, whose score rules read as `model.score`. */
  models: ActiveModel;
  /** Where rejected messages are republished with their error in headers. */
  deadLetters: EventLogProducer;
  deadLetterTopic?: string;
  metrics: DecisionMetrics;
  logger: Logger;
  timeZone: string;
  /** Backoff for database errors: the batch is retried, never dropped, while the consumer runs. */
  retry?: { initialMs: number; maxMs: number };
  /** Called once a batch's transaction has committed, e.g. to measure event-to-commit latency per message. */
  onStored?: (messages: readonly LogMessage[], storedAtMs: number) => void;
  /** How the feature windows kept between batches refresh and how large they may grow. */
  featureCache?: Partial<FeatureCacheOptions>;
  /** Where failing partitions are recorded, for readiness. */
  health?: PartitionHealth;
}

interface ValidOrder {
  message: LogMessage;
  event: OrderPlaced;
  /** The message value as received; it decoded, so it is UTF-8 JSON text. */
  text: string;
}

/** The largest value decisions.latency_ms (numeric(12,3)) holds: a record older than ~11.6 days is stored as this. */
const MAX_LATENCY_MS = 999_999_999.999;

const conflict = (orderId: string) => [{ field: 'orderId', message: `order ${orderId} is already stored from a message with other content` }];

/**
 * Splits a batch into decodable orders, rejections, and later copies of an order id the batch already holds. The
 * first of an order id is decided; a later copy is compared with what ends up stored once the batch is written.
 */
function validate(messages: LogMessage[]): { valid: ValidOrder[]; rejected: RejectedEvent[]; duplicates: ValidOrder[] } {
  const valid: ValidOrder[] = [];
  const rejected: RejectedEvent[] = [];
  const duplicates: ValidOrder[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    const result = decodeOrderPlaced(message.value);
    if (!result.ok) {
      rejected.push(rejection(message, result.error.kind, result.error.issues));
      continue;
    }
    const order = { message, event: result.event, text: message.value!.toString() };
    if (seen.has(result.event.orderId)) duplicates.push(order);
    else {
      seen.add(result.event.orderId);
      valid.push(order);
    }
  }
  return { valid, rejected, duplicates };
}

/** The catalog ids an order names that do not exist, each as a field error; usually none. */
function unknownReferences(event: OrderPlaced, known: PreparedBatch['known']): { field: string; message: string }[] {
  if (known.users.has(event.userId) && known.products.has(event.productId) && known.merchants.has(event.merchantId)) return [];
  return (
    [
      ['userId', known.users, event.userId],
      ['productId', known.products, event.productId],
      ['merchantId', known.merchants, event.merchantId],
    ] as const
  )
    .filter(([, ids, id]) => !ids.has(id))
    .map(([field, , id]) => ({ field, message: `no ${field} "${id}" in the catalog` }));
}

/** A batch ready to store, with each order's message, and the orders it recorded in the shared feature window. */
interface DecidedOrders {
  batch: DecidedBatch;
  /** The message of each order, aligned with batch.orders. */
  sources: LogMessage[];
  /** Later copies of an order id the batch decides; each is a redelivery or a conflicting duplicate. */
  duplicates: ValidOrder[];
  /** Forgets what the batch recorded in the feature window: every order, or those at the given indices. */
  forget(indices?: readonly number[]): void;
}

/** What the decider keeps between batches. */
interface DeciderState {
  features: FeatureCache;
  failures: RuleFailureReporter;
  clock: DecisionClock;
}

async function decide(options: OrderDeciderOptions, { features, failures, clock }: DeciderState, batch: MessageBatch): Promise<DecidedOrders> {
  const { batchPhase } = options.metrics;
  const endValidate = batchPhase.startTimer({ phase: 'validate' });
  const { valid, rejected, duplicates } = validate(batch.messages);
  const shadows: NewShadowDecision[] = [];
  const decided: DecidedBatch = { landed: [], orders: [], decisions: [], rejected, shadows };
  if (valid.length === 0) {
    endValidate();
    return { batch: decided, sources: [], duplicates, forget: () => undefined };
  }

  const prepared = valid.map((order) => ({
    ...order,
    ...prepareOrder(order.event, { timeZone: options.timeZone }),
    productId: order.event.productId,
    merchantId: order.event.merchantId,
  }));
  endValidate();
  const endFeatures = batchPhase.startTimer({ phase: 'features' });
  const { live: ruleset, shadows: shadowRulesets } = await options.rulesets.forNextBatch();
  const model = await options.models.forNextBatch();
  // Nothing is awaited between preparing the shared window and deciding on it (see FeatureCache.prepare).
  const { window, known, riskListVersion } = await features.prepare(options.database, prepared);
  endFeatures();
  const endDecide = batchPhase.startTimer({ phase: 'decide' });
  const sources: LogMessage[] = [];
  const recorded: (OrderFacts | undefined)[] = [];

  const outcomes = new Map<string, number>();
  const shadowOutcomes = new Map<string, number>();
  for (const order of prepared) {
    const { message, event, text } = order;
    const missing = unknownReferences(event, known);
    if (missing.length > 0) {
      rejected.push(rejection(message, 'unknown_reference', missing));
      continue;
    }
    const snapshot = scoreSnapshot(model, window.snapshot(order));
    sources.push(message);
    recorded.push(window.record(order.facts) ? order.facts : undefined);
    const decision = ruleset.decide(snapshot);
    decided.landed.push({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      message_key: storableKey(message.key),
      order_id: event.orderId,
      message: text,
    });
    decided.orders.push({
      order_id: event.orderId,
      user_id: event.userId,
      product_id: event.productId,
      merchant_id: event.merchantId,
      quantity: event.quantity,
      unit_price: event.unitPrice,
      amount: event.amount,
      currency: event.currency,
      payment_method: event.paymentMethod,
      country: event.country,
      device_id: event.device.deviceId,
      ip: event.device.ip,
      ip_country: event.device.ipCountry,
      is_vpn: event.device.isVpn,
      email: event.customer?.email ?? null,
      created_at: event.placedAt,
    });
    decided.decisions.push({
      order_id: event.orderId,
      decision: decision.decision,
      score: decision.score,
      status: decision.status,
      is_fraud: decision.isFraud,
      reasons: JSON.stringify(decision.reasons),
      rule_failures: decision.ruleFailures ? JSON.stringify(decision.ruleFailures) : null,
      ruleset_id: decision.rulesetId,
      ruleset_version: decision.rulesetVersion,
      latency_ms: Math.min(MAX_LATENCY_MS, Math.max(0, Date.now() - message.timestamp)),
      order_created_at: event.placedAt,
      decision_seq: clock.next(),
      risk_list_version: riskListVersion ?? null,
      features: JSON.stringify(ruleset.evidence(snapshot)),
      model_id: model?.id ?? null,
      model_version: model?.version ?? null,
    });
    for (const shadow of shadowRulesets) {
      const shadowDecision = shadow.decide(snapshot);
      shadows.push({
        order_id: event.orderId,
        ruleset_id: shadowDecision.rulesetId,
        ruleset_version: shadowDecision.rulesetVersion,
        decision: shadowDecision.decision,
        score: shadowDecision.score,
        reasons: JSON.stringify(shadowDecision.reasons),
        rule_failures: shadowDecision.ruleFailures ? JSON.stringify(shadowDecision.ruleFailures) : null,
        order_created_at: event.placedAt,
      });
      const key = `${shadowDecision.rulesetId}@${shadowDecision.rulesetVersion}\t${shadowDecision.decision}`;
      shadowOutcomes.set(key, (shadowOutcomes.get(key) ?? 0) + 1);
    }
    outcomes.set(decision.decision, (outcomes.get(decision.decision) ?? 0) + 1);
    if (decision.ruleFailures) failures.record(decision, event.orderId);
  }
  for (const [decision, count] of outcomes) options.metrics.decided.inc({ decision }, count);
  for (const [key, count] of shadowOutcomes) {
    const [ruleset, decision] = key.split('\t');
    options.metrics.shadowDecided.inc({ ruleset, decision }, count);
  }
  endDecide();
  const forget = (facts: OrderFacts | undefined) => facts && window.forget(facts);
  return {
    batch: decided,
    sources,
    duplicates,
    forget: (indices) => (indices ? indices.forEach((i) => forget(recorded[i])) : recorded.forEach(forget)),
  };
}

/** Rejections found only once the batch is stored, and the indices of the decided orders among them (to forget). */
interface LateRejections {
  rows: RejectedEvent[];
  orders: number[];
}

/**
 * What storing the batch showed to be unfit: orders Postgres refused, and messages whose order id is stored from a
 * message with other content. Decided orders are compared with the store only when some was not newly written;
 * later copies within the batch always are, so an identical copy changes nothing whichever copy came first.
 */
async function lateRejections(database: OrderDatabase, decided: DecidedOrders, stored: IsolatedStore): Promise<LateRejections> {
  const late: LateRejections = { rows: [], orders: [] };
  const unstorable = new Set<number>();
  for (const { index, error } of stored.unstorable) {
    unstorable.add(index);
    late.orders.push(index);
    late.rows.push(rejection(decided.sources[index]!, 'unstorable', [error]));
  }
  const compared = [
    ...(stored.allNew ? [] : decided.batch.landed.map((landed, index) => ({ ...landed, index }))),
    ...decided.duplicates.map(({ event, message, text }) => ({ order_id: event.orderId, message: text, source: message })),
  ];
  const conflicts = await findConflictingLandings(database, compared);
  compared.forEach((candidate, i) => {
    if (!conflicts.has(i)) return;
    if ('index' in candidate) {
      if (unstorable.has(candidate.index)) return;
      late.orders.push(candidate.index);
    }
    const source = 'index' in candidate ? decided.sources[candidate.index]! : candidate.source;
    late.rows.push(rejection(source, 'conflicting_duplicate', conflict(candidate.order_id)));
  });
  return late;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the handler the consumer calls per batch; offsets are committed only after it resolves. */
export function createOrderDecider(options: OrderDeciderOptions): BatchHandler {
  const { metrics, logger } = options;
  const retry = options.retry ?? { initialMs: 200, maxMs: 5000 };
  const deadLetterTopic = options.deadLetterTopic ?? deadLetterTopicFor(ORDERS_TOPIC);
  const state: DeciderState = {
    features: new FeatureCache(options.featureCache),
    failures: new RuleFailureReporter(metrics, logger),
    clock: new DecisionClock(),
  };

  const health = options.health;
  const setHealth = (partition: string, failed: boolean) => {
    if (failed) health?.failed(partition);
    else health?.recovered(partition);
    if (health) metrics.failingPartitions.set(health.failing);
  };

  return async (batch) => {
    const partition = `${batch.topic}/${batch.partition}`;
    const endTimer = metrics.batchDuration.startTimer();
    metrics.consumed.inc({ topic: batch.topic }, batch.messages.length);
    for (let delay = retry.initialMs; ; delay = Math.min(delay * 2, retry.maxMs)) {
      let unstored: DecidedOrders | undefined;
      try {
        unstored = await decide(options, state, batch);
        const decided = unstored.batch;
        const endStore = metrics.batchPhase.startTimer({ phase: 'store' });
        const stored = await storeIsolating(options.database, decided);
        const late = await lateRejections(options.database, unstored, stored);
        if (late.rows.length > 0) {
          unstored.forget(late.orders);
          await storeIsolating(options.database, { landed: [], orders: [], decisions: [], rejected: late.rows });
          decided.rejected.push(...late.rows);
        }
        unstored = undefined;
        metrics.stored.inc({ path: stored.path });
        endStore();
        if (decided.rejected.length > 0) {
          const endDeadLetter = metrics.batchPhase.startTimer({ phase: 'dead_letter' });
          const pointers = await publishDeadLetters(options.deadLetters, deadLetterTopic, decided.rejected);
          for (const row of decided.rejected) metrics.rejected.inc({ kind: row.error_kind });
          endDeadLetter();
          logger.warn({ partition: batch.partition, rejected: decided.rejected.length, pointers }, 'dead-lettered rejected messages');
        }
        const now = Date.now();
        for (const message of batch.messages) metrics.commitLatency.observe((now - message.timestamp) / 1000);
        options.onStored?.(batch.messages, now);
        setHealth(partition, false);
        endTimer();
        return;
      } catch (error) {
        unstored?.forget();
        if (!batch.isRunning()) {
          setHealth(partition, false);
          throw error;
        }
        setHealth(partition, true);
        metrics.batchRetries.inc();
        logger.error({ err: error, partition: batch.partition, retryInMs: delay }, 'batch failed; pausing this partition and retrying');
        await sleep(delay);
        await batch.heartbeat().catch(() => undefined);
      }
    }
  };
}
