// Exclusion arithmetic: the parts of an SLO window whose events do not count, as merged, clipped,
// whole-second ranges, and the PromQL range and evaluation time that read each part's increase
// (`increase(x[<seconds>s] @ <end>)`), which the evaluator subtracts from the window's increase.
import { type EventCountQueries, RECORDED, recordedSelector, type SloQueryInput, sumBy } from './promql';
import { formatDuration, type TimeRange } from './windows';

/** Overlapping or touching ranges joined, empty ones dropped, sorted by start. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges
    .filter((r) => r.end.getTime() > r.start.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start.getTime() <= last.end.getTime()) {
      if (r.end > last.end) last.end = r.end;
    } else {
      out.push({ start: r.start, end: r.end });
    }
  }
  return out;
}

const floorSecond = (t: number) => Math.floor(t / 1000) * 1000;
const ceilSecond = (t: number) => Math.ceil(t / 1000) * 1000;

/**
 * The excluded parts of `window`: each range widened to whole seconds (PromQL ranges and `@` times
 * are whole seconds, and a partly excluded second counts as excluded), clipped to the window, merged.
 */
export function excludedParts(ranges: readonly TimeRange[], window: TimeRange): TimeRange[] {
  const lo = window.start.getTime();
  const hi = window.end.getTime();
  return mergeRanges(
    ranges.map((r) => ({
      start: new Date(Math.max(lo, floorSecond(r.start.getTime()))),
      end: new Date(Math.min(hi, ceilSecond(r.end.getTime()))),
    })),
  );
}

/** Seconds the parts cover (they are merged, so nothing is counted twice). */
export function excludedSeconds(parts: readonly TimeRange[]): number {
  return parts.reduce((sum, p) => sum + (p.end.getTime() - p.start.getTime()) / 1000, 0);
}

/** One excluded part as PromQL reads it: the increase over `range` evaluated at `at` (its end). */
export interface ExclusionTerm {
  range: string;
  at: Date;
}

/** The terms to subtract from a window's counts: one per excluded part of `window`. */
export function exclusionTerms(ranges: readonly TimeRange[], window: TimeRange): ExclusionTerm[] {
  return excludedParts(ranges, window).map((p) => ({
    range: formatDuration(Math.round((p.end.getTime() - p.start.getTime()) / 1000)),
    at: p.end,
  }));
}

/**
 * A window's count less its excluded parts' counts. An absent part counts nothing; an absent window
 * stays absent (no data is not zero); float noise below zero is clamped.
 */
export function countLessExcluded(
  whole: number | undefined,
  excluded: readonly (number | undefined)[],
): number | undefined {
  if (whole === undefined) return undefined;
  const rest = excluded.reduce<number>((sum, v) => sum - (v ?? 0), whole);
  return Math.max(0, rest);
}

/** The 0/1 series opsdeck serves on /metrics per SLO: 1 while the SLO is inside an exclusion. */
export const EXCLUDED_SERIES = 'opsdeck_slo_excluded';

/**
 * The condition that holds an alert row back: the SLO was inside an exclusion at some point of the
 * row's short window (as Prometheus scraped it). Absent (opsdeck not scraped) holds nothing back.
 */
export function excludedWithin(sloId: string, window: string): string {
  return `max_over_time(${EXCLUDED_SERIES}{slo="${sloId}"}[${window}]) > 0`;
}

/**
 * The two counts of an error ratio over `range` read from the recorded 5m increases: sums of
 * `slo:total:increase5m` and `slo:errors:increase5m`. Rules-mode windows that overlap an exclusion
 * are read this way, so each excluded part can be subtracted as the same sum ending at its end. The
 * sums count every event `RECORD_OVERLAP` times; ratios need no division, event counts do.
 */
export function recordedCountQueries(slo: SloQueryInput, range: string): EventCountQueries {
  const sum = (record: string) =>
    sumBy(slo.groupBy, `sum_over_time(${recordedSelector(record, slo.id)}[${range}])`);
  return { total: sum(RECORDED.total), counted: sum(RECORDED.errors), countedIs: 'bad' };
}
