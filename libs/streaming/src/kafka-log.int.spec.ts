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
});
