// Seeded randomness: every generator draws from its own seeded faker instance, never from Math.random.
import { Faker, base, en, id_ID } from '@faker-js/faker';

export type CatalogLocale = 'id_ID' | 'en';

export function seededFaker(seed: number, locale: CatalogLocale = 'en'): Faker {
  const faker = new Faker({ locale: locale === 'id_ID' ? [id_ID, en, base] : [en, base] });
  faker.seed(seed);
  return faker;
}

/** An inclusive integer range with a relative weight, e.g. seed A's "50% of quantities are 1–100". */
export interface WeightedRange {
  weight: number;
  min: number;
  max: number;
}

/** Picks a range by weight, then a whole number uniformly inside it. */
export function intFromRanges(faker: Faker, ranges: readonly WeightedRange[]): number {
  const range = faker.helpers.weightedArrayElement(ranges.map((value) => ({ weight: value.weight, value })));
  return faker.number.int({ min: range.min, max: range.max });
}

export function randomBytes(faker: Faker, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => faker.number.int(255));
}

/** Picks items in proportion to their weights in O(log n), for sets too large to scan on every draw. */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  readonly totalWeight: number;

  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    let total = 0;
    for (const item of items) {
      total += Math.max(0, weightOf(item));
      this.cumulative.push(total);
    }
    this.totalWeight = total;
  }

  pick(faker: Faker): T {
    if (!(this.totalWeight > 0)) throw new Error('cannot pick from an empty or zero-weight set');
    const target = faker.number.float({ min: 0, max: this.totalWeight });
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.cumulative[middle] ?? 0) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}

/** A catalog id such as `U000042`: a prefix and a zero-padded sequence number, so ids from later runs never collide. */
export function sequenceId(prefix: string, index: number, digits: number): string {
  return `${prefix}${String(index).padStart(digits, '0')}`;
}
