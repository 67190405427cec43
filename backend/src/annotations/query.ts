// Reads incidents, changes and maintenance occurrences overlapping a time range as Grafana
// annotations. Range queries ride the (time, id) indexes; the longest stored span, read from an
// expression index, bounds how far back a still-overlapping item can have started.
import { type Kysely, sql } from 'kysely';
import {
  ANNOTATION_SOURCES,
  type AnnotationSource,
  CHANGE_KINDS,
  CHANGE_STATUSES,
  type Change,
  INCIDENT_STATUSES,
  RISKS,
  SEVERITIES,
  type Incident,
  type MaintenanceWindow,
  type Risk,
  type Severity,
  type OccurrenceAdjustment,
  occurrencesInRange,
} from '@opsdeck/common';
import type { FastifyInstance } from 'fastify';
import '../decorations';
import { exclusionAnnotations } from '../exclusions/annotations';
import type { Database } from '../store/schema';

/** incident, change, maintenance, exclusion: one definition, shared with the data source. */
export const ANNOTATION_KINDS = ANNOTATION_SOURCES;
export type AnnotationKind = AnnotationSource;

/** One item in the shape Grafana's annotation events take, plus what it describes. */
export interface Annotation {
  id: string;
  kind: AnnotationKind;
  /** Epoch milliseconds, as Grafana expects. */
  time: number;
  timeEnd: number;
  isRegion: boolean;
  title: string;
  text: string;
  tags: string[];
  service: string | null;
  severity?: Severity;
  risk?: Risk;
  status?: string;
  /** The stored resource, e.g. "incident:4f…" or "maintenance-window:db-patch". */
  source: { type: AnnotationSourceType; id: string };
}

/** What an annotation points at; `slo-exclusion` is a budget adjustment. */
export const ANNOTATION_SOURCE_TYPES = ['incident', 'change', 'maintenance-window', 'slo-exclusion'] as const;
export type AnnotationSourceType = (typeof ANNOTATION_SOURCE_TYPES)[number];

export interface AnnotationQuery {
  from: number;
  to: number;
  kinds: readonly AnnotationKind[];
  service?: string;
  severities?: readonly Severity[];
  risks?: readonly Risk[];
  /** Every tag must be present (Grafana's default "match all"). */
  tags?: readonly string[];
  limit: number;
  now: number;
}

type Db = Kysely<Database>;

/**
 * Without a tag filter every row read is kept, so one batch of `limit` rows answers; with one,
 * rows are read in larger batches until enough pass.
 */
const TAG_BATCH_FLOOR = 500;
const batchSize = (q: AnnotationQuery) => (q.tags?.length ? Math.max(q.limit * 4, TAG_BATCH_FLOOR) : q.limit);

const hasAllTags = (tags: readonly string[], wanted: readonly string[] | undefined) =>
  !wanted?.length || wanted.every((t) => tags.includes(t));

/** Tags an annotation derives from its item's fields rather than from the stored `tags` list. */
const DERIVED_TAG = new Set<string>([
  ...ANNOTATION_KINDS,
  ...SEVERITIES,
  ...INCIDENT_STATUSES,
  ...RISKS,
  ...CHANGE_KINDS,
  ...CHANGE_STATUSES,
]);

/**
 * Stored tags must appear in the JSON document as a quoted string, so the database can skip rows
 * without them before any document is parsed (the exact check still runs on the parsed item).
 */
function storedTagNeedles(wanted: readonly string[] | undefined): string[] {
  return (wanted ?? [])
    .filter((t) => !DERIVED_TAG.has(t) && !t.startsWith('service:'))
    .map((t) => JSON.stringify(t));
}

