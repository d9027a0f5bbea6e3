// Keeps a producer a few items ahead of its consumer, so the source database keeps rendering rows while the warehouse loads the ones before.
/** Iterates `source` with up to `depth` items fetched before they are asked for; errors surface in order. */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<T>>[] = [];
  const refill = () => {
    while (pending.length < depth) {
      const next = iterator.next();
      // Awaited later, in order; until then a failure must not count as unhandled.
      next.catch(() => undefined);
      pending.push(next);
    }
  };
  try {
    refill();
    for (;;) {
      const result = await (pending.shift() as Promise<IteratorResult<T>>);
      if (result.done) return;
      refill();
      yield result.value;
    }
  } finally {
    await iterator.return?.();
  }
}
