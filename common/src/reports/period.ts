// Calendar report periods: a month (`2026-01`), a quarter (`2026-Q1`) or an ISO week (`2026-W05`,
// Monday to Monday), as the instants they start and end at in a time zone.
import { DateTime } from 'luxon';
import type { TimeRange } from '../slo/windows';

export const REPORT_PERIOD_KINDS = ['month', 'quarter', 'week'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];
/** The most periods one compliance-history query asks for (two years of months). */
export const MAX_COMPLIANCE_PERIODS = 24;

export interface ReportPeriod {
  /** as written: 2026-01, 2026-Q1, 2026-W05 */
  label: string;
  kind: ReportPeriodKind;
  year: number;
  /** month 1–12, quarter 1–4 or ISO week 1–53 */
  index: number;
}

export const REPORT_PERIOD_FORMAT = 'YYYY-MM (a month), YYYY-Qn (a quarter) or YYYY-Www (an ISO week)';

/** Parses a period; returns the problem as text when it is not one. */
export function parseReportPeriod(text: string): ReportPeriod | string {
  const m = /^(\d{4})-(?:(\d{2})|Q(\d)|W(\d{2}))$/.exec(text);
  if (!m) return `"${text}" is not a period: use ${REPORT_PERIOD_FORMAT}, e.g. 2026-01, 2026-Q1, 2026-W05`;
  const year = Number(m[1]);
  if (year < 1970) return `year ${year} is before 1970`;
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return `month ${m[2]} does not exist: use 01 to 12`;
    return { label: text, kind: 'month', year, index: month };
  }
  if (m[3] !== undefined) {
    const quarter = Number(m[3]);
    if (quarter < 1 || quarter > 4) return `quarter Q${m[3]} does not exist: use Q1 to Q4`;
    return { label: text, kind: 'quarter', year, index: quarter };
  }
  const week = Number(m[4]);
  const weeks = DateTime.fromObject({ weekYear: year, weekNumber: 1 }, { zone: 'UTC' }).weeksInWeekYear;
  if (week < 1 || week > weeks) return `week W${m[4]} does not exist in ${year}: use W01 to W${weeks}`;
  return { label: text, kind: 'week', year, index: week };
}

/** The period as [start, end) at midnight in `timeZone`. */
export function reportPeriodRange(period: ReportPeriod, timeZone: string): TimeRange {
  const zone = { zone: timeZone };
  const start =
    period.kind === 'week'
      ? DateTime.fromObject({ weekYear: period.year, weekNumber: period.index, weekday: 1 }, zone)
      : DateTime.fromObject(
          {
            year: period.year,
            month: period.kind === 'month' ? period.index : (period.index - 1) * 3 + 1,
            day: 1,
          },
          zone,
        );
  if (!start.isValid) throw new Error(`time zone "${timeZone}" is not a known IANA zone`);
  const end = start.plus(
    period.kind === 'week' ? { weeks: 1 } : period.kind === 'month' ? { months: 1 } : { quarters: 1 },
  );
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** The period of `kind` holding `at`, in UTC. */
export function reportPeriodAt(kind: ReportPeriodKind, at: Date): ReportPeriod {
  const t = DateTime.fromJSDate(at, { zone: 'UTC' });
  const text =
    kind === 'month'
      ? `${t.year}-${String(t.month).padStart(2, '0')}`
      : kind === 'quarter'
        ? `${t.year}-Q${t.quarter}`
        : `${t.weekYear}-W${String(t.weekNumber).padStart(2, '0')}`;
  return parseReportPeriod(text) as ReportPeriod;
}

/** The period `n` before `period` (n = 1: the one before), of the same kind. */
export function previousReportPeriod(period: ReportPeriod, n = 1): ReportPeriod {
  const at =
    period.kind === 'week'
      ? DateTime.fromObject({ weekYear: period.year, weekNumber: period.index }, { zone: 'UTC' }).minus({
          weeks: n,
        })
      : period.kind === 'month'
        ? DateTime.fromObject({ year: period.year, month: period.index }, { zone: 'UTC' }).minus({
            months: n,
          })
        : DateTime.fromObject(
            { year: period.year, month: (period.index - 1) * 3 + 1 },
            { zone: 'UTC' },
          ).minus({
            quarters: n,
          });
  if (period.kind === 'week') {
    const label = `${at.weekYear}-W${String(at.weekNumber).padStart(2, '0')}`;
    return { label, kind: 'week', year: at.weekYear, index: at.weekNumber };
  }
  if (period.kind === 'month') {
    return {
      label: `${at.year}-${String(at.month).padStart(2, '0')}`,
      kind: 'month',
      year: at.year,
      index: at.month,
    };
  }
  return { label: `${at.year}-Q${at.quarter}`, kind: 'quarter', year: at.year, index: at.quarter };
}
