// The embedded event log: a topic is a folder, a partition is an append-only JSONL file, group offsets are files renamed into place.
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  partitionForKey,
  type BatchHandler,
  type ConsumerOptions,
  type EventLog,
  type EventLogConsumer,
  type EventLogProducer,
  type LogMessage,
  type OutgoingMessage,
} from './event-log.js';

/** One stored record; the value is base64 so any bytes, even invalid UTF-8, are kept exactly. */
interface StoredRecord {
  o: string;
  k: string | null;
  v: string;
  h?: Record<string, string>;
  t: number;
}

interface PartitionPosition {
  /** Next offset to read. */
  offset: number;
  /** Byte position of that offset in the partition file. */
  position: number;
}

export class CorruptLogError extends Error {
  override readonly name = 'CorruptLogError';
}

const NEWLINE = 0x0a;

function partitionFile(topicDir: string, partition: number): string {
  return join(topicDir, `p${partition}.jsonl`);
}

/** Offset of the end of the last complete line; anything after it is a torn write from a crash. */
function completeLength(content: Buffer): number {
  return content.lastIndexOf(NEWLINE) + 1;
}

function countLines(content: Buffer, from = 0, to = content.length): number {
  let lines = 0;
  for (let i = content.indexOf(NEWLINE, from); i !== -1 && i < to; i = content.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

async function writeAtomically(path: string, data: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

class FileProducer implements EventLogProducer {
  private readonly partitions = new Map<string, { handles: FileHandle[]; next: number[] }>();

  constructor(private readonly log: FileLog) {}

  /** Opens a topic's partitions for append, cutting off a torn last line left by a crash. */
  private async openTopic(topic: string) {
    const existing = this.partitions.get(topic);
    if (existing) return existing;
    const { dir, partitions } = await this.log.topicMeta(topic);
    const handles: FileHandle[] = [];
    const next: number[] = [];
    for (let partition = 0; partition < partitions; partition++) {
      const path = partitionFile(dir, partition);
      const content = existsSync(path) ? await readFile(path) : Buffer.alloc(0);
      const complete = completeLength(content);
      const handle = await open(path, 'a+');
      if (complete < content.length) await handle.truncate(complete);
      handles.push(handle);
      next.push(countLines(content, 0, complete));
    }
    const opened = { handles, next };
    this.partitions.set(topic, opened);
    return opened;
  }

  async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const { handles, next } = await this.openTopic(topic);
    const chunks = new Map<number, string[]>();
    const now = Date.now();
    for (const message of messages) {
      const partition = message.key === null ? Math.floor(Math.random() * handles.length) : partitionForKey(topic, message.key, handles.length);
      const offset = next[partition]!;
      next[partition] = offset + 1;
      const record: StoredRecord = { o: String(offset), k: message.key, v: Buffer.from(message.value).toString('base64'), t: now };
      if (message.headers) record.h = message.headers;
      const lines = chunks.get(partition) ?? [];
      lines.push(`${JSON.stringify(record)}\n`);
      chunks.set(partition, lines);
    }
    for (const [partition, lines] of chunks) {
      const handle = handles[partition]!;
      await handle.write(lines.join(''));
      await handle.datasync();
    }
  }

  async disconnect(): Promise<void> {
    for (const { handles } of this.partitions.values()) for (const handle of handles) await handle.close();
    this.partitions.clear();
  }
}

class FileConsumer implements EventLogConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly log: FileLog,
    private readonly options: ConsumerOptions,
    private readonly pollMs: number,
  ) {}

  private async committed(): Promise<{ path: string; positions: PartitionPosition[] }> {
    const { dir, partitions } = await this.log.topicMeta(this.options.topic);
    await mkdir(join(dir, 'groups'), { recursive: true });
    const path = join(dir, 'groups', `${encodeURIComponent(this.options.groupId)}.json`);
    const fresh = Array.from({ length: partitions }, () => ({ offset: 0, position: 0 }));
    if (!existsSync(path)) return { path, positions: fresh };
    try {
      const stored = JSON.parse(await readFile(path, 'utf8')) as PartitionPosition[];
      return { path, positions: fresh.map((position, partition) => stored[partition] ?? position) };
    } catch (error) {
      throw new CorruptLogError(`consumer offsets in ${path} are unreadable (${(error as Error).message}); start over with --fresh`);
    }
  }

  /** Reads up to maxBatchSize complete records of one partition from `from`. */
  private async readBatch(dir: string, partition: number, from: PartitionPosition): Promise<{ messages: LogMessage[]; end: PartitionPosition }> {
    const path = partitionFile(dir, partition);
    if (!existsSync(path)) return { messages: [], end: from };
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size - from.position, 8 * 1024 * 1024);
      if (length <= 0) return { messages: [], end: from };
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, from.position);
      const messages: LogMessage[] = [];
      let cursor = 0;
      const limit = this.options.maxBatchSize ?? 1000;
      while (messages.length < limit) {
        const newline = buffer.indexOf(NEWLINE, cursor);
        if (newline === -1) break;
        const line = buffer.subarray(cursor, newline).toString('utf8');
        let record: StoredRecord;
        try {
          record = JSON.parse(line) as StoredRecord;
        } catch {
          throw new CorruptLogError(`${path} has an unreadable record at byte ${from.position + cursor}; start over with --fresh`);
        }
        messages.push({
          topic: this.options.topic,
          partition,
          offset: record.o,
          key: record.k,
          value: Buffer.from(record.v, 'base64'),
          headers: record.h ?? {},
          timestamp: record.t,
        });
        cursor = newline + 1;
      }
      return { messages, end: { offset: from.offset + messages.length, position: from.position + cursor } };
    } finally {
      await handle.close();
    }
  }

  async start(handler: BatchHandler): Promise<void> {
    const { dir } = await this.log.topicMeta(this.options.topic);
    const { path, positions } = await this.committed();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let delivered = 0;
        for (let partition = 0; partition < positions.length && this.running; partition++) {
          const { messages, end } = await this.readBatch(dir, partition, positions[partition]!);
          if (messages.length === 0) continue;
          await handler({ topic: this.options.topic, partition, messages, heartbeat: async () => undefined, isRunning: () => this.running });
          positions[partition] = end;
          await writeAtomically(path, JSON.stringify(positions));
          delivered += messages.length;
        }
        if (delivered === 0 && this.running)
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, this.pollMs);
          });
      }
    })();
    this.loop.catch(() => undefined);
  }

  /** Resolves when the loop has stopped; rejects with the handler's error if it failed. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  async lag(): Promise<number> {
    const { dir } = await this.log.topicMeta(this.options.topic);
    const { positions } = await this.committed();
    let lag = 0;
    for (const [partition, { position }] of positions.entries()) {
      const path = partitionFile(dir, partition);
      if (existsSync(path)) lag += countLines(await readFile(path), position);
    }
    return lag;
  }

  /** The consumer loop's outcome, for callers that wait on it (e.g. to surface a handler failure). */
  get done(): Promise<void> | undefined {
    return this.loop;
  }
}

