import { readAhead } from './read-ahead.js';

describe('readAhead', () => {
  it('keeps order and runs the source ahead by at most `depth` items', async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 6; i += 1) {
        produced += 1;
        yield i;
      }
    }
    const seen: [number, number][] = [];
    for await (const item of readAhead(source(), 3)) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push([item, produced]);
    }
    expect(seen.map(([item]) => item)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.every(([item, count]) => count - item <= 4)).toBe(true);
    expect(seen.some(([item, count]) => count - item > 1)).toBe(true);
  });

  it('surfaces a source failure in order, after the items before it', async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('source broke');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source(), 4)) seen.push(item);
      })(),
    ).rejects.toThrow('source broke');
    expect(seen).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; ; i += 1) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const item of readAhead(source(), 2)) if (item === 3) break;
    expect(closed).toBe(true);
  });
});
