// The event log port: what producers and consumers need from a partitioned, replayable log, whichever engine holds it.
import { Partitioners } from 'kafkajs';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export interface LogMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit; they travel as decimal strings. */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker or log append time, epoch milliseconds. */
  timestamp: number;
}

export interface MessageBatch {
  topic: string;
  partition: number;
  messages: LogMessage[];
  /** Keeps the group membership alive during long work such as retries (a no-op where there is no group). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping; long retries should give up and let the batch be redelivered. */
  isRunning(): boolean;
}

/** Handles one batch; when it resolves, the batch's offsets are committed. When it throws, nothing is committed. */
export type BatchHandler = (batch: MessageBatch) => Promise<void>;

/**
 * True when the log refused a send because a message (or the record batch holding it) is larger than the topic
 * allows: sending the same bytes again fails the same way. Kafka answers MESSAGE_TOO_LARGE (10) or
 * RECORD_LIST_TOO_LARGE (18); kafkajs may wrap the answer in another error.
 */
export function isMessageTooLarge(error: unknown): boolean {
  for (let e = error as { type?: unknown; code?: unknown; cause?: unknown; originalError?: unknown } | undefined; e;) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
    e = (e.cause ?? e.originalError) as typeof e;
  }
  return false;
}

export interface EventLogProducer {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Partitions a consumer handles at once unless told otherwise. */
export const DEFAULT_CONCURRENT_PARTITIONS = 3;

export interface ConsumerOptions {
  groupId: string;
  topic: string;
  /** Start from the earliest offset when the group has no committed offset (default true). */
  fromBeginning?: boolean;
  maxBatchSize?: number;
  /**
   * Partitions handled at once (Kafka). Keys never span partitions, so one key's messages stay in order; work on
   * different partitions overlaps, which keeps the database busy while this process decodes the next batch.
   */
  concurrentPartitions?: number;
}

export interface EventLogConsumer {
  /** Starts consuming; resolves once the consumer is running. */
  start(handler: BatchHandler): Promise<void>;
  /** Finishes the batch in flight, commits it, and disconnects. */
  stop(): Promise<void>;
  /** Messages not yet committed by this group, summed over partitions. */
  lag(): Promise<number>;
}

export interface EventLog {
  readonly kind: 'kafka' | 'file';
  /** Creates the topic if it is missing; `configs` are topic settings such as max.message.bytes (Kafka only). */
  ensureTopic(topic: string, partitions: number, configs?: Record<string, string>): Promise<void>;
  producer(): Promise<EventLogProducer>;
  consumer(options: ConsumerOptions): EventLogConsumer;
  close(): Promise<void>;
}

const kafkaPartitioner = Partitioners.DefaultPartitioner();

/** Picks a partition the way Kafka's default partitioner does (murmur2 of the key), so keys land alike in both logs. */
export function partitionForKey(topic: string, key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    partitionErrorCode: 0,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));
  return kafkaPartitioner({ topic, partitionMetadata, message: { key, value: null } });
}
