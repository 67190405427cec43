// Builds the compliance report of every SLO for a calendar period: counts from Prometheus (the
// period's end `@`, excluded parts left out), compliance from @opsdeck/common, incidents from the store.
import {
  compliance,
  type ComplianceReport,
  type ComplianceRow,
  type Incident,
  objectiveFraction,
  parseWindow,
  type ReportPeriod,
  reportPeriodRange,
  type Slo,
} from '@opsdeck/common';
import type { FastifyInstance } from 'fastify';
import '../decorations';
import '../slo/routes';

/** Calendar SLOs count periods in their own time zone; every other SLO in UTC. */
export function reportTimeZone(slo: Pick<Slo, 'window' | 'timeZone'>): string {
  return parseWindow(slo.window).kind === 'calendar' ? slo.timeZone : 'UTC';
}

/** Incidents whose impact overlapped [start, end) and that name the SLO or its service. */
function touching(incidents: readonly Incident[], slo: Slo, start: Date, end: Date) {
  return incidents
    .filter(
      (i) =>
        Date.parse(i.startedAt) < end.getTime() &&
        (i.resolvedAt === null || Date.parse(i.resolvedAt) > start.getTime()) &&
        (i.sloIds.includes(slo.id) || i.service === slo.service || i.services.includes(slo.service)),
    )
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((i) => ({ id: i.id, title: i.title, severity: i.severity }));
}

async function incidentsBefore(app: FastifyInstance, end: Date, start: Date): Promise<Incident[]> {
  const rows = await app.store.db
    .selectFrom('incidents')
    .select(['doc', 'version'])
    .where('started_at', '<', end.getTime())
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>', start.getTime())]))
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as Incident), version: Number(r.version) }));
}

export async function buildComplianceReport(
  app: FastifyInstance,
  period: ReportPeriod,
  slos: readonly Slo[],
): Promise<ComplianceReport> {
  const now = app.clock.now();
  const ranges = slos.map((slo) => reportPeriodRange(period, reportTimeZone(slo)));
  const earliest = new Date(Math.min(now.getTime(), ...ranges.map((r) => r.start.getTime())));
  const latest = new Date(Math.max(earliest.getTime(), ...ranges.map((r) => r.end.getTime())));
  const incidents = await incidentsBefore(app, latest, earliest);
  const items = await Promise.all(
    slos.map(async (slo, i): Promise<ComplianceRow> => {
      const full = ranges[i]!;
      const range = { start: full.start, end: new Date(Math.min(full.end.getTime(), now.getTime())) };
      // a period that began in UTC may not have begun yet in the SLO's own zone
      const counts =
        range.end > range.start
          ? await app.sloEvaluator.periodCounts(slo, range)
          : { events: null, badEvents: null, excludedSeconds: 0 };
      return {
        id: slo.id,
        name: slo.name,
        service: slo.service,
        objective: objectiveFraction(slo.objective),
        ...compliance(counts, slo.objective),
        start: range.start.toISOString(),
        end: range.end.toISOString(),
        events: counts.events,
        badEvents: counts.badEvents,
        excludedSeconds: counts.excludedSeconds,
        incidents: touching(incidents, slo, range.start, range.end),
      };
    }),
  );
  return {
    period: period.label,
    generatedAt: now.toISOString(),
    complete: ranges.every((r) => r.end.getTime() <= now.getTime()),
    items,
  };
}
