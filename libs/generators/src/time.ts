// Event time: RFC 3339 timestamps with an explicit offset, Jakarta wall-clock hours, and a diurnal density to draw order times from.
import type { Faker } from '@faker-js/faker';
import { WeightedPicker } from './random.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The clock catalog generators use when the caller gives none, so such calls stay reproducible. */
export const DEFAULT_CATALOG_DATE: Readonly<Date> = new Date('2026-01-01T00:00:00.000Z');

export type TimeZoneName = 'Asia/Jakarta' | 'UTC';

/** Jakarta has no daylight saving, so a fixed offset is exact. */
const JAKARTA_OFFSET_MS = 7 * HOUR_MS;

/** `2026-11-21T02:15:00.123+07:00` in Jakarta, `2026-11-20T19:15:00.123Z` in UTC. */
export function formatTimestamp(ms: number, timeZone: TimeZoneName): string {
  const utc = new Date(ms).toISOString();
  return timeZone === 'UTC' ? utc : `${new Date(ms + JAKARTA_OFFSET_MS).toISOString().slice(0, -1)}+07:00`;
}

export function jakartaHour(ms: number): number {
  return new Date(ms + JAKARTA_OFFSET_MS).getUTCHours();
}

/** Relative order volume per Jakarta hour (index 0 = 00:00–00:59): quiet before dawn, a lunch bump, an evening peak. */
export const DIURNAL_HOURLY_WEIGHTS: readonly number[] = [
  0.5, 0.3, 0.2, 0.15, 0.2, 0.35, 0.6, 0.8, 1.0, 1.1, 1.2, 1.3, 1.4, 1.3, 1.2, 1.1, 1.1, 1.2, 1.3, 1.5, 1.7, 1.6, 1.3, 0.9,
];

/** Every hour equally likely, as in seed A. */
export const FLAT_HOURLY_WEIGHTS: readonly number[] = Array.from({ length: 24 }, () => 1);

export function assertHourlyWeights(weights: readonly number[]): void {
  if (weights.length !== 24 || weights.some((w) => !Number.isFinite(w) || w < 0) || !weights.some((w) => w > 0)) {
    throw new Error('hourlyWeights must be 24 finite, non-negative numbers (Jakarta hours 0–23) with at least one above zero');
  }
}

interface HourSegment {
  start: number;
  end: number;
  weight: number;
  hour: number;
}

export interface TimeFilter {
  /** Only Jakarta hours for which this holds. */
  hours?: (jakartaHour: number) => boolean;
  /** Only instants strictly before this epoch millisecond. */
  before?: number;
}

/** The half-open span [from, to) cut at hour boundaries, each piece weighted by its length and its hour's weight. */
export class TimeWindow {
  private readonly segments: HourSegment[] = [];
  private readonly picker: WeightedPicker<HourSegment>;

  constructor(
    readonly from: number,
    readonly to: number,
    hourlyWeights: readonly number[],
  ) {
    if (!(to > from)) throw new Error(`time window must end after it starts: [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`);
    for (let start = from; start < to; ) {
      const end = Math.min((Math.floor(start / HOUR_MS) + 1) * HOUR_MS, to);
      const hour = jakartaHour(start);
      this.segments.push({ start, end, hour, weight: (end - start) * (hourlyWeights[hour] ?? 0) });
      start = end;
    }
    this.picker = new WeightedPicker(this.segments, (segment) => segment.weight);
  }

  /** An instant drawn from the whole window's density. */
  sample(faker: Faker): number {
    return instantIn(faker, this.picker.pick(faker));
  }

  /** An instant drawn from the density restricted by the filter, or undefined when nothing is left. */
  sampleWhere(faker: Faker, filter: TimeFilter): number | undefined {
    const before = Math.min(filter.before ?? this.to, this.to);
    const allowed = this.segments
      .filter((segment) => segment.start < before && (filter.hours?.(segment.hour) ?? true))
      .map((segment) => {
        const end = Math.min(segment.end, before);
        return { ...segment, end, weight: segment.weight * ((end - segment.start) / (segment.end - segment.start)) };
      });
    const picker = new WeightedPicker(allowed, (segment) => segment.weight);
    return picker.totalWeight > 0 ? instantIn(faker, picker.pick(faker)) : undefined;
  }
}

function instantIn(faker: Faker, segment: HourSegment): number {
  return faker.number.int({ min: segment.start, max: segment.end - 1 });
}
