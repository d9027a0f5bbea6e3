import { DecisionClock } from './decision-clock.js';

describe('DecisionClock', () => {
  it('follows the wall clock in microseconds', () => {
    const clock = new DecisionClock(() => 1_700_000_000_123);
    expect(clock.next()).toBe(1_700_000_000_123_000);
  });

  it('strictly increases within one millisecond and when the wall clock steps back', () => {
    let now = 2_000;
    const clock = new DecisionClock(() => now);
    const first = clock.next();
    const second = clock.next();
    now = 1_000;
    const third = clock.next();
    now = 5_000;
    const fourth = clock.next();
    expect([first, second, third, fourth]).toEqual([2_000_000, 2_000_001, 2_000_002, 5_000_000]);
  });
});
