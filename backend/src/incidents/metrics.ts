// Incident metrics on the app's registry: open incidents, MTTA/MTTR histograms, RTO breaches and
// overdue postmortems and action items. Gauges are read from the store at scrape time.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  INCIDENT_STATUSES,
  type Incident,
  SEVERITIES,
  type Severity,
  ackOverdue,
  incidentFlags,
  secondsToAcknowledge,
  secondsToResolve,
} from '@opsdeck/common';
import type { Clock } from '../clock';
import type { Store } from '../store/db';
import { overdueCounts } from './postmortems';

/** From one minute to a day: where acknowledgement and resolution times fall. */
const DURATION_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

export interface IncidentMetrics {
  acknowledged(incident: Incident): void;
  resolved(incident: Incident): void;
}

const OPEN_STATUSES = INCIDENT_STATUSES.filter((s) => s !== 'resolved');

export function registerIncidentMetrics(registry: Registry, store: Store, clock: Clock): IncidentMetrics {
  const tta = new Histogram({
    name: 'opsdeck_incident_time_to_acknowledge_seconds',
    help: 'Time from detection (or start) to acknowledgement, by severity (MTTA = sum / count).',
    labelNames: ['severity'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const ttr = new Histogram({
    name: 'opsdeck_incident_time_to_resolve_seconds',
    help: 'Time from start to resolution, by severity (MTTR = sum / count).',
    labelNames: ['severity'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const rtoBreaches = new Counter({
    name: 'opsdeck_incident_rto_breaches_total',
    help: 'Incidents resolved after their severity RTO had passed (S1 30 min, S2 2 h).',
    labelNames: ['severity'],
    registers: [registry],
  });

  const openIncidents = async (): Promise<Incident[]> => {
    const rows = await store.db
      .selectFrom('incidents')
      .select(['doc'])
      .where('status', 'in', OPEN_STATUSES)
      .execute();
    return rows.map((r) => JSON.parse(r.doc) as Incident);
  };
  const bySeverity = (gauge: Gauge, list: Incident[]) => {
    for (const s of SEVERITIES) gauge.set({ severity: s }, list.filter((i) => i.severity === s).length);
  };

  new Gauge({
    name: 'opsdeck_incidents_open',
    help: 'Incidents not yet resolved, by severity.',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      bySeverity(this, await openIncidents());
    },
  });
  new Gauge({
    name: 'opsdeck_incidents_rto_breached',
    help: 'Open incidents past their RTO, by severity.',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      const now = clock.now();
      bySeverity(
        this,
        (await openIncidents()).filter((i) => incidentFlags(i, [], now).rtoBreached),
      );
    },
  });
  new Gauge({
    name: 'opsdeck_incidents_ack_overdue',
    help: 'Open incidents not acknowledged within 5 minutes, by severity.',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      const now = clock.now();
      bySeverity(
        this,
        (await openIncidents()).filter((i) => ackOverdue(i, now)),
      );
    },
  });
  new Gauge({
    name: 'opsdeck_postmortems_overdue',
    help: 'Postmortems past their due date (5 business days after resolution) and not published.',
    registers: [registry],
    async collect() {
      this.set((await overdueCounts(store.db, clock.now())).postmortems);
    },
  });
  new Gauge({
    name: 'opsdeck_action_items_overdue',
    help: 'Postmortem action items open past their due date.',
    registers: [registry],
    async collect() {
      this.set((await overdueCounts(store.db, clock.now())).actionItems);
    },
  });

  const label = (s: Severity) => ({ severity: s });
  return {
    acknowledged(i) {
      const seconds = secondsToAcknowledge(i);
      if (seconds !== null) tta.observe(label(i.severity), seconds);
    },
    resolved(i) {
      const seconds = secondsToResolve(i);
      if (seconds === null || !i.resolvedAt) return;
      ttr.observe(label(i.severity), seconds);
      if (incidentFlags(i, [], new Date(i.resolvedAt)).rtoBreached) rtoBreaches.inc(label(i.severity));
    },
  };
}
