// The document kinds of opsdeck and the repositories over them, built once per store.
import { createHash } from 'node:crypto';
import type { Change, Incident, MaintenanceWindow, Runbook, Slo } from '@opsdeck/common';
import { changeTags, incidentTags } from '../annotations/tags';
import { conflict } from '../errors';
import type { Store } from './db';
import { type DocumentKind, DocumentRepository } from './documents';

/** The indexed form of an Alertmanager group key: any length fits the unique index. */
export const alertGroupKey = (groupKey: string) =>
  createHash('sha256').update(groupKey, 'utf8').digest('hex');

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

const incidentStart = (d: Incident) => Date.parse(d.startedAt);
const changeStart = (d: Change) => Date.parse(d.startedAt ?? d.plannedStart ?? d.createdAt);

export const INCIDENTS: DocumentKind<Incident> = {
  table: 'incidents',
  entity: 'incident',
  timeColumn: 'started_at',
  annotation: { kind: 'incident', at: incidentStart, tags: incidentTags },
  columns: (d) => ({
    service: d.service,
    status: d.status,
    severity: d.severity,
    started_at: incidentStart(d),
    resolved_at: ms(d.resolvedAt),
    open_alert_group:
      d.status !== 'resolved' && d.source?.alertGroup ? alertGroupKey(d.source.alertGroup) : null,
  }),
  uniqueConflict: (d) =>
    conflict(
      'alert_group_open',
      `another open incident already tracks the Alertmanager group of incident "${d.id}"; resolve that one first or work on it`,
      [{ field: 'source.alertGroup', message: 'an open incident tracks this alert group' }],
    ),
};

export const CHANGES: DocumentKind<Change> = {
  table: 'changes',
  entity: 'change',
  timeColumn: 'at',
  annotation: { kind: 'change', at: changeStart, tags: changeTags },
  columns: (d) => ({
    service: d.service,
    status: d.status,
    risk: d.risk,
    kind: d.kind,
    at: changeStart(d),
    at_end: ms(d.finishedAt ?? d.plannedEnd),
  }),
};

export const MAINTENANCE_WINDOWS: DocumentKind<MaintenanceWindow> = {
  table: 'maintenance_windows',
  entity: 'maintenance window',
  timeColumn: 'updated_at',
  columns: (d) => ({
    service: d.service,
    enabled: d.enabled ? 1 : 0,
    source: d.source,
    exclude_from_slos: (d.excludeFromSlos ?? []).join(' '),
  }),
};

export const RUNBOOKS: DocumentKind<Runbook> = {
  table: 'runbooks',
  entity: 'runbook',
  timeColumn: 'updated_at',
  columns: (d) => ({ title: d.title, source: d.source }),
};

export const SLOS: DocumentKind<Slo> = {
  table: 'slos',
  entity: 'SLO',
  timeColumn: 'updated_at',
  columns: (d) => ({ service: d.service, source: d.source }),
};

export interface Repositories {
  incidents: DocumentRepository<Incident>;
  changes: DocumentRepository<Change>;
  maintenanceWindows: DocumentRepository<MaintenanceWindow>;
  runbooks: DocumentRepository<Runbook>;
  slos: DocumentRepository<Slo>;
}

export function createRepositories(store: Store): Repositories {
  return {
    incidents: new DocumentRepository(store, INCIDENTS),
    changes: new DocumentRepository(store, CHANGES),
    maintenanceWindows: new DocumentRepository(store, MAINTENANCE_WINDOWS),
    runbooks: new DocumentRepository(store, RUNBOOKS),
    slos: new DocumentRepository(store, SLOS),
  };
}
