import { PartitionHealth } from './partition-health.js';

describe('PartitionHealth', () => {
  it('counts a partition stuck from its first failure until it recovers', () => {
    const health = new PartitionHealth();
    health.failed('orders/0', 1_000);
    health.failed('orders/0', 5_000);
    health.failed('orders/1', 9_000);
    expect(health.failing).toBe(2);
    expect(health.stuck(10_000, 11_000)).toEqual([]);
    expect(health.stuck(10_000, 11_001)).toEqual([{ partition: 'orders/0', failingMs: 10_001 }]);
    health.recovered('orders/0');
    expect(health.stuck(10_000, 30_000)).toEqual([{ partition: 'orders/1', failingMs: 21_000 }]);
    health.recovered('orders/1');
    expect(health.failing).toBe(0);
  });
});
