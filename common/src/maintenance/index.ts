// Recurrence expansion of maintenance windows: occurrences, time zones and DST, adjustments.
export * from './occurrences';
export { wallTimeToInstant, instantToWallTime } from './zoned-time';
export * from './matchers';
