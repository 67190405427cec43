// Local wall-clock time in an IANA zone to an instant, resolved the way RFC 5545 (3.3.5) asks:
// an ambiguous time (clocks going back) is its first occurrence; a time in a gap (clocks going
// forward) uses the offset from before the gap, so 02:30 on a spring-forward night becomes 03:30.
import { DateTime } from 'luxon';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** Wall-clock fields carried as a "floating" UTC Date, as the rrule package produces them. */
export type FloatingTime = Date;

function offsetMs(instantMs: number, zone: string): number {
  return DateTime.fromMillis(instantMs, { zone }).offset * MINUTE_MS;
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
