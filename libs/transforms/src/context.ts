// Builds the context a model's SQL function is called with: relation names, the interval and the dialect's helpers.
import type { SqlDialect } from './dialect.js';
import { RAW_SOURCES, type ModelContext, type RawSource } from './model.js';

/** A run's business-date interval `[start, end)`, both `YYYY-MM-DD`. */
export interface Interval {
  start: string;
  end: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function assertInterval(interval: Interval): Interval {
  for (const date of [interval.start, interval.end]) {
    if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new Error(`invalid interval date '${date}': expected YYYY-MM-DD`);
  }
  if (interval.start >= interval.end) throw new Error(`empty interval [${interval.start}, ${interval.end}): start must be before end`);
  return interval;
}

export interface ContextOptions {
  dialect: SqlDialect;
  tz: string;
  /** Set for an incremental update; a full build selects everything. */
  interval?: Interval;
  /** Quoted relation of a model; throws for an unknown one. */
  ref: (model: string) => string;
  /** Quoted relation of a raw table. */
  rawTable: (table: RawSource) => string;
  /** The run's as-of TIMESTAMP expression (see `asOfExpression`). */
  asOf: string;
}

/** `YYYY-MM-DD HH:MM:SS.mmm+00`: timestamp text both engines cast without a `T` separator. */
const timestampText = (instant: Date) => instant.toISOString().replace('T', ' ').replace('Z', '+00');

/** Parses an as-of instant given as a Date or as ISO 8601 text with an offset. */
export function parseAsOf(asOf: Date | string): Date {
  const instant = typeof asOf === 'string' ? new Date(asOf) : asOf;
  if (Number.isNaN(instant.getTime()) || (typeof asOf === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(asOf))) {
    throw new Error(`invalid as-of instant '${String(asOf)}': expected an ISO 8601 timestamp with an offset, e.g. 2024-03-31T17:00:00Z`);
  }
  return instant;
}

/**
 * A run's as-of instant as SQL: the given instant; else the start of the interval's (exclusive) end date in `tz`, i.e.
 * the end of the last day the run covers; else, for a full build without an interval, the current time.
 */
export function asOfExpression(dialect: SqlDialect, tz: string, interval?: Interval, asOf?: Date | string): string {
  if (asOf !== undefined) return dialect.typedLiteral(timestampText(parseAsOf(asOf)), 'timestamp');
  if (interval) return dialect.startOfDayIn(dialect.typedLiteral(interval.end, 'date'), tz);
  return dialect.currentTimestamp();
}

export function createModelContext({ dialect, tz, interval, ref, rawTable, asOf }: ContextOptions): ModelContext {
  const start = interval && dialect.typedLiteral(interval.start, 'date');
  const end = interval && dialect.typedLiteral(interval.end, 'date');
  return {
    ...dialect,
    ref,
    source: (layer, table) => {
      if (layer !== 'raw' || !(RAW_SOURCES as readonly string[]).includes(table)) {
        throw new Error(`unknown source '${layer}.${table}': expected raw.${RAW_SOURCES.join(', raw.')}`);
      }
      return rawTable(table);
    },
    tz,
    start,
    end,
    inInterval: (expression) => (start && end ? `(${expression} >= ${start} AND ${expression} < ${end})` : 'TRUE'),
    asOf,
    hourIn: (timestamp, zone = tz) => dialect.hourIn(timestamp, zone),
    dateIn: (timestamp, zone = tz) => dialect.dateIn(timestamp, zone),
    datetimeIn: (timestamp, zone = tz) => dialect.datetimeIn(timestamp, zone),
    startOfDayIn: (date, zone = tz) => dialect.startOfDayIn(date, zone),
  };
}
