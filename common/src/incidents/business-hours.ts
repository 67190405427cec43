// Business time as the guide uses it: S3 response in business hours, postmortems in business days.
import { DateTime } from 'luxon';
import { BUSINESS_HOURS } from './severity';

export interface BusinessHours {
  /** ISO weekdays, Monday = 1 … Sunday = 7. */
  days: readonly number[];
  start: string;
  end: string;
  timeZone: string;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const local = (t: Date, timeZone: string): DateTime => {
  const dt = DateTime.fromJSDate(t, { zone: timeZone });
  if (!dt.isValid) throw new RangeError(`unknown time zone "${timeZone}"`);
  return dt;
};

export function isBusinessTime(t: Date, hours: BusinessHours = BUSINESS_HOURS): boolean {
  const dt = local(t, hours.timeZone);
  const minute = dt.hour * 60 + dt.minute;
  return hours.days.includes(dt.weekday) && minute >= minutesOf(hours.start) && minute < minutesOf(hours.end);
}

/** `t` itself when inside business hours, otherwise the next opening. */
export function nextBusinessTime(t: Date, hours: BusinessHours = BUSINESS_HOURS): Date {
  if (isBusinessTime(t, hours)) return t;
  const start = minutesOf(hours.start);
  let day = local(t, hours.timeZone).startOf('day');
  for (let i = 0; i < 8; i++) {
    const opening = day.plus({ minutes: start });
    if (hours.days.includes(day.weekday) && opening.toJSDate() > t) return opening.toJSDate();
    day = day.plus({ days: 1 }).startOf('day');
  }
  throw new RangeError('business hours name no working day');
}

/**
 * The calendar date `n` business days (Mon–Fri) after `t`'s local date, as YYYY-MM-DD.
 * A weekend start counts from the following Monday: Saturday + 5 is the next Friday.
 */
export function addBusinessDays(t: Date, n: number, timeZone = BUSINESS_HOURS.timeZone): string {
  let day = local(t, timeZone).startOf('day');
  let left = n;
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) left--;
  }
  return day.toISODate() ?? '';
}

/** The last instant of a local calendar date, as the deadline of a "due on" date. */
export function endOfLocalDay(date: string, timeZone = BUSINESS_HOURS.timeZone): Date {
  return DateTime.fromISO(date, { zone: timeZone }).endOf('day').toJSDate();
}

/** Today's calendar date in `timeZone`, YYYY-MM-DD. */
export function localDate(t: Date, timeZone = BUSINESS_HOURS.timeZone): string {
  return local(t, timeZone).toISODate() ?? '';
}
