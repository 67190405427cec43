// Table types of the store, shared by SQLite and PostgreSQL. Times are epoch milliseconds.
import type { Generated } from 'kysely';

/** Columns every document table has: the JSON document plus its bookkeeping. */
export interface DocumentColumns {
  id: string;
  version: number;
  doc: string;
  created_at: number;
  updated_at: number;
  created_by: string;
}

export interface IncidentsTable extends DocumentColumns {
  service: string;
  status: string;
  severity: string;
  started_at: number;
  resolved_at: number | null;
  /** Hash of the Alertmanager group key while the incident is open, else null (unique). */
  open_alert_group: string | null;
}

export interface ChangesTable extends DocumentColumns {
  service: string;
  status: string;
  risk: string;
  kind: string;
  at: number;
  at_end: number | null;
}

/** One tag of an incident's or a change's annotation, at the item's start (the tag index). */
export interface AnnotationTagsTable {
  kind: 'incident' | 'change';
  item_id: string;
  tag: string;
  at: number;
}

export interface MaintenanceWindowsTable extends DocumentColumns {
  service: string | null;
  enabled: number;
  source: string;
  /** the window's excludeFromSlos ids, space-separated; empty when it excludes nothing */
  exclude_from_slos: string;
}

export interface RunbooksTable extends DocumentColumns {
  title: string;
  source: string;
}

export interface SlosTable extends DocumentColumns {
  service: string;
  source: string;
}

export interface SloExclusionsTable {
  id: string;
  slo_id: string;
  start_at: number;
  end_at: number;
  reason: string;
  created_at: number;
  created_by: string;
}

export interface TimelineEntriesTable {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  author: string;
  text: string;
  data: string | null;
}

export interface PostmortemsTable {
  incident_id: string;
  version: number;
  doc: string;
  status: string;
  due_at: number | null;
  updated_at: number;
}

export interface ActionItemsTable {
  id: string;
  incident_id: string;
  title: string;
  owner: string;
  due_date: string;
  status: string;
  closed_at: number | null;
}

export interface ApiTokensTable {
  name: string;
  role: string;
  secret_hash: string;
  created_at: number;
  created_by: string;
  /** 1 for Grafana's proxy token */
  grafana_proxy: Generated<number>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  /** name of the token that authenticated the write; null for the system and open mode */
  token: string | null;
}

export interface Database {
  incidents: IncidentsTable;
  changes: ChangesTable;
  annotation_tags: AnnotationTagsTable;
  maintenance_windows: MaintenanceWindowsTable;
  runbooks: RunbooksTable;
  slos: SlosTable;
  slo_exclusions: SloExclusionsTable;
  timeline_entries: TimelineEntriesTable;
  postmortems: PostmortemsTable;
  action_items: ActionItemsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}

export type DocumentTable = 'incidents' | 'changes' | 'maintenance_windows' | 'runbooks' | 'slos';
