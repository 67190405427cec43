// Expands a maintenance window's schedule (one-off, weekly days + time, or RFC 5545 RRULE with a
// local start) into occurrences: real instants in the window's time zone, correct across DST.
// End-early and extend adjustments replace an occurrence's end; callers pass them in.
import { DateTime } from 'luxon';
import { Frequency, Options, RRule, Weekday as RRuleWeekday } from 'rrule';
import type { Occurrence, Schedule } from '../api/maintenance-window';
import { instantToWallTime, wallTimeToInstant } from './zoned-time';

/** The fields of a window that decide when it is open. */
export interface SchedulableWindow {
  id: string;
  timeZone: string;
  schedule: Schedule;
}

/** A stored change to one occurrence's end, made by "end now" or "extend". */
export interface OccurrenceAdjustment {
  /** Start of the adjusted occurrence, as `Date.toISOString()` writes it. */
  occurrenceStart: string;
  end: string;
}

/** Guards against rules such as FREQ=HOURLY asked for a year at a time. */
export const MAX_OCCURRENCES_PER_EXPANSION = 10_000;

/**
 * Most silences one window holds on one target at once (its open occurrence and those starting within
 * the silencer's look-ahead): refused at write time beyond it, and the silencer places no more.
 */
export const MAX_SILENCES_PER_WINDOW = 100;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WEEKDAY: Record<string, RRuleWeekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

function floatingFromLocal(local: string): Date {
  const dt = DateTime.fromISO(local, { zone: 'UTC' });
  return new Date(dt.toMillis());
}

const parsedRules = new Map<string, Partial<Options>>();

/** Parsed RRULE options; memoised, since the silencer expands every window on every cycle. */
function parseRrule(text: string): Partial<Options> {
  let options = parsedRules.get(text);
  if (!options) {
    options = parseRruleText(text);
    if (parsedRules.size >= 10_000) parsedRules.clear();
    parsedRules.set(text, options);
  }
  return { ...options };
}

function parseRruleText(text: string): Partial<Options> {
  const body = text.trim().replace(/^RRULE:/i, '');
  const options = RRule.parseString(body);
  if (options.freq === undefined)
    throw new Error('FREQ is missing or unknown (use DAILY, WEEKLY, MONTHLY, ...)');
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value) && value.some((v) => v === undefined || Number.isNaN(v))) {
      throw new Error(`${key.toUpperCase()} has a value the RRULE grammar does not know`);
    }
    if (typeof value === 'number' && Number.isNaN(value))
      throw new Error(`${key.toUpperCase()} is not a number`);
  }
  if (options.until && Number.isNaN(options.until.getTime())) throw new Error('UNTIL is not a date-time');
  return options;
}

/** The rule producing floating wall times for a recurring schedule, anchored near `fromWall`. */
function ruleFor(schedule: Schedule, timeZone: string, fromWall: Date): RRule | null {
  if (schedule.kind === 'weekly') {
    const [hour, minute] = schedule.startTime.split(':').map(Number) as [number, number];
    const anchor = new Date(Math.floor(fromWall.getTime() / DAY_MS) * DAY_MS);
    return new RRule({
      freq: Frequency.WEEKLY,
      byweekday: schedule.days.map((d) => WEEKDAY[d] as RRuleWeekday),
      byhour: [hour],
      byminute: [minute],
      bysecond: [0],
      dtstart: anchor,
    });
  }
  if (schedule.kind === 'rrule') {
    const options = parseRrule(schedule.rrule);
    // RFC 5545: with a zoned DTSTART, an UNTIL ending in Z is a UTC instant; the rule runs on wall time.
    if (options.until && /UNTIL=\d{8}T\d{6}Z/i.test(schedule.rrule)) {
      options.until = instantToWallTime(options.until, timeZone);
    }
    return new RRule({
      ...options,
      dtstart: rebasedStart(options, floatingFromLocal(schedule.start), fromWall),
      tzid: null,
    });
  }
  return null;
}

