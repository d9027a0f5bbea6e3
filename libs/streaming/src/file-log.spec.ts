import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogMessage, MessageBatch } from './event-log.js';
import { CorruptLogError, FileLog } from './file-log.js';

const TOPIC = 'orders';

async function consumeAll(log: FileLog, groupId: string, expected: number, onBatch?: (batch: MessageBatch) => Promise<void>): Promise<LogMessage[]> {
  const seen: LogMessage[] = [];
  const consumer = log.consumer({ groupId, topic: TOPIC, maxBatchSize: 7 });
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.start(async (batch) => {
    await onBatch?.(batch);
    seen.push(...batch.messages);
    if (seen.length >= expected) resolveDone();
  });
  await Promise.race([done, consumer.done]);
  await consumer.stop();
  return seen;
}

describe('file-backed topic log', () => {
  let dir: string;
  let log: FileLog;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fraudline-log-'));
    log = new FileLog({ dir, pollMs: 5 });
    await log.ensureTopic(TOPIC, 3);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function produce(count: number, from = 0): Promise<void> {
    const producer = await log.producer();
    const messages = Array.from({ length: count }, (_, i) => ({ key: `U${(from + i) % 10}`, value: JSON.stringify({ seq: from + i }) }));
    await producer.send(TOPIC, messages);
    await producer.disconnect();
  }

  it('delivers every message once, keeps per-key order, and spreads keys over partitions', async () => {
    await produce(300);
    const seen = await consumeAll(log, 'g1', 300);
    expect(seen).toHaveLength(300);
    const byKey = new Map<string, number[]>();
    for (const message of seen) byKey.set(message.key!, [...(byKey.get(message.key!) ?? []), JSON.parse(message.value!.toString()).seq]);
    for (const seqs of byKey.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seen.map((m) => m.partition)).size).toBeGreaterThan(1);
    expect(await log.consumer({ groupId: 'g1', topic: TOPIC }).lag()).toBe(0);
    expect(await log.consumer({ groupId: 'other', topic: TOPIC }).lag()).toBe(300);
  });

  it('resumes a group from its committed offsets after a restart', async () => {
    await produce(50);
    expect(await consumeAll(log, 'g1', 50)).toHaveLength(50);
    await produce(20, 50);
    const second = await consumeAll(log, 'g1', 20);
    expect(second.map((m) => JSON.parse(m.value!.toString()).seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 50 + i));
  });

  it('redelivers a batch whose handler failed, because nothing was committed', async () => {
    await produce(5);
    const consumer = log.consumer({ groupId: 'g1', topic: TOPIC });
    await consumer.start(async () => {
      throw new Error('database down');
    });
    await expect(consumer.done).rejects.toThrow('database down');
    expect(await consumer.lag()).toBe(5);
    expect(await consumeAll(log, 'g1', 5)).toHaveLength(5);
  });

  it('never reads a torn last line as an event, and the next producer cuts it off', async () => {
    await produce(10);
    const partitionFile = join(dir, TOPIC, 'p0.jsonl');
    const before = await readFile(partitionFile, 'utf8');
    await appendFile(partitionFile, '{"o":"99","k":"U1","v":"eyJzZXEiOj');
    const seen = await consumeAll(log, 'g1', 10);
    expect(seen).toHaveLength(10);
    await produce(1, 100);
    const after = await readFile(partitionFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(
      after
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line)),
    ).toBe(true);
  });

  it('keeps arbitrary bytes exactly', async () => {
    const producer = await log.producer();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    await producer.send(TOPIC, [{ key: 'k', value: bytes, headers: { source: 'test' } }]);
    const [message] = await consumeAll(log, 'g1', 1);
    expect(message?.value).toEqual(bytes);
    expect(message?.headers).toEqual({ source: 'test' });
  });

  it('names the file and suggests --fresh when offsets are corrupt', async () => {
    await produce(1);
    await consumeAll(log, 'g1', 1);
    await writeFile(join(dir, TOPIC, 'groups', 'g1.json'), '{broken');
    const consumer = log.consumer({ groupId: 'g1', topic: TOPIC });
    await expect(consumer.start(async () => undefined)).rejects.toThrow(CorruptLogError);
    await expect(consumer.lag()).rejects.toThrow(/g1\.json.*--fresh/);
  });
});
