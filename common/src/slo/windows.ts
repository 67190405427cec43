// SLO windows and Prometheus durations: rolling (30d, 4w, 12h) and calendar (week, month, quarter in a
// time zone). Every function takes the instant it reasons about; nothing here reads the clock.
import { DateTime } from 'luxon';

const UNIT_SECONDS = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const FORMAT_UNITS: Unit[] = ['d', 'h', 'm', 's'];

/**
 * Durations already parsed: the same few (`5m`, `1h`, `30d`) are parsed thousands of times when the
 * status of a hundred SLOs is built. Bounded, as calendar ranges (`12d3h4m5s`) keep changing.
 */
const parsedDurations = new Map<string, number>();
const PARSED_DURATIONS_KEPT = 1000;

/** Seconds in a Prometheus duration made of w/d/h/m/s parts, e.g. `5m`, `1h30m`, `4w`. */
export function parseDuration(text: string): number {
  const known = parsedDurations.get(text);
  if (known !== undefined) return known;
  const parts = [...text.matchAll(/(\d+)([wdhms])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`"${text}" is not a duration: use digits with w, d, h, m or s, e.g. 5m, 1h30m, 30d`);
  }
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2] as Unit], 0);
  if (parsedDurations.size < PARSED_DURATIONS_KEPT) parsedDurations.set(text, seconds);
  return seconds;
}

/** The shortest Prometheus duration for whole seconds: 300 → `5m`, 90000 → `1d1h`, 0 → `0s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`a duration needs whole, non-negative seconds, got ${seconds}`);
  }
  let rest = seconds;
  let out = '';
  for (const unit of FORMAT_UNITS) {
    const n = Math.floor(rest / UNIT_SECONDS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_SECONDS[unit];
  }
  return out || '0s';
}

export type CalendarPeriod = 'week' | 'month' | 'quarter';
export type ParsedWindow =
  { kind: 'rolling'; seconds: number } | { kind: 'calendar'; period: CalendarPeriod };

/**
 * Lengths a calendar window is budgeted with where one fixed number is needed (alert factors in
 * static rules): a week is 7d, a month 30d, a quarter 90d.
 */
export const CALENDAR_NOMINAL_SECONDS: Record<CalendarPeriod, number> = {
  week: 7 * 86_400,
  month: 30 * 86_400,
  quarter: 90 * 86_400,
};

export function parseWindow(window: string): ParsedWindow {
  if (window === 'week' || window === 'month' || window === 'quarter') {
    return { kind: 'calendar', period: window };
  }
  if (!/^\d+[hdw]$/.test(window)) {
    throw new Error(
      `window "${window}" must be a rolling duration like 30d, 28d, 4w, 12h, or week|month|quarter`,
    );
  }
  const seconds = parseDuration(window);
  if (seconds === 0) throw new Error(`window "${window}" must be longer than zero`);
  return { kind: 'rolling', seconds };
}

/** Window length for budgeting: exact for rolling windows, nominal for calendar ones. */
export function windowSeconds(window: string): number {
  const parsed = parseWindow(window);
  return parsed.kind === 'rolling' ? parsed.seconds : CALENDAR_NOMINAL_SECONDS[parsed.period];
}

export interface TimeRange {
  start: Date;
  end: Date;
}

/** The calendar period [start, end) that contains `at`, starting at midnight in `timeZone` (weeks start Monday). */
export function calendarPeriod(period: CalendarPeriod, timeZone: string, at: Date): TimeRange {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) throw new Error(`time zone "${timeZone}" is not a known IANA zone`);
  const start = local.startOf(period);
  const end = start.plus(
    period === 'week' ? { weeks: 1 } : period === 'month' ? { months: 1 } : { quarters: 1 },
  );
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/**
 * The part of the SLO window that has happened by `at`: rolling windows end at `at`; calendar
 * windows run from the start of the current period to `at` (the budget is judged on what has
 * elapsed). `period` is the whole window: for rolling windows the same range.
 */
export function windowAt(
  window: string,
  timeZone: string,
  at: Date,
): { elapsed: TimeRange; period: TimeRange } {
  const parsed = parseWindow(window);
  if (parsed.kind === 'rolling') {
    const range = { start: new Date(at.getTime() - parsed.seconds * 1000), end: at };
    return { elapsed: range, period: range };
  }
  const period = calendarPeriod(parsed.period, timeZone, at);
  return { elapsed: { start: period.start, end: at }, period };
}

/** Whole seconds of a range, the form a PromQL range selector takes (`[<n>s]`). */
export function rangeSeconds(range: TimeRange): number {
  return Math.floor((range.end.getTime() - range.start.getTime()) / 1000);
}

/** A Date as the Prometheus HTTP API's `time`/`start`/`end` parameter (Unix seconds, ms precision). */
export function timeSeconds(at: Date): number {
  return at.getTime() / 1000;
}