/** LIKE speaks both SQLite and PostgreSQL; the needle's own wildcards are escaped. */
function containsAll(needles: string[]) {
  return needles.map(
    (n) => sql<boolean>`doc like ${`%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`,
  );
}

export function incidentAnnotation(d: Incident, now: number): Annotation {
  const start = Date.parse(d.startedAt);
  const end = d.resolvedAt ? Date.parse(d.resolvedAt) : Math.max(now, start);
  return {
    id: `incident:${d.id}`,
    kind: 'incident',
    time: start,
    timeEnd: end,
    isRegion: true,
    title: `[${d.severity}] ${d.title}`,
    text:
      `${d.severity} incident on ${d.service}, ${d.status}${d.resolvedAt ? '' : ' (open)'}` +
      (d.description ? `\n\n${d.description}` : ''),
    tags: [...new Set(['incident', d.severity, d.status, `service:${d.service}`, ...d.tags])],
    service: d.service,
    severity: d.severity,
    status: d.status,
    source: { type: 'incident', id: d.id },
  };
}

export function changeAnnotation(d: Change): Annotation {
  const start = Date.parse(d.startedAt ?? d.plannedStart ?? d.createdAt);
  const endIso = d.finishedAt ?? d.plannedEnd;
  const end = endIso ? Math.max(Date.parse(endIso), start) : start;
  return {
    id: `change:${d.id}`,
    kind: 'change',
    time: start,
    timeEnd: end,
    isRegion: end > start,
    title: `${d.kind} ${d.service}: ${d.title}`,
    text:
      `${d.risk} risk ${d.kind}, ${d.status}` +
      (d.rollbackReason ? `; rolled back: ${d.rollbackReason}` : '') +
      (d.rfcUrl ? `\nRFC: ${d.rfcUrl}` : ''),
    tags: [...new Set(['change', d.kind, d.risk, d.status, `service:${d.service}`, ...d.tags])],
    service: d.service,
    risk: d.risk,
    status: d.status,
    source: { type: 'change', id: d.id },
  };
}

/**
 * A row that may make the answer: documents are parsed only for the `limit` newest candidates
 * across kinds, unless a tag filter needs the parsed item to decide.
 */
interface Candidate {
  time: number;
  id: string;
  make(): Annotation;
}

function candidate(time: number, id: string, build: () => Annotation, q: AnnotationQuery): Candidate | null {
  if (!q.tags?.length) return { time, id, make: build };
  const built = build();
  return hasAllTags(built.tags, q.tags) ? { time, id, make: () => built } : null;
}

async function longestSpan(db: Db, table: 'incidents' | 'changes'): Promise<number> {
  const expr = table === 'incidents' ? sql`resolved_at - started_at` : sql`at_end - at`;
  const row = await sql<{
    span: number | string | null;
  }>`select max(${expr}) as span from ${sql.table(table)}`.execute(db);
  return Math.max(0, Number(row.rows[0]?.span ?? 0));
}

async function incidents(db: Db, q: AnnotationQuery): Promise<Candidate[]> {
  const span = await longestSpan(db, 'incidents');
  const out: Candidate[] = [];
  const batch = batchSize(q);
  const base = () => {
    let s = db.selectFrom('incidents').select(['doc', 'version', 'started_at', 'id']);
    if (q.service) s = s.where('service', '=', q.service);
    if (q.severities?.length) s = s.where('severity', 'in', [...q.severities]);
    for (const c of containsAll(storedTagNeedles(q.tags))) s = s.where(c);
    return s;
  };
  // Items that started inside the lookback and are still overlapping at `from`.
  let cursor: { t: number; id: string } | null = null;
  for (;;) {
    let s = base()
      .where('started_at', '<=', q.to)
      .where('started_at', '>=', q.from - span)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', q.from)]));
    if (cursor) {
      const c = cursor;
      s = s.where((eb) =>
        eb.or([eb('started_at', '<', c.t), eb.and([eb('started_at', '=', c.t), eb('id', '<', c.id)])]),
      );
    }
    const rows = await s.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(batch).execute();
    for (const r of rows) {
      const c = candidate(
        Number(r.started_at),
        `incident:${r.id}`,
        () => incidentAnnotation({ ...(JSON.parse(r.doc) as Incident), version: Number(r.version) }, q.now),
        q,
      );
      if (c) out.push(c);
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || out.length >= q.limit || !last) break;
    cursor = { t: Number(last.started_at), id: last.id };
  }
  // Open incidents older than the longest resolved one: few, found through the
  // (resolved_at, started_at) index, which hands them over newest first.
  const old = await base()
    .where('resolved_at', 'is', null)
    .where('started_at', '<', q.from - span)
    .orderBy('started_at', 'desc')
    .limit(q.limit)
    .execute();
  for (const r of old) {
    const c = candidate(
      Number(r.started_at),
      `incident:${r.id}`,
      () => incidentAnnotation({ ...(JSON.parse(r.doc) as Incident), version: Number(r.version) }, q.now),
      q,
    );
    if (c) out.push(c);
  }
  return out;
}

async function changes(db: Db, q: AnnotationQuery): Promise<Candidate[]> {
  const span = await longestSpan(db, 'changes');
  const out: Candidate[] = [];
  const batch = batchSize(q);
  let cursor: { t: number; id: string } | null = null;
  for (;;) {
    let s = db
      .selectFrom('changes')
      .select(['doc', 'version', 'at', 'id'])
      .where('at', '<=', q.to)
      .where('at', '>=', q.from - span)
      .where((eb) => eb.or([eb('at', '>=', q.from), eb('at_end', '>=', q.from)]));
    if (q.service) s = s.where('service', '=', q.service);
    if (q.risks?.length) s = s.where('risk', 'in', [...q.risks]);
    for (const c of containsAll(storedTagNeedles(q.tags))) s = s.where(c);
    if (cursor) {
      const c = cursor;
      s = s.where((eb) => eb.or([eb('at', '<', c.t), eb.and([eb('at', '=', c.t), eb('id', '<', c.id)])]));
    }
    const rows = await s.orderBy('at', 'desc').orderBy('id', 'desc').limit(batch).execute();
    for (const r of rows) {
      const c = candidate(
        Number(r.at),
        `change:${r.id}`,
        () => changeAnnotation({ ...(JSON.parse(r.doc) as Change), version: Number(r.version) }),
        q,
      );
      if (c) out.push(c);
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || out.length >= q.limit || !last) break;
    cursor = { t: Number(last.at), id: last.id };
  }
  return out;
}

/** The windows and their end-early / extend adjustments, so annotations show what really happened. */
export interface MaintenanceSource {
  windows: MaintenanceWindow[];
  adjustments: ReadonlyMap<string, readonly OccurrenceAdjustment[]>;
}

export async function maintenanceSource(app: FastifyInstance): Promise<MaintenanceSource> {
  const [windows, adjustments] = await Promise.all([
    app.repos.maintenanceWindows.all(),
    app.silencer.state.adjustmentsByWindow(),
  ]);
  return { windows, adjustments };
}

export function maintenanceAnnotations(
  windows: readonly MaintenanceWindow[],
  q: AnnotationQuery,
  adjustments: ReadonlyMap<string, readonly OccurrenceAdjustment[]> = new Map(),
): Annotation[] {
  const eligible = windows.filter((w) => w.enabled && (!q.service || w.service === q.service));
  const byId = new Map(eligible.map((w) => [w.id, w]));
  return occurrencesInRange(eligible, new Date(q.from), new Date(q.to + 1), adjustments)
    .map((o): Annotation => {
      const w = byId.get(o.windowId) as MaintenanceWindow;
      return {
        id: `maintenance:${o.windowId}:${o.start}`,
        kind: 'maintenance',
        time: Date.parse(o.start),
        timeEnd: Date.parse(o.end),
        isRegion: true,
        title: `Maintenance: ${w.name}`,
        text:
          w.description ||
          `Alerts matching ${w.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')} are silenced`,
        tags: [...new Set(['maintenance', ...(w.service ? [`service:${w.service}`] : [])])],
        service: w.service,
        source: { type: 'maintenance-window', id: w.id },
      };
    })
    .filter((a) => hasAllTags(a.tags, q.tags));
}