const FIXED_PERIOD_MS: Partial<Record<Frequency, number>> = {
  [Frequency.WEEKLY]: 7 * DAY_MS,
  [Frequency.DAILY]: DAY_MS,
  [Frequency.HOURLY]: 60 * MINUTE_MS,
};

/**
 * rrule iterates from DTSTART on every call, so a daily rule started a year ago costs a year of
 * steps. In wall time these frequencies have fixed-length periods: moving DTSTART forward by whole
 * periods (INTERVAL × unit) yields the same occurrences, as long as COUNT does not count from it.
 */
function rebasedStart(options: Partial<Options>, dtstart: Date, fromWall: Date): Date {
  const unit = options.freq === undefined ? undefined : FIXED_PERIOD_MS[options.freq];
  if (unit === undefined || options.count) return dtstart;
  const period = unit * (options.interval ?? 1);
  const periods = Math.floor((fromWall.getTime() - dtstart.getTime()) / period) - 1;
  return periods > 0 ? new Date(dtstart.getTime() + periods * period) : dtstart;
}

/** Thrown from inside rrule's walk when it has gone through its budget of periods. */
class PeriodBudgetExceeded extends Error {}

/**
 * Reads of `interval` rrule may make in one walk, about two per period: a week-long chunk needs a few
 * hundred periods (MONTHLY or COUNT rules walk from their start), the write-time check up to a year.
 */
const CHUNK_INTERVAL_READS = 10_000;
const CHECK_INTERVAL_READS = 10_000;

/**
 * rrule walks period by period (hour, day, week, ...) until a period yields a date, as far as year
 * 9999: a rule that matches nothing (BYMONTH=2;BYMONTHDAY=30) walks millions of periods, for tens of
 * seconds. rrule reads `interval` once or twice per period, so counting those reads bounds the walk.
 * Returns the starts found (at most `limit`) and whether the budget ran out first.
 */
function boundedBetween(
  rule: RRule,
  after: Date,
  before: Date,
  limit: number,
  maxReads: number,
): { starts: Date[]; exhausted: boolean } {
  const options = rule.options;
  let reads = 0;
  const budgeted = Object.defineProperty({ ...options }, 'interval', {
    enumerable: true,
    get: () => {
      if (++reads > maxReads) throw new PeriodBudgetExceeded();
      return options.interval;
    },
  });
  const starts: Date[] = [];
  (rule as { options: typeof options }).options = budgeted;
  try {
    rule.between(after, before, true, (d, i) => {
      if (i >= limit) return false;
      starts.push(d);
      return true;
    });
    return { starts, exhausted: false };
  } catch (err) {
    if (err instanceof PeriodBudgetExceeded) return { starts, exhausted: true };
    throw err;
  } finally {
    (rule as { options: typeof options }).options = options;
  }
}

const CHUNK_MS = 7 * DAY_MS;
const CHUNK_CACHE_LIMIT = 50_000;
const chunks = new Map<string, number[]>();

/**
 * Wall-clock starts of a recurring schedule in [fromWall, toWall], in fixed week-long chunks
 * memoised per schedule: the silencer asks every window for nearly the same range every few
 * seconds, and rrule rebuilds its year tables on every call.
 */
