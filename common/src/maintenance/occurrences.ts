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

/** Guards against rules such as FREQ=MINUTELY asked for a year at a time. */
export const MAX_OCCURRENCES_PER_EXPANSION = 10_000;

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

function parseRrule(text: string): Partial<Options> {
  const body = text.trim().replace(/^RRULE:/i, '');
  const options = RRule.parseString(body);
  if (options.freq === undefined) throw new Error('FREQ is missing or unknown (use DAILY, WEEKLY, MONTHLY, ...)');
  for (const [key, value] of Object.entries(options)) {
    if (Array.isArray(value) && value.some((v) => v === undefined || Number.isNaN(v))) {
      throw new Error(`${key.toUpperCase()} has a value the RRULE grammar does not know`);
    }
    if (typeof value === 'number' && Number.isNaN(value)) throw new Error(`${key.toUpperCase()} is not a number`);
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
    return new RRule({ ...options, dtstart: floatingFromLocal(schedule.start), tzid: null });
  }
  return null;
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
    const fromWall = new Date(instantToWallTime(from, timeZone).getTime() - length - DAY_MS);
    const toWall = new Date(instantToWallTime(to, timeZone).getTime() + DAY_MS);
    const rule = ruleFor(schedule, timeZone, fromWall) as RRule;
    starts = rule
      .between(fromWall, toWall, true, (_d, i) => i < MAX_OCCURRENCES_PER_EXPANSION)
      .map((wall) => wallTimeToInstant(wall, timeZone));
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

/** What is wrong with a schedule beyond its shape (field path and fix), or null when it is usable. */
export function scheduleProblem(schedule: Schedule): { field: string; message: string } | null {
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
      if (options.dtstart) return { field: 'schedule.rrule', message: 'put the start in schedule.start, not DTSTART' };
      new RRule({ ...options, dtstart: floatingFromLocal(schedule.start) });
    } catch (err) {
      return { field: 'schedule.rrule', message: `not a valid RFC 5545 RRULE: ${(err as Error).message}` };
    }
  }
  return null;
}
