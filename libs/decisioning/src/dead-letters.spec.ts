import type { RejectedEvent } from '@fraudline/db';
import type { EventLogProducer, OutgoingMessage } from '@fraudline/streaming';
import { publishDeadLetters } from './dead-letters.js';

/** A producer that refuses, as a broker does, any send whose bytes exceed the topic's limit. */
function limitedProducer(maxBytes: number): EventLogProducer & { sends: OutgoingMessage[][] } {
  const sends: OutgoingMessage[][] = [];
  return {
    sends,
    async send(_topic, messages) {
      const bytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.value) + JSON.stringify(m.headers ?? {}).length, 0);
      if (bytes > maxBytes) throw Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE', code: 10 });
      sends.push(messages);
    },
    disconnect: async () => undefined,
  };
}

const rejected = (offset: number, bytes: number): RejectedEvent => ({
  topic: 'orders',
  partition: 0,
  offset: String(offset),
  message_key: 'k',
  payload: 'a'.repeat(bytes),
  payload_encoding: 'utf8',
  error_kind: 'oversized',
  error: [{ field: '', message: `message is ${bytes} bytes` }],
});

describe('publishDeadLetters', () => {
  it('splits the rejections of a batch into sends the topic accepts', async () => {
    const producer = limitedProducer(300_000);
    const rows = [rejected(1, 200_000), rejected(2, 200_000), rejected(3, 10), rejected(4, 10)];
    await expect(publishDeadLetters(producer, 'orders.dlq', rows)).resolves.toBe(0);
    expect(producer.sends.map((send) => send.map((m) => m.headers!['x-source']))).toEqual([['orders/0/1'], ['orders/0/2', 'orders/0/3', 'orders/0/4']]);
  });

  it('sends a pointer to the kept row in place of a message the topic can never accept', async () => {
    const producer = limitedProducer(100_000);
    await expect(publishDeadLetters(producer, 'orders.dlq', [rejected(7, 900_000), rejected(8, 10)])).resolves.toBe(1);
    const sent = producer.sends.flat();
    expect(sent.map((m) => m.headers!['x-source'])).toEqual(['orders/0/7', 'orders/0/8']);
    expect(sent[0]!.headers!['x-payload']).toBe('omitted');
    expect(JSON.parse(String(sent[0]!.value))).toMatchObject({ rejectedEvent: { table: 'raw.rejected_events', topic: 'orders', partition: 0, offset: '7' } });
    expect(String(sent[1]!.value)).toBe('a'.repeat(10));
  });

  it('throws any other send error for the caller to retry', async () => {
    const producer: EventLogProducer = { send: async () => Promise.reject(new Error('broker down')), disconnect: async () => undefined };
    await expect(publishDeadLetters(producer, 'orders.dlq', [rejected(1, 10)])).rejects.toThrow('broker down');
  });
});
