// The event log on Apache Kafka through kafkajs: idempotent producer, consumer groups, offsets committed only after the handler.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type EachBatchPayload, type KafkaConfig, type Producer } from 'kafkajs';
import {
  DEFAULT_CONCURRENT_PARTITIONS,
  type BatchHandler,
  type ConsumerOptions,
  type EventLog,
  type EventLogConsumer,
  type EventLogProducer,
  type OutgoingMessage,
} from './event-log.js';

export interface KafkaLogOptions {
  brokers: string[];
  clientId?: string;
  /** TLS to the brokers: true for the system's certificate authorities, or tls.connect options (ca, cert, key as PEM). */
  ssl?: KafkaConfig['ssl'];
  /** SASL authentication, e.g. { mechanism: 'scram-sha-512', username, password }. */
  sasl?: KafkaConfig['sasl'];
}

function headersToStrings(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = (Array.isArray(value) ? value.join(',') : value).toString();
  }
  return out;
}

/**
 * How long a consumer's stop() waits for what needs the broker: the batches in flight to be committed, then leaving
 * the group. kafkajs' disconnect() waits for every request in flight, and with the broker down it retries LeaveGroup;
 * after a broker restart kafkajs may be rejoining as a new member, and the coordinator holds that JoinGroup until the
 * member from before the restart times out (the 30 s session). Cutting either short loses nothing: a batch not
 * committed is read again (storing is idempotent), and the broker drops the member when its session expires. Half of
 * the 8 s a process has to stop (DEFAULT_SHUTDOWN_TIMEOUT_MS), leaving the rest for the other clients and the database.
 */
export const CONSUMER_STOP_WAIT_MS = 4_000;

