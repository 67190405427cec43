// Excluded events per group at a budget series' step resolution: the bad and total increases of each
// step inside an excluded part, so the window ending at any point can leave out what it overlaps.
import { errorsQuery, formatDuration, type SloQueryInput, type TimeRange, totalQuery } from '@opsdeck/common';
import type { PrometheusQueries, Series } from '../prometheus/client';

/** Prometheus answers at most 11,000 points per series: longer parts are read in chunks. */
const MAX_POINTS_PER_QUERY = 11_000;

/** Sorted step ends (Unix seconds) and the running sum of their increases, per group and count. */
interface Cumulative {
  ends: number[];
  sums: number[];
}

export type Count = 'bad' | 'total';

export class ExcludedCounts {
  private constructor(private readonly byGroup: Map<string, Record<Count, Cumulative>>) {}

  /**
   * Reads `increase(...[step])` of the bad and total events at steps ending `step`, `2 step`, … after
   * each part's start, up to its end (the last step may reach past it by less than a step).
   */
  static async read(
    prometheus: PrometheusQueries,
    slo: SloQueryInput,
    parts: readonly TimeRange[],
    stepSeconds: number,
    keyOf: (labels: Record<string, string>) => string,
  ): Promise<ExcludedCounts> {
    const range = formatDuration(stepSeconds);
    const chunks: { from: Date; to: Date }[] = [];
    for (const p of parts) {
      const steps = Math.ceil((p.end.getTime() - p.start.getTime()) / 1000 / stepSeconds);
      for (let first = 1; first <= steps; first += MAX_POINTS_PER_QUERY) {
        const last = Math.min(steps, first + MAX_POINTS_PER_QUERY - 1);
        const at = (k: number) => new Date(p.start.getTime() + k * stepSeconds * 1000);
        chunks.push({ from: at(first), to: at(last) });
      }
    }
    const read = (query: string) =>
      Promise.all(chunks.map((c) => prometheus.range(query, c.from, c.to, stepSeconds))).then((s) =>
        s.flat(),
      );
    const [bad, total] = await Promise.all([read(errorsQuery(slo, range)), read(totalQuery(slo, range))]);
    const byGroup = new Map<string, Record<Count, Cumulative>>();
    const file = (series: Series[], count: Count) => {
      const points = new Map<string, [number, number][]>();
      for (const s of series) {
        const key = keyOf(s.labels);
        points.set(key, [...(points.get(key) ?? []), ...s.points]);
      }
      for (const [key, pts] of points) {
        pts.sort((a, b) => a[0] - b[0]);
        let sum = 0;
        const cumulative: Cumulative = { ends: [], sums: [] };
        for (const [t, v] of pts) {
          if (!Number.isFinite(v)) continue;
          sum += v;
          cumulative.ends.push(t);
          cumulative.sums.push(sum);
        }
        const entry = byGroup.get(key) ?? byGroup.set(key, { bad: empty(), total: empty() }).get(key)!;
        entry[count] = cumulative;
      }
    };
    file(bad, 'bad');
    file(total, 'total');
    return new ExcludedCounts(byGroup);
  }

  /** Excluded events of a group in the steps ending in (from, to], Unix seconds. */
  between(key: string, count: Count, from: number, to: number): number {
    const c = this.byGroup.get(key)?.[count];
    if (!c || c.ends.length === 0) return 0;
    return sumUpTo(c, to) - sumUpTo(c, from);
  }
}

const empty = (): Cumulative => ({ ends: [], sums: [] });

/** The running sum of the steps ending at or before `t`. */
function sumUpTo(c: Cumulative, t: number): number {
  let lo = 0;
  let hi = c.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.ends[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : c.sums[lo - 1]!;
}
