// Which partitions are failing and since when, so a partition that stops moving shows in /readyz and in metrics.

export interface StuckPartition {
  /** `topic/partition`. */
  partition: string;
  failingMs: number;
}

export class PartitionHealth {
  private readonly failingSince = new Map<string, number>();

  /** The partition's batch failed; the first failure of a run of them starts the clock. */
  failed(partition: string, nowMs = Date.now()): void {
    if (!this.failingSince.has(partition)) this.failingSince.set(partition, nowMs);
  }

  /** The partition's batch was handled, or the partition is no longer this consumer's. */
  recovered(partition: string): void {
    this.failingSince.delete(partition);
  }

  get failing(): number {
    return this.failingSince.size;
  }

  /** Partitions whose batch has kept failing for longer than `maxMs`. */
  stuck(maxMs: number, nowMs = Date.now()): StuckPartition[] {
    return [...this.failingSince].map(([partition, since]) => ({ partition, failingMs: nowMs - since })).filter(({ failingMs }) => failingMs > maxMs);
  }
}