/** True once `work` resolves (its error is thrown) before `deadline` (epoch ms); false if the deadline comes first. */
async function settlesBefore(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the broker serves a topic it has just created. kafkajs' createTopics({ waitForLeaders }) retries only
 * LEADER_NOT_AVAILABLE, but a KRaft broker may first answer UNKNOWN_TOPIC_OR_PARTITION, which would fail the caller
 * (the subscriber at start-up) although the topic is there a moment later.
 */
async function topicServed(admin: Admin, topic: string, timeoutMs = 10_000): Promise<void> {
  const notYet = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      if (topics[0]?.partitions.every((partition) => partition.leader >= 0)) return;
    } catch (error) {
      if (!notYet.has((error as { type?: string }).type ?? '') || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no leader ${timeoutMs} ms after it was created`);
  }
}

class KafkaConsumer implements EventLogConsumer {
  private readonly consumer: Consumer;
  /**
   * Per partition, the batch last started (settled once handled and committed, or given up): the partition's next batch
   * starts only after it, and stop() waits for all of them so their offsets are committed before leaving the group.
   */
  private readonly handling = new Map<number, Promise<void>>();
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly admin: () => Promise<Admin>,
    private readonly options: ConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      // stop() waits for the fetch in flight before leaving the group: a 1 s long poll (kafkajs: 5 s) leaves in time.
      maxWaitTimeInMs: 1_000,
      // kafkajs restarts a crashed consumer by itself; once stopping, a join that ends after disconnect() crashes it
      // again and must not schedule another start (kafkajs#1639: it would consume after stop).
      retry: { retries: 10, restartOnFailure: async () => !this.stopping },
    });
  }

  /**
   * kafkajs fetches again only once every batch of the last fetch has returned from eachBatch, so one slow partition
   * would hold up the others, and this process would idle while the database stores. Instead, eachBatch waits only for
   * the same partition's previous batch, starts this one and returns: the next fetch overlaps with the work, each
   * partition advances on its own, and its batches are still handled one at a time in offset order. Offsets are
   * committed only after the handler resolves; the fetch position moves on at once (resolveOffset, never committed
   * by itself because autoCommit is off), and a batch the handler fails is fetched again by seeking back to it.
   */
  async start(handler: BatchHandler): Promise<void> {
    const { topic, fromBeginning = true } = this.options;
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrentPartitions ?? DEFAULT_CONCURRENT_PARTITIONS,
      eachBatch: async (payload) => {
        const { partition, messages } = payload.batch;
        await this.handling.get(partition);
        // Stopping, or the previous batch failed and seeked back: this one is fetched again later.
        if (this.stopping || payload.isStale() || messages.length === 0) return;
        const work = this.handleBatch(payload, handler).catch((error: Error) =>
          this.consumer
            .logger()
            .error('batch not handled; it is read again unless the partition is leaving', { topic: payload.batch.topic, partition, error: error.message }),
        );
        this.handling.set(partition, work);
        payload.resolveOffset(messages[messages.length - 1]!.offset);
      },
    });
  }

  private async handleBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const maxBatchSize = this.options.maxBatchSize;
    const all = batch.messages;
    const running = () => isRunning() && !isStale() && !this.stopping;
    for (let from = 0; from < all.length && running(); from += maxBatchSize ?? all.length) {
      const slice = all.slice(from, from + (maxBatchSize ?? all.length));
      try {
        await handler({
          topic: batch.topic,
          partition: batch.partition,
          heartbeat,
          isRunning: running,
          messages: slice.map((message) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers: headersToStrings(message.headers),
            timestamp: Number(message.timestamp),
          })),
        });
      } catch (error) {
        // Not handled, so not committed: unless the consumer is leaving the partition anyway, read it again from here.
        if (running()) this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: slice[0]!.offset });
        throw error;
      }
      const last = slice[slice.length - 1]!.offset;
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat();
    }
  }

  /** Waits for the batches in flight and leaves the group, for at most CONSUMER_STOP_WAIT_MS in all. */
  async stop(): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + CONSUMER_STOP_WAIT_MS;
    const logger = this.consumer.logger();
    const { groupId, topic } = this.options;
    if (!(await settlesBefore(Promise.all(this.handling.values()), deadline))) {
      logger.warn('stopping with batches in flight; they are read again', { groupId, topic, waitedMs: CONSUMER_STOP_WAIT_MS });
    }
    const disconnecting = this.consumer.disconnect();
    if (await settlesBefore(disconnecting, deadline)) return;
    disconnecting.catch(() => undefined);
    logger.warn('stopped without the broker confirming (it is down, or holds a rejoin); the group drops this member when its session expires', {
      groupId,
      waitedMs: CONSUMER_STOP_WAIT_MS,
    });
  }

  async lag(): Promise<number> {
    const admin = await this.admin();
    const { topic, groupId } = this.options;
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedBy = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset === '-1' ? '0' : p.offset)]));
    return ends.reduce((sum, end) => sum + Number(BigInt(end.high) - (committedBy.get(end.partition) ?? BigInt(end.low))), 0);
  }
}

export class KafkaLog implements EventLog {
  readonly kind = 'kafka' as const;
  readonly kafka: Kafka;
  private adminClient: Promise<Admin> | undefined;

  constructor({ brokers, clientId = 'fraudline', ssl, sasl }: KafkaLogOptions) {
    this.kafka = new Kafka({ clientId, brokers, ssl, sasl, logLevel: logLevel.WARN, retry: { retries: 8, initialRetryTime: 200 } });
  }

  private admin = (): Promise<Admin> => {
    this.adminClient ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.adminClient;
  };

  async ensureTopic(topic: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
    const admin = await this.admin();
    if ((await admin.listTopics()).includes(topic)) return;
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: false });
    await topicServed(admin, topic);
  }

  async producer(): Promise<EventLogProducer> {
    const producer: Producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return {
      async send(topic: string, messages: OutgoingMessage[]) {
        if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
      },
      disconnect: () => producer.disconnect(),
    };
  }

  consumer(options: ConsumerOptions): EventLogConsumer {
    return new KafkaConsumer(this.kafka, this.admin, options);
  }

  /** The broker's software version as reported by the cluster (via DescribeConfigs is not exposed; API versions tell the generation). */
  async describeCluster(): Promise<{ brokers: number; controller: number | null; clusterId: string }> {
    const admin = await this.admin();
    const { brokers, controller, clusterId } = await admin.describeCluster();
    return { brokers: brokers.length, controller, clusterId };
  }

  async close(): Promise<void> {
    if (this.adminClient) await (await this.adminClient).disconnect();
    this.adminClient = undefined;
  }
}