export interface FileLogOptions {
  dir: string;
  pollMs?: number;
}

export class FileLog implements EventLog {
  readonly kind = 'file' as const;
  constructor(private readonly options: FileLogOptions) {}

  async topicMeta(topic: string): Promise<{ dir: string; partitions: number }> {
    const dir = join(this.options.dir, encodeURIComponent(topic));
    const metaPath = join(dir, 'topic.json');
    if (!existsSync(metaPath)) throw new Error(`topic ${topic} does not exist in ${this.options.dir}`);
    try {
      return { dir, partitions: (JSON.parse(await readFile(metaPath, 'utf8')) as { partitions: number }).partitions };
    } catch (error) {
      throw new CorruptLogError(`${metaPath} is unreadable (${(error as Error).message}); start over with --fresh`);
    }
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    const dir = join(this.options.dir, encodeURIComponent(topic));
    if (existsSync(join(dir, 'topic.json'))) return;
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'topic.json'), JSON.stringify({ partitions }));
  }

  async producer(): Promise<EventLogProducer> {
    return new FileProducer(this);
  }

  consumer(options: ConsumerOptions): EventLogConsumer & { readonly done: Promise<void> | undefined } {
    return new FileConsumer(this, options, this.options.pollMs ?? 25);
  }

  async close(): Promise<void> {
    return undefined;
  }
}
