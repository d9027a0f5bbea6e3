// Timestamps carry their offset and order times follow the hourly density.
import { seededFaker } from './random.js';
import { DIURNAL_HOURLY_WEIGHTS, FLAT_HOURLY_WEIGHTS, formatTimestamp, HOUR_MS, jakartaHour, TimeWindow } from './time.js';

describe('formatTimestamp', () => {
  const instant = Date.parse('2026-11-20T19:15:00.123Z');

  it('writes Jakarta wall-clock time with its +07:00 offset', () => {
    expect(formatTimestamp(instant, 'Asia/Jakarta')).toBe('2026-11-21T02:15:00.123+07:00');
    expect(Date.parse(formatTimestamp(instant, 'Asia/Jakarta'))).toBe(instant);
  });

  it('writes UTC with Z', () => {
    expect(formatTimestamp(instant, 'UTC')).toBe('2026-11-20T19:15:00.123Z');
  });

  it('reads the Jakarta hour', () => {
    expect(jakartaHour(instant)).toBe(2);
  });
});

describe('TimeWindow', () => {
  const from = Date.parse('2026-03-01T00:00:00+07:00');
  const to = from + 7 * 24 * HOUR_MS;

  it('samples inside [from, to) with fewer draws at night than in the evening', () => {
    const faker = seededFaker(1);
    const window = new TimeWindow(from, to, DIURNAL_HOURLY_WEIGHTS);
    const perHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const at = window.sample(faker);
      expect(at >= from && at < to).toBe(true);
      perHour[jakartaHour(at)]! += 1;
    }
    expect(perHour[3]! * 5).toBeLessThan(perHour[20]!);
  });

  it('honours hour and upper-bound filters, and reports when nothing is left', () => {
    const faker = seededFaker(2);
    const window = new TimeWindow(from, to, FLAT_HOURLY_WEIGHTS);
    for (let i = 0; i < 500; i++) {
      const night = window.sampleWhere(faker, { hours: (hour) => hour < 5 });
      expect(jakartaHour(night!)).toBeLessThan(5);
      const early = window.sampleWhere(faker, { before: from + HOUR_MS });
      expect(early! >= from && early! < from + HOUR_MS).toBe(true);
    }
    const midday = new TimeWindow(Date.parse('2026-03-01T12:00:00+07:00'), Date.parse('2026-03-01T13:00:00+07:00'), FLAT_HOURLY_WEIGHTS);
    expect(midday.sampleWhere(faker, { hours: (hour) => hour < 5 })).toBeUndefined();
  });

  it('rejects an empty window', () => {
    expect(() => new TimeWindow(from, from, FLAT_HOURLY_WEIGHTS)).toThrow();
  });
});