/** Annotations of the requested kinds from the app's store, windows and exclusions. */
export function annotationsFor(app: FastifyInstance, q: AnnotationQuery): Promise<Annotation[]> {
  return queryAnnotations(
    app.store.db,
    q,
    () => maintenanceSource(app),
    () => exclusionAnnotations(app, q),
  );
}

/** Newest first, at most `limit` items across the requested kinds. */
export async function queryAnnotations(
  db: Db,
  q: AnnotationQuery,
  maintenance: () => Promise<MaintenanceSource>,
  exclusions: () => Promise<Annotation[]>,
): Promise<Annotation[]> {
  const parts = await Promise.all([
    q.kinds.includes('incident') && !q.risks?.length ? incidents(db, q) : [],
    q.kinds.includes('change') && !q.severities?.length ? changes(db, q) : [],
    q.kinds.includes('maintenance') && !q.risks?.length && !q.severities?.length
      ? maintenance().then((m) =>
          maintenanceAnnotations(m.windows, q, m.adjustments).map((a): Candidate => ({
            time: a.time,
            id: a.id,
            make: () => a,
          })),
        )
      : [],
    q.kinds.includes('exclusion') && !q.risks?.length && !q.severities?.length
      ? exclusions().then((list) => list.map((a): Candidate => ({ time: a.time, id: a.id, make: () => a })))
      : [],
  ]);
  return parts
    .flat()
    .sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : -1))
    .slice(0, q.limit)
    .map((c) => c.make());
}
