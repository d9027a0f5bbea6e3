// Logical dates: a load for day D means D on the business calendar, whenever the job runs and whatever the server's zone.

export const DEFAULT_BUSINESS_TZ = 'Asia/Jakarta';

/** A calendar date `YYYY-MM-DD`, validated by parseLogicalDate. */
export type LogicalDate = string;

export interface DayBounds {
  /** First instant of D in the zone (inclusive). */
  start: Date;
  /** First instant of D+1 in the zone (exclusive). */
  end: Date;
}

const DAY_MS = 86_400_000;

export function parseLogicalDate(value: string, what = 'logical date'): LogicalDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`invalid ${what} '${value}': expected a calendar date YYYY-MM-DD`);
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`invalid ${what} '${value}': no such day in the calendar`);
  }
  return value;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new RangeError(`invalid time zone '${timeZone}': expected an IANA name such as ${DEFAULT_BUSINESS_TZ}`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Checks an IANA time zone name and returns it. */
export function parseTimeZone(timeZone: string): string {
  formatterFor(timeZone);
  return timeZone;
}

/** The business time zone from `BUSINESS_TZ`, defaulting to Asia/Jakarta. */
export function businessTimeZone(env: Record<string, string | undefined> = process.env): string {
  return parseTimeZone(env['BUSINESS_TZ'] || DEFAULT_BUSINESS_TZ);
}

/** Wall-clock time of `instant` in the zone, read as if it were UTC (milliseconds dropped). */
function wallClockMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
  return Date.UTC(parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
}

function offsetAt(instant: number, timeZone: string): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000;
  return wallClockMs(wholeSecond, timeZone) - wholeSecond;
}

/**
 * First instant whose wall-clock time in the zone is local midnight of `date`. When a DST change makes midnight
 * happen twice, the earlier one; when midnight is skipped, the end of the gap (the first instant of that day).
 */
function startOfDay(date: LogicalDate, timeZone: string): number {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const offsetBefore = offsetAt(midnight - DAY_MS, timeZone);
  const offsetAfter = offsetAt(midnight + DAY_MS, timeZone);
  const candidates = [midnight - offsetBefore, midnight - offsetAfter].filter((instant) => wallClockMs(instant, timeZone) === midnight);
  return candidates.length > 0 ? Math.min(...candidates) : midnight - offsetBefore;
}

export function addDays(date: LogicalDate, days: number): LogicalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The half-open UTC interval `[D 00:00, D+1 00:00)` of business day D in `timeZone`. */
export function dayBounds(date: LogicalDate, timeZone: string): DayBounds {
  parseLogicalDate(date);
  return { start: new Date(startOfDay(date, timeZone)), end: new Date(startOfDay(addDays(date, 1), timeZone)) };
}

/** The calendar date of `instant` in the zone. */
export function dateIn(instant: Date, timeZone: string): LogicalDate {
  return new Date(wallClockMs(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** H-1: yesterday on the business calendar, the default day of the daily load. */
export function previousBusinessDay(now: Date, timeZone: string): LogicalDate {
  return addDays(dateIn(now, timeZone), -1);
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: LogicalDate, to: LogicalDate): LogicalDate[] {
  parseLogicalDate(from, 'start date');
  parseLogicalDate(to, 'end date');
  if (to < from) throw new RangeError(`invalid date range '${from}'..'${to}': the end date is before the start date`);
  const dates: LogicalDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}