function wallStarts(schedule: Schedule, timeZone: string, fromWall: number, toWall: number): number[] {
  const id = `${timeZone}|${JSON.stringify(schedule)}`;
  const out: number[] = [];
  for (let c = Math.floor(fromWall / CHUNK_MS); c * CHUNK_MS <= toWall; c++) {
    const key = `${id}|${c}`;
    let chunk = chunks.get(key);
    if (!chunk) {
      const start = new Date(c * CHUNK_MS);
      const end = new Date((c + 1) * CHUNK_MS);
      // A walk that runs out of budget (a rule with hardly any dates) keeps what it found.
      chunk = boundedBetween(
        ruleFor(schedule, timeZone, start) as RRule,
        start,
        end,
        MAX_OCCURRENCES_PER_EXPANSION,
        CHUNK_INTERVAL_READS,
      )
        .starts.map((d) => d.getTime())
        .filter((t) => t < end.getTime());
      if (chunks.size >= CHUNK_CACHE_LIMIT) chunks.clear();
      chunks.set(key, chunk);
    }
    for (const t of chunk) if (t >= fromWall && t <= toWall) out.push(t);
    if (out.length >= MAX_OCCURRENCES_PER_EXPANSION) return out.slice(0, MAX_OCCURRENCES_PER_EXPANSION);
  }
  return out;
}

function durationMs(schedule: Schedule): number {
  if (schedule.kind === 'once') return Date.parse(schedule.end) - Date.parse(schedule.start);
  return schedule.durationMinutes * MINUTE_MS;
}

/** Occurrences as scheduled (no adjustments) that overlap [from, to). */
function scheduled(window: SchedulableWindow, from: Date, to: Date): Occurrence[] {
  const { schedule, timeZone } = window;
  const length = durationMs(schedule);
  let starts: Date[];
  if (schedule.kind === 'once') {
    starts = [new Date(schedule.start)];
  } else {
    // Searching in wall time: widen by a day each side for the zone offset, and by the duration
    // so an occurrence that began before `from` and is still open is found.
    const fromWall = instantToWallTime(from, timeZone).getTime() - length - DAY_MS;
    const toWall = instantToWallTime(to, timeZone).getTime() + DAY_MS;
    starts = wallStarts(schedule, timeZone, fromWall, toWall).map((wall) =>
      wallTimeToInstant(new Date(wall), timeZone),
    );
  }
  return starts
    .map((start) => ({ start, end: new Date(start.getTime() + length) }))
    .filter(({ start, end }) => end > from && start < to)
    .map(({ start, end }) => ({ windowId: window.id, start: start.toISOString(), end: end.toISOString() }));
}

function adjust(occurrence: Occurrence, adjustment: OccurrenceAdjustment | undefined): Occurrence {
  if (!adjustment || adjustment.end === occurrence.end) return occurrence;
  const end = new Date(adjustment.end).toISOString();
  return {
    ...occurrence,
    end,
    scheduledEnd: occurrence.end,
    adjustment: end < occurrence.end ? 'ended-early' : 'extended',
  };
}

/**
 * Occurrences of `window` overlapping [from, to), sorted by start, with end-early and extend
 * adjustments applied (an occurrence ended before it began disappears).
 */
