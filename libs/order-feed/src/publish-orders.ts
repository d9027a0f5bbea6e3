// Publishes orders to the event log at a steady rate, in batches, keyed by user so one user's orders stay in order.
import { encodeOrderPlaced, orderMessageKey, ORDERS_TOPIC, type OrderPlacedV1Input } from '@fraudline/events';
import type { EventLogProducer } from '@fraudline/streaming';

export interface PublishProgress {
  sent: number;
  elapsedMs: number;
}

export interface PublishOptions {
  producer: EventLogProducer;
  /** Where orders come from; returning undefined ends the run. */
  nextOrder: () => OrderPlacedV1Input | undefined;
  topic?: string;
  /** Stop after this many orders. */
  count?: number;
  /** Stop after this long. */
  durationMs?: number;
  /** Orders per second; unset or 0 publishes as fast as the log accepts. */
  ratePerSecond?: number;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: PublishProgress) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends until count, duration, the order source or the abort signal ends it; returns how many were sent. */
export async function publishOrders(options: PublishOptions): Promise<PublishProgress> {
  const { producer, nextOrder, topic = ORDERS_TOPIC, count = Infinity, durationMs = Infinity, ratePerSecond = 0, signal, onProgress } = options;
  const batchSize = options.batchSize ?? (ratePerSecond > 0 ? Math.max(1, Math.min(500, Math.round(ratePerSecond / 20))) : 500);
  const started = Date.now();
  let sent = 0;
  while (sent < count && Date.now() - started < durationMs && !signal?.aborted) {
    const batch: OrderPlacedV1Input[] = [];
    while (batch.length < Math.min(batchSize, count - sent)) {
      const order = nextOrder();
      if (!order) break;
      batch.push(order);
    }
    if (batch.length === 0) break;
    await producer.send(
      topic,
      batch.map((order) => ({ key: orderMessageKey(order), value: encodeOrderPlaced(order) })),
    );
    sent += batch.length;
    onProgress?.({ sent, elapsedMs: Date.now() - started });
    if (ratePerSecond > 0) {
      const dueMs = (sent / ratePerSecond) * 1000 - (Date.now() - started);
      if (dueMs > 0) await sleep(dueMs);
    }
  }
  return { sent, elapsedMs: Date.now() - started };
}
