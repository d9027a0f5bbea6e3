import { addDays, businessTimeZone, datesBetween, dateIn, dayBounds, parseLogicalDate, parseTimeZone, previousBusinessDay } from './logical-date.js';

const iso = ({ start, end }: { start: Date; end: Date }) => [start.toISOString(), end.toISOString()];

describe('dayBounds', () => {
  it('gives Jakarta days as 17:00 UTC the evening before to 17:00 UTC', () => {
    expect(iso(dayBounds('2026-03-10', 'Asia/Jakarta'))).toEqual(['2026-03-09T17:00:00.000Z', '2026-03-10T17:00:00.000Z']);
  });

  it('crosses month and year ends', () => {
    expect(iso(dayBounds('2026-01-01', 'Asia/Jakarta'))).toEqual(['2025-12-31T17:00:00.000Z', '2026-01-01T17:00:00.000Z']);
    expect(iso(dayBounds('2024-02-29', 'UTC'))).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
  });

  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long', () => {
    expect(iso(dayBounds('2026-03-08', 'America/New_York'))).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(iso(dayBounds('2026-11-01', 'America/New_York'))).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
  });

  it('starts a day whose midnight was skipped at the end of the gap, and one whose midnight came twice at the first', () => {
    // Sao Paulo skipped 2018-11-04 00:00-01:00 and repeated 2019-02-16 23:00-24:00.
    expect(iso(dayBounds('2018-11-04', 'America/Sao_Paulo'))).toEqual(['2018-11-04T03:00:00.000Z', '2018-11-05T02:00:00.000Z']);
    expect(iso(dayBounds('2019-02-16', 'America/Sao_Paulo'))).toEqual(['2019-02-16T02:00:00.000Z', '2019-02-17T03:00:00.000Z']);
  });

  it('handles zones east of UTC with half-hour offsets and DST', () => {
    expect(iso(dayBounds('2026-04-05', 'Australia/Adelaide'))).toEqual(['2026-04-04T13:30:00.000Z', '2026-04-05T14:30:00.000Z']);
  });
});

describe('dateIn and previousBusinessDay', () => {
  it('reads the business date of an instant, not its UTC date', () => {
    expect(dateIn(new Date('2026-03-09T17:00:00Z'), 'Asia/Jakarta')).toBe('2026-03-10');
    expect(dateIn(new Date('2026-03-09T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2026-03-09');
  });

  it('is yesterday in the business zone', () => {
    expect(previousBusinessDay(new Date('2026-03-10T18:30:00Z'), 'Asia/Jakarta')).toBe('2026-03-10');
    expect(previousBusinessDay(new Date('2026-03-10T16:30:00Z'), 'Asia/Jakarta')).toBe('2026-03-09');
    expect(previousBusinessDay(new Date('2026-01-01T00:30:00Z'), 'UTC')).toBe('2025-12-31');
  });
});

describe('parsing and ranges', () => {
  it('accepts calendar dates and names the bad value otherwise', () => {
    expect(parseLogicalDate('2024-02-29')).toBe('2024-02-29');
    expect(() => parseLogicalDate('2026-02-29')).toThrow("invalid logical date '2026-02-29': no such day in the calendar");
    expect(() => parseLogicalDate('2026-3-1')).toThrow("invalid logical date '2026-3-1': expected a calendar date YYYY-MM-DD");
    expect(() => parseLogicalDate('yesterday', 'start date')).toThrow("invalid start date 'yesterday'");
    expect(() => dayBounds('2026-13-01', 'UTC')).toThrow("'2026-13-01'");
  });

  it('validates time zones by name', () => {
    expect(parseTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(() => parseTimeZone('Mars/Olympus')).toThrow("invalid time zone 'Mars/Olympus'");
    expect(businessTimeZone({})).toBe('Asia/Jakarta');
    expect(businessTimeZone({ BUSINESS_TZ: 'Asia/Makassar' })).toBe('Asia/Makassar');
    expect(() => businessTimeZone({ BUSINESS_TZ: 'WIB' })).toThrow("invalid time zone 'WIB'");
  });

  it('lists dates inclusively across month ends and refuses reversed ranges', () => {
    expect(datesBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(datesBetween('2026-01-01', '2026-01-01')).toEqual(['2026-01-01']);
    expect(() => datesBetween('2026-01-02', '2026-01-01')).toThrow("invalid date range '2026-01-02'..'2026-01-01'");
    expect(() => datesBetween('2026-01-01', '2026-01-32')).toThrow("invalid end date '2026-01-32'");
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
});
