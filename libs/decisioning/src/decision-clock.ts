// The order in which one subscriber decides orders, as a number a backtest can sort on to replay the same features.

/**
 * A hybrid clock in microseconds since the epoch: wall-clock time, but strictly increasing within the process even
 * when many orders are decided in one millisecond or the wall clock steps back. Values of different processes
 * interleave roughly by wall-clock time. Stays below 2^53 until the year 2255.
 */
export class DecisionClock {
  #last = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  next(): number {
    this.#last = Math.max(this.#last + 1, Math.floor(this.nowMs() * 1000));
    return this.#last;
  }
}