export function expandOccurrences(
  window: SchedulableWindow,
  from: Date,
  to: Date,
  adjustments: readonly OccurrenceAdjustment[] = [],
): Occurrence[] {
  const byStart = new Map(adjustments.map((a) => [new Date(a.occurrenceStart).toISOString(), a]));
  const found = scheduled(window, from, to);
  const seen = new Set(found.map((o) => o.start));
  // An extended occurrence may reach into [from, to) although its scheduled end does not.
  for (const start of byStart.keys()) {
    if (seen.has(start)) continue;
    const at = new Date(start);
    const match = scheduled(window, at, new Date(at.getTime() + 1)).find((o) => o.start === start);
    if (match) found.push(match);
  }
  return found
    .map((o) => adjust(o, byStart.get(o.start)))
    .filter((o) => o.end > o.start && new Date(o.end) > from && new Date(o.start) < to)
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** The occurrence open at `now` (if any) and those starting within `lookAheadMs` after it. */
export function currentAndUpcoming(
  window: SchedulableWindow,
  now: Date,
  lookAheadMs: number,
  adjustments: readonly OccurrenceAdjustment[] = [],
): Occurrence[] {
  return expandOccurrences(window, now, new Date(now.getTime() + lookAheadMs), adjustments);
}

/** The occurrence open at `now`, if any (the latest-starting one when occurrences overlap). */
export function currentOccurrence(
  window: SchedulableWindow,
  now: Date,
  adjustments: readonly OccurrenceAdjustment[] = [],
): Occurrence | undefined {
  const open = expandOccurrences(window, now, new Date(now.getTime() + 1), adjustments);
  return open[open.length - 1];
}

/** Occurrences of many windows in [from, to), sorted by start: what annotations show. */
export function occurrencesInRange(
  windows: readonly SchedulableWindow[],
  from: Date,
  to: Date,
  adjustmentsByWindow: ReadonlyMap<string, readonly OccurrenceAdjustment[]> = new Map(),
): Occurrence[] {
  return windows
    .flatMap((w) => expandOccurrences(w, from, to, adjustmentsByWindow.get(w.id) ?? []))
    .sort((a, b) => a.start.localeCompare(b.start) || a.windowId.localeCompare(b.windowId));
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * FREQ=HOURLY steps INTERVAL hours from the start, so it only reaches the hours of the day congruent to
 * the start's modulo gcd(INTERVAL, 24); rrule loops forever looking for any other BYHOUR.
 */
function unreachableHours(options: Partial<Options>, dtstart: Date): string | null {
  if (options.freq !== Frequency.HOURLY) return null;
  const byhour = options.byhour === undefined || options.byhour === null ? [] : [options.byhour].flat();
  if (byhour.length === 0) return null;
  const step = gcd(options.interval ?? 1, 24);
  const reached = (h: number) => (((h - dtstart.getUTCHours()) % step) + step) % step === 0;
  if (byhour.some(reached)) return null;
  return `BYHOUR=${byhour.join(',')} is never reached from a start at ${dtstart.getUTCHours()}:00 stepping every ${options.interval} hours`;
}

export interface ScheduleProblem {
  field: string;
  message: string;
}

/** What is wrong with a schedule beyond its shape (field path and fix), or null when it is usable. */
export function scheduleProblem(schedule: Schedule): ScheduleProblem | null {
  if (schedule.kind === 'once') {
    return Date.parse(schedule.end) > Date.parse(schedule.start)
      ? null
      : { field: 'schedule.end', message: 'end must be after start' };
  }
  if (schedule.kind === 'rrule') {
    if (!DateTime.fromISO(schedule.start, { zone: 'UTC' }).isValid) {
      return { field: 'schedule.start', message: 'not a calendar date and time, e.g. 2026-03-03T02:00' };
    }
    try {
      const options = parseRrule(schedule.rrule);
      if (options.dtstart)
        return { field: 'schedule.rrule', message: 'put the start in schedule.start, not DTSTART' };
      if (options.freq === Frequency.MINUTELY || options.freq === Frequency.SECONDLY) {
        return {
          field: 'schedule.rrule',
          message: 'a maintenance window recurs at most hourly: use FREQ=HOURLY or coarser',
        };
      }
      const unreachable = unreachableHours(options, floatingFromLocal(schedule.start));
      if (unreachable) return { field: 'schedule.rrule', message: unreachable };
      new RRule({ ...options, dtstart: floatingFromLocal(schedule.start) });
    } catch (err) {
      return { field: 'schedule.rrule', message: `not a valid RFC 5545 RRULE: ${(err as Error).message}` };
    }
  }
  return null;
}

/**
 * What the write-time recurrence check expands at most: the first year, or the first 500 occurrences
 * (three weeks of an hourly rule), enough to see how close and how dense a rule's occurrences come.
 */
const CHECK_OCCURRENCES = 500;
const CHECK_SPAN_MS = 400 * DAY_MS;
/** Weekly schedules have no start of their own; any Monday serves, the span covers both DST changes. */
const WEEKLY_CHECK_FROM = Date.UTC(2025, 0, 6);

function spelled(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} day(s)`;
  if (ms % MINUTE_MS === 0) return `${ms / MINUTE_MS} minute(s)`;
  return `${ms / 1000} s`;
}

/**
 * What a recurring schedule (already passing scheduleProblem) would produce that the silencer must not
 * hold: occurrences that overlap (one must end before the next starts), or more than
 * MAX_SILENCES_PER_WINDOW silences at once within `lookAheadMs`. Looks at the first year of
 * occurrences, at most CHECK_OCCURRENCES of them, and at most CHECK_INTERVAL_READS of rrule's walk,
 * so the check itself stays cheap.
 */
export function recurrenceProblem(window: SchedulableWindow, lookAheadMs: number): ScheduleProblem | null {
  const { schedule, timeZone } = window;
  if (schedule.kind === 'once') return null;
  const fromWall = new Date(
    schedule.kind === 'rrule' ? floatingFromLocal(schedule.start) : WEEKLY_CHECK_FROM,
  );
  let found: ReturnType<typeof boundedBetween>;
  try {
    found = boundedBetween(
      ruleFor(schedule, timeZone, fromWall) as RRule,
      fromWall,
      new Date(fromWall.getTime() + CHECK_SPAN_MS),
      CHECK_OCCURRENCES,
      CHECK_INTERVAL_READS,
    );
  } catch (err) {
    return { field: 'schedule.rrule', message: `cannot be expanded: ${(err as Error).message}` };
  }
  const { starts: walls, exhausted } = found;
  if (exhausted && walls.length === 0) {
    return {
      field: 'schedule.rrule',
      message:
        'finds no occurrence in the first periods after the start (say, BYMONTH=2;BYMONTHDAY=30 names no real ' +
        'day): write a rule that occurs, e.g. FREQ=MONTHLY;BYMONTHDAY=-1 for the last day of each month',
    };
  }
  // Two wall times can land on one instant in a DST gap; the silencer keeps one silence for both.
  const starts = [...new Set(walls.map((w) => wallTimeToInstant(w, timeZone).getTime()))].sort(
    (a, b) => a - b,
  );
  const length = durationMs(schedule);
  const gapBefore = (i: number) => starts[i]! - starts[i - 1]!;
  let closest = 0; // the later start of the closest pair, once there is a pair
  for (let i = 1; i < starts.length; i++) if (closest === 0 || gapBefore(i) < gapBefore(closest)) closest = i;
  if (closest > 0) {
    const gap = gapBefore(closest);
    if (gap < length) {
      return {
        field: gap >= MINUTE_MS ? 'schedule.durationMinutes' : 'schedule.rrule',
        message:
          `occurrences start as little as ${spelled(gap)} apart (${new Date(starts[closest - 1]!).toISOString()} ` +
          `and ${new Date(starts[closest]!).toISOString()}) but each lasts ${spelled(length)}: an occurrence must ` +
          'end before the next starts; shorten the duration or make the schedule recur less often',
      };
    }
  }
  // The open occurrence plus every start within the look-ahead, at the densest point seen.
  let most = 0;
  let cut = false; // the densest stretch ran to the end of a capped sample: `most` is a lower bound
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (j < starts.length && starts[j]! < starts[i]! + lookAheadMs) j++;
    if (j - i + 1 > most) {
      most = j - i + 1;
      cut = j === starts.length && walls.length >= CHECK_OCCURRENCES;
    }
  }
  if (most > MAX_SILENCES_PER_WINDOW) {
    return {
      field: schedule.kind === 'rrule' ? 'schedule.rrule' : 'schedule.days',
      message:
        `would hold ${cut ? 'at least' : 'up to'} ${most} silences at once on every target (the open occurrence and those starting ` +
        `within the silencer's look-ahead of ${spelled(lookAheadMs)}); a window may hold at most ` +
        `${MAX_SILENCES_PER_WINDOW}: make it recur less often, or lower SILENCER_LOOKAHEAD_MINUTES`,
    };
  }
  return null;
}
