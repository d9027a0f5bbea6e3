import { requireService, type ServiceName } from '@fraudline/testing';
import { randomUUID } from 'node:crypto';
import type { LogMessage } from './event-log.js';
import { KafkaLog } from './kafka-log.js';

const brokersVariable: Record<'kafka' | 'kafka4', string> = { kafka: 'KAFKA_BROKERS', kafka4: 'KAFKA4_BROKERS' };

describe.each(['kafka', 'kafka4'] as const)('kafkajs against a real broker (%s)', (service: ServiceName & ('kafka' | 'kafka4')) => {
  let log: KafkaLog;

  beforeAll(async () => {
    const env = await requireService(service);
    const brokers = env[brokersVariable[service]]!.split(',');
    log = new KafkaLog({ brokers, clientId: `smoke-${service}` });
    const versionVariable = service === 'kafka' ? 'KAFKA_VERSION' : 'KAFKA4_VERSION';
    const cluster = await log.describeCluster();
    console.log(`${service}: Apache Kafka ${process.env[versionVariable] ?? '(version not reported)'} at ${brokers.join(',')}, cluster ${cluster.clusterId}`);
  });
  afterAll(() => log?.close());

  it('produces 1,000 keyed messages to 3 partitions and consumes them all, in order per key, with a consumer group', async () => {
    const topic = `smoke-${randomUUID()}`;
    await log.ensureTopic(topic, 3);
    const producer = await log.producer();
    const messages = Array.from({ length: 1000 }, (_, seq) => ({ key: `user-${seq % 37}`, value: JSON.stringify({ seq }) }));
    for (let i = 0; i < messages.length; i += 250) await producer.send(topic, messages.slice(i, i + 250));
    await producer.disconnect();

    const consumer = log.consumer({ groupId: `smoke-${randomUUID()}`, topic });
    const seen: LogMessage[] = [];
    const allSeen = new Promise<void>((resolve) => {
      void consumer.start(async (batch) => {
        seen.push(...batch.messages);
        if (seen.length >= messages.length) resolve();
      });
    });
    await allSeen;
    await consumer.stop();

    expect(seen).toHaveLength(1000);
    expect(new Set(seen.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
    const seqsByKey = new Map<string, number[]>();
    for (const message of seen) seqsByKey.set(message.key!, [...(seqsByKey.get(message.key!) ?? []), JSON.parse(message.value!.toString()).seq]);
    expect(seqsByKey.size).toBe(37);
    for (const seqs of seqsByKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await consumer.lag()).toBe(0);
  });

  /** Rejects after `ms`, naming what did not happen; the timer is cleared either way so it keeps nothing alive. */
  async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)))]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('lets each partition advance on its own: a batch held on one partition does not hold up the next fetch of another', async () => {
    const topic = `independent-${randomUUID()}`;
    await log.ensureTopic(topic, 2);
    const producer = log.kafka.producer();
    await producer.connect();
    const sendTo = (partition: number, value: string) => producer.send({ topic, messages: [{ partition, value }] });
    await sendTo(0, 'held');
    await sendTo(1, 'first');

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sawSecond!: () => void;
    const second = new Promise<void>((resolve) => (sawSecond = resolve));
    const onPartitionOne: string[] = [];
    const consumer = log.consumer({ groupId: `independent-${randomUUID()}`, topic });
    await consumer.start(async (batch) => {
      if (batch.partition === 0) return held;
      onPartitionOne.push(...batch.messages.map((message) => message.value!.toString()));
      // Produced only once the first is handled, so it can only arrive in a later fetch.
      if (onPartitionOne.length === 1) await sendTo(1, 'second');
      if (onPartitionOne.includes('second')) sawSecond();
    });
    try {
      await within(20_000, 'partition 1 did not get its second message while partition 0 was held', second);
    } finally {
      release();
      await consumer.stop();
      await producer.disconnect();
    }
    expect(onPartitionOne).toEqual(['first', 'second']);
    expect(await consumer.lag()).toBe(0);
  });

  it('reads a batch again when its handler fails, and commits only what was handled', async () => {
    const topic = `redeliver-${randomUUID()}`;
    await log.ensureTopic(topic, 1);
    const producer = await log.producer();
    const values = Array.from({ length: 10 }, (_, i) => `m${i}`);
    await producer.send(
      topic,
      values.map((value) => ({ key: null, value })),
    );
    await producer.disconnect();

    let failures = 0;
    const handled: string[] = [];
    let done!: () => void;
    const allHandled = new Promise<void>((resolve) => (done = resolve));
    const consumer = log.consumer({ groupId: `redeliver-${randomUUID()}`, topic, maxBatchSize: 4 });
    await consumer.start(async (batch) => {
      if (failures === 0 && batch.messages.some((message) => message.value!.toString() === 'm5')) {
        failures += 1;
        throw new Error('handler failed once');
      }
      handled.push(...batch.messages.map((message) => message.value!.toString()));
      if (new Set(handled).size === values.length) done();
    });
    try {
      await within(30_000, 'every message was not handled', allHandled);
    } finally {
      await consumer.stop();
    }
    expect(failures).toBe(1);
    expect([...new Set(handled)].sort()).toEqual(values);
    expect(await consumer.lag()).toBe(0);
  }, 60_000);
});
