// The event log on Apache Kafka through kafkajs: idempotent producer, consumer groups, offsets committed only after the handler.
import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
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
}

function headersToStrings(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = (Array.isArray(value) ? value.join(',') : value).toString();
  }
  return out;
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
    this.consumer = kafka.consumer({ groupId: options.groupId, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 64 * 1024 * 1024, retry: { retries: 10 } });
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

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.handling.values());
    await this.consumer.disconnect();
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

  constructor({ brokers, clientId = 'fraudline' }: KafkaLogOptions) {
    this.kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN, retry: { retries: 8, initialRetryTime: 200 } });
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
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: true });
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
