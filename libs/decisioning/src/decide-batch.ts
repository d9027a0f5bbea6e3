// The decision use case for one batch: validate, compute features in bounded queries, decide, store atomically, dead-letter the rest.
import { storeDecidedBatch, type DecidedBatch, type OrderDatabase, type RejectedEvent } from '@fraudline/db';
import { decodeOrderPlaced, ORDERS_DLQ_TOPIC, type OrderPlaced } from '@fraudline/events';
import { prepareOrder, type OrderFacts } from '@fraudline/fraud-rules';
import type { BatchHandler, EventLogProducer, LogMessage, MessageBatch } from '@fraudline/streaming';
import type { Logger } from 'pino';
import type { ActiveRuleset } from './active-ruleset.js';
import { FeatureCache, type FeatureCacheOptions, type PreparedBatch } from './feature-cache.js';
import type { DecisionMetrics } from './metrics.js';

export interface OrderDeciderOptions {
  /** The OLTP database; with a raw pool (a Postgres server), large batches are written with COPY. */
  database: OrderDatabase;
  rulesets: ActiveRuleset;
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
}

interface ValidOrder {
  message: LogMessage;
  event: OrderPlaced;
}

/** Message keys are stored as text, which cannot hold U+0000; like undecodable bytes, it becomes U+FFFD. */
const storableKey = (key: string | null) => (key !== null && key.includes('\0') ? key.replaceAll('\0', '\uFFFD') : key);

function rejection(message: LogMessage, kind: string, error: { field: string; message: string }[]): RejectedEvent {
  const text = message.value?.toString('utf8') ?? '';
  const isText = message.value !== null && !text.includes('\0') && Buffer.from(text, 'utf8').equals(message.value);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    message_key: storableKey(message.key),
    payload: isText ? text : (message.value?.toString('base64') ?? ''),
    payload_encoding: isText ? 'utf8' : 'base64',
    error_kind: kind,
    error,
  };
}

/** Splits a batch into decodable orders and rejections; the same order id twice in a batch keeps the first. */
function validate(messages: LogMessage[]): { valid: ValidOrder[]; rejected: RejectedEvent[] } {
  const valid: ValidOrder[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    const result = decodeOrderPlaced(message.value);
    if (!result.ok) rejected.push(rejection(message, result.error.kind, result.error.issues));
    else if (!seen.has(result.event.orderId)) {
      seen.add(result.event.orderId);
      valid.push({ message, event: result.event });
    }
  }
  return { valid, rejected };
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

/** A batch ready to store, and the orders it recorded in the shared feature window (to forget if it is not stored). */
interface DecidedOrders {
  batch: DecidedBatch;
  forget(): void;
}

async function decide(options: OrderDeciderOptions, features: FeatureCache, batch: MessageBatch): Promise<DecidedOrders> {
  const { batchPhase } = options.metrics;
  const endValidate = batchPhase.startTimer({ phase: 'validate' });
  const { valid, rejected } = validate(batch.messages);
  const decided: DecidedBatch = { landed: [], orders: [], decisions: [], rejected };
  if (valid.length === 0) {
    endValidate();
    return { batch: decided, forget: () => undefined };
  }

  const prepared = valid.map((order) => ({
    ...order,
    ...prepareOrder(order.event, { timeZone: options.timeZone }),
    productId: order.event.productId,
    merchantId: order.event.merchantId,
  }));
  endValidate();
  const endFeatures = batchPhase.startTimer({ phase: 'features' });
  const ruleset = await options.rulesets.forNextBatch();
  // Nothing is awaited between preparing the shared window and deciding on it (see FeatureCache.prepare).
  const { window, known } = await features.prepare(options.database, prepared);
  endFeatures();
  const endDecide = batchPhase.startTimer({ phase: 'decide' });
  const recorded: OrderFacts[] = [];

  const outcomes = new Map<string, number>();
  for (const order of prepared) {
    const { message, event } = order;
    const missing = unknownReferences(event, known);
    if (missing.length > 0) {
      rejected.push(rejection(message, 'unknown_reference', missing));
      continue;
    }
    const snapshot = window.snapshot(order);
    if (window.record(order.facts)) recorded.push(order.facts);
    const decision = ruleset.decide(snapshot);
    decided.landed.push({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      message_key: storableKey(message.key),
      order_id: event.orderId,
      message: JSON.stringify(event),
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
      ruleset_id: decision.rulesetId,
      ruleset_version: decision.rulesetVersion,
      latency_ms: Math.max(0, Date.now() - message.timestamp),
      order_created_at: event.placedAt,
    });
    outcomes.set(decision.decision, (outcomes.get(decision.decision) ?? 0) + 1);
  }
  for (const [decision, count] of outcomes) options.metrics.decided.inc({ decision }, count);
  endDecide();
  return { batch: decided, forget: () => recorded.forEach((facts) => window.forget(facts)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the handler the consumer calls per batch; offsets are committed only after it resolves. */
export function createOrderDecider(options: OrderDeciderOptions): BatchHandler {
  const { metrics, logger } = options;
  const retry = options.retry ?? { initialMs: 200, maxMs: 5000 };
  const deadLetterTopic = options.deadLetterTopic ?? ORDERS_DLQ_TOPIC;
  const features = new FeatureCache(options.featureCache);

  return async (batch) => {
    const endTimer = metrics.batchDuration.startTimer();
    metrics.consumed.inc({ topic: batch.topic }, batch.messages.length);
    for (let delay = retry.initialMs; ; delay = Math.min(delay * 2, retry.maxMs)) {
      let unstored: DecidedOrders | undefined;
      try {
        unstored = await decide(options, features, batch);
        const decided = unstored.batch;
        const endStore = metrics.batchPhase.startTimer({ phase: 'store' });
        const stored = await storeDecidedBatch(options.database, decided);
        unstored = undefined;
        metrics.stored.inc({ path: stored.path });
        endStore();
        if (decided.rejected.length > 0) {
          const endDeadLetter = metrics.batchPhase.startTimer({ phase: 'dead_letter' });
          await options.deadLetters.send(
            deadLetterTopic,
            decided.rejected.map((row) => ({
              key: row.message_key,
              value: Buffer.from(row.payload, row.payload_encoding),
              headers: {
                'x-error-kind': row.error_kind,
                'x-error': JSON.stringify(row.error),
                'x-source': `${row.topic}/${row.partition}/${row.offset}`,
              },
            })),
          );
          for (const row of decided.rejected) metrics.rejected.inc({ kind: row.error_kind });
          endDeadLetter();
          logger.warn({ partition: batch.partition, rejected: decided.rejected.length }, 'dead-lettered invalid messages');
        }
        const now = Date.now();
        for (const message of batch.messages) metrics.commitLatency.observe((now - message.timestamp) / 1000);
        options.onStored?.(batch.messages, now);
        endTimer();
        return;
      } catch (error) {
        unstored?.forget();
        if (!batch.isRunning()) throw error;
        metrics.storeRetries.inc();
        logger.error({ err: error, partition: batch.partition, retryInMs: delay }, 'batch failed; pausing this partition and retrying');
        await sleep(delay);
        await batch.heartbeat().catch(() => undefined);
      }
    }
  };
}
