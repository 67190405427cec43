import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  calendarPeriod,
  formatDuration,
  parseDuration,
  parseWindow,
  rangeSeconds,
  timeSeconds,
  windowAt,
  windowSeconds,
} from './windows';

describe('durations', () => {
  test.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['4w', 2_419_200],
    ['30d', 2_592_000],
    ['12d3h4m5s', 12 * 86400 + 3 * 3600 + 4 * 60 + 5],
  ])('%s is %d s and formats back', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(parseDuration(formatDuration(seconds))).toBe(seconds);
  });
  test.each([
    [0, '0s'],
    [59, '59s'],
    [300, '5m'],
    [90_000, '1d1h'],
    [2_419_200, '28d'],
    [1_045_445, '12d2h24m5s'],
  ])('formatDuration(%d) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
  test.each(['', '5', '5 m', '1y', 'm5', '5m '])('"%s" is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });
  test('fractional seconds are refused', () => {
    expect(() => formatDuration(1.5)).toThrow(/whole/);
  });
});

describe('windows', () => {
  test.each([
    ['30d', { kind: 'rolling', seconds: 2_592_000 }, 2_592_000],
    ['28d', { kind: 'rolling', seconds: 2_419_200 }, 2_419_200],
    ['4w', { kind: 'rolling', seconds: 2_419_200 }, 2_419_200],
    ['12h', { kind: 'rolling', seconds: 43_200 }, 43_200],
    ['week', { kind: 'calendar', period: 'week' }, 604_800],
    ['month', { kind: 'calendar', period: 'month' }, 2_592_000],
    ['quarter', { kind: 'calendar', period: 'quarter' }, 7_776_000],
  ])('%s', (window, parsed, seconds) => {
    expect(parseWindow(window)).toEqual(parsed);
    expect(windowSeconds(window)).toBe(seconds);
  });
  test.each(['0d', '30m', 'year', '30'])('"%s" is refused', (window) => {
    expect(() => parseWindow(window)).toThrow(/window/);
  });
});

describe('calendarPeriod', () => {
  test.each([
    // Berlin is UTC+1 in winter, UTC+2 in summer: a period starts at local midnight.
    [
      'month',
      'Europe/Berlin',
      '2026-03-15T12:00:00Z',
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ],
    ['month', 'UTC', '2026-02-28T23:59:59Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['month', 'UTC', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    // 2026-11-29 is a Sunday: the ISO week began Monday the 23rd.
    ['week', 'UTC', '2026-11-29T09:00:00Z', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    // 07:30 UTC Monday is 23:30 Sunday in Los Angeles: still the week that began on the 23rd.
    [
      'week',
      'America/Los_Angeles',
      '2026-11-30T07:30:00Z',
      '2026-11-23T08:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
    ],
    ['quarter', 'UTC', '2026-11-29T09:00:00Z', '2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['quarter', 'Asia/Tokyo', '2026-03-31T15:30:00Z', '2026-03-31T15:00:00.000Z', '2026-06-30T15:00:00.000Z'],
  ] as const)('%s in %s at %s', (period, zone, at, start, end) => {
    const range = calendarPeriod(period, zone, new Date(at));
    expect(range.start.toISOString()).toBe(start);
    expect(range.end.toISOString()).toBe(end);
  });
  test('an unknown zone is refused', () => {
    expect(() => calendarPeriod('month', 'Mars/Olympus', new Date(0))).toThrow(/time zone/);
  });
});

describe('windowAt', () => {
  const at = new Date('2026-11-29T09:30:00Z');
  test('a rolling window ends at the instant', () => {
    const w = windowAt('30d', 'UTC', at);
    expect(w.elapsed.start.toISOString()).toBe('2026-10-30T09:30:00.000Z');
    expect(w.elapsed.end).toBe(at);
    expect(w.period).toEqual(w.elapsed);
    expect(rangeSeconds(w.elapsed)).toBe(2_592_000);
  });
  test('a calendar window has elapsed since the start of its period', () => {
    const w = windowAt('month', 'UTC', at);
    expect(w.elapsed.start.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(w.period.end.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(rangeSeconds(w.elapsed)).toBe(28 * 86400 + 9 * 3600 + 30 * 60);
  });
  test('timeSeconds keeps milliseconds', () => {
    expect(timeSeconds(new Date('2026-11-29T09:30:00.250Z'))).toBe(
      Date.UTC(2026, 10, 29, 9, 30) / 1000 + 0.25,
    );
  });
});

describe('properties', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/Los_Angeles',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/Santiago',
  ];
  const instant = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2040-01-01T00:00:00Z'),
    noInvalidDate: true,
  });

  test('a calendar period contains its instant, starts at local midnight and meets the next one', () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...zones),
        fc.constantFrom('week', 'month', 'quarter' as const),
        (at, zone, period) => {
          const range = calendarPeriod(period, zone, at);
          expect(range.start.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(range.end.getTime()).toBeGreaterThan(at.getTime());
          const local = DateTime.fromJSDate(range.start, { zone });
          // a zone whose clocks skip midnight starts the day at the first instant after it
          expect(local.toFormat('HH:mm') === '00:00' || local.minus({ minutes: 1 }).day !== local.day).toBe(
            true,
          );
          expect(calendarPeriod(period, zone, range.end).start).toEqual(range.end);
        },
      ),
    );
  });

  test('durations format back to the same seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds);
      }),
    );
  });
});
