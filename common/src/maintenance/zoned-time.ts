// Local wall-clock time in an IANA zone to an instant, resolved the way RFC 5545 (3.3.5) asks:
// an ambiguous time (clocks going back) is its first occurrence; a time in a gap (clocks going
// forward) uses the offset from before the gap, so 02:30 on a spring-forward night becomes 03:30.
import { DateTime } from 'luxon';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** Wall-clock fields carried as a "floating" UTC Date, as the rrule package produces them. */
export type FloatingTime = Date;

const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const CACHE_LIMIT = 100_000;

interface ZoneDay {
  before: number;
  /** The instant the offset changes within this UTC day, or null when it does not. */
  switchAt: number | null;
  after: number;
}
const zoneDays = new Map<string, ZoneDay>();

function intlOffsetMs(instantMs: number, zone: string): number {
  return DateTime.fromMillis(instantMs, { zone }).offset * MINUTE_MS;
}

/**
 * The zone's UTC offset at an instant. Asking Intl (through luxon) is slow and the silencer asks
 * thousands of times per cycle, so each zone's UTC day is resolved once: zones change offset at
 * most once a day and on a quarter hour, found by bisection when the day's ends differ.
 */
function offsetMs(instantMs: number, zone: string): number {
  const day = Math.floor(instantMs / DAY_MS);
  const key = `${zone}|${day}`;
  let d = zoneDays.get(key);
  if (!d) {
    const dayStart = day * DAY_MS;
    const before = intlOffsetMs(dayStart, zone);
    const after = intlOffsetMs(dayStart + DAY_MS, zone);
    let switchAt: number | null = null;
    if (before !== after) {
      let lo = 0;
      let hi = DAY_MS / QUARTER_HOUR_MS;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (intlOffsetMs(dayStart + mid * QUARTER_HOUR_MS, zone) === before) lo = mid;
        else hi = mid;
      }
      switchAt = dayStart + hi * QUARTER_HOUR_MS;
    }
    d = { before, switchAt, after };
    if (zoneDays.size >= CACHE_LIMIT) zoneDays.clear();
    zoneDays.set(key, d);
  }
  return d.switchAt === null || instantMs < d.switchAt ? d.before : d.after;
}

/** The instant at which the zone's clocks show the given floating wall time. */
export function wallTimeToInstant(wall: FloatingTime, zone: string): Date {
  const w = wall.getTime();
  // Zones change offset at most once a day, so the offsets a day either side are the two candidates.
  const before = offsetMs(w - DAY_MS, zone);
  const after = offsetMs(w + DAY_MS, zone);
  const valid = [before, after]
    .map((offset) => w - offset)
    .filter((instant) => offsetMs(instant, zone) === w - instant);
  if (valid.length === 0) return new Date(w - before);
  return new Date(Math.min(...valid));
}

/** The wall time the zone's clocks show at an instant, as a floating Date. */
export function instantToWallTime(instant: Date, zone: string): FloatingTime {
  return new Date(instant.getTime() + offsetMs(instant.getTime(), zone));
}
