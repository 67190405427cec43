// Incident statistics: time to acknowledge and to resolve, MTTA/MTTR and the acknowledgement-overdue
// count. Pure: the Grafana query's incident-metrics frame and the /metrics histograms and gauges use them.
import type { Incident } from '../api/incident';
import { ackOverdue } from './rules';
import { SEVERITY_MATRIX } from './severity';

export type StatisticsFacts = Pick<
  Incident,
  'severity' | 'status' | 'startedAt' | 'detectedAt' | 'acknowledgedAt' | 'resolvedAt'
>;

export interface IncidentStatistics {
  incidents: number;
  open: number;
  resolved: number;
  ackOverdue: number;
  /** Mean time to acknowledge, over acknowledged incidents with an acknowledgement target; null if none. */
  mttaSeconds: number | null;
  /** Mean time to resolve, over resolved incidents; null if none. */
  mttrSeconds: number | null;
}

const secondsBetween = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Seconds from detection (or the start, when never detected apart) to acknowledgement; null before it. */
export const secondsToAcknowledge = (i: StatisticsFacts): number | null =>
  i.acknowledgedAt ? secondsBetween(i.detectedAt ?? i.startedAt, i.acknowledgedAt) : null;

/** Seconds from the start to resolution; null while open. */
export const secondsToResolve = (i: StatisticsFacts): number | null =>
  i.resolvedAt ? secondsBetween(i.startedAt, i.resolvedAt) : null;

/**
 * Statistics over the incidents of a time range (`inRange`, any status) and those open now (`open`).
 * MTTA leaves out tracked-only severities, which have no acknowledgement target.
 */
export function incidentStatistics(
  inRange: readonly StatisticsFacts[],
  open: readonly StatisticsFacts[],
  now: Date,
): IncidentStatistics {
  const known = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null);
  const tta = known(
    inRange.filter((i) => SEVERITY_MATRIX[i.severity].response !== 'track').map(secondsToAcknowledge),
  );
  const ttr = known(inRange.map(secondsToResolve));
  return {
    incidents: inRange.length,
    open: open.length,
    resolved: ttr.length,
    ackOverdue: open.filter((i) => ackOverdue(i, now)).length,
    mttaSeconds: mean(tta),
    mttrSeconds: mean(ttr),
  };
}
