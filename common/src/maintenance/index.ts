// Maintenance windows: recurrence expansion (time zones, DST, adjustments) and write-time checks.
export * from './occurrences';
export { wallTimeToInstant, instantToWallTime } from './zoned-time';
export * from './matchers';
export * from './window-problem';
