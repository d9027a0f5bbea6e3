import { decodeOrderPlaced } from '@fraudline/events';
import { generateOrders, generateMerchants, generateProducts, generateUsers } from '@fraudline/generators';
import type { EventLogProducer, OutgoingMessage } from '@fraudline/streaming';
import { publishOrders } from './publish-orders.js';

function recordingProducer(): EventLogProducer & { sent: { topic: string; messages: OutgoingMessage[] }[] } {
  const sent: { topic: string; messages: OutgoingMessage[] }[] = [];
  return { sent, send: async (topic, messages) => void sent.push({ topic, messages }), disconnect: async () => undefined };
}

const catalog = {
  users: generateUsers({ seed: 1, count: 20 }).users,
  products: generateProducts({ seed: 1, count: 10 }),
  merchants: generateMerchants({ seed: 1, count: 3 }),
};

describe('publishOrders', () => {
  it('sends exactly count orders in batches, keyed by user, each decodable', async () => {
    const orders = generateOrders({ seed: 5, catalog, count: 1234, from: new Date('2026-11-20T00:00:00+07:00'), to: new Date('2026-11-21T00:00:00+07:00') });
    const producer = recordingProducer();
    const progress: number[] = [];
    const result = await publishOrders({ producer, nextOrder: () => orders.shift(), count: 1000, batchSize: 300, onProgress: (p) => progress.push(p.sent) });
    expect(result.sent).toBe(1000);
    expect(progress).toEqual([300, 600, 900, 1000]);
    const messages = producer.sent.flatMap((batch) => batch.messages);
    expect(producer.sent.every((batch) => batch.topic === 'orders')).toBe(true);
    for (const message of messages) {
      const decoded = decodeOrderPlaced(Buffer.from(message.value));
      expect(decoded.ok && decoded.event.userId).toBe(message.key);
    }
  });

  it('holds a requested rate instead of bursting', async () => {
    const orders = generateOrders({ seed: 6, catalog, count: 200, from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') });
    const result = await publishOrders({ producer: recordingProducer(), nextOrder: () => orders.shift(), count: 200, ratePerSecond: 400 });
    expect(result.sent).toBe(200);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(450);
  });

  it('stops when the source runs dry or the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await publishOrders({ producer: recordingProducer(), nextOrder: () => undefined })).sent).toBe(0);
    const orders = generateOrders({ seed: 7, catalog, count: 10, from: new Date('2026-11-20T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') });
    expect((await publishOrders({ producer: recordingProducer(), nextOrder: () => orders.shift(), signal: controller.signal })).sent).toBe(0);
  });
});
