// Reads incidents, changes and maintenance occurrences overlapping a time range as Grafana
// annotations. Range queries ride the (time, id) indexes, tag filters the tag index; the longest
// stored span, read from an expression index, bounds how far back an overlapping item can start.
import { type Kysely, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import {
  ANNOTATION_SOURCES,
  type AnnotationSource,
  type Change,
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
import type { AnnotationTagsTable, ChangesTable, Database, IncidentsTable } from '../store/schema';
import { changeTags, incidentTags } from './tags';

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
// The same query runs over incidents or changes, joined to the tag index or not: a table chosen at
// run time, which Kysely cannot type; the rows are typed where they are read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySelect = SelectQueryBuilder<any, any, object>;

const hasAllTags = (tags: readonly string[], wanted: readonly string[] | undefined) =>
  !wanted?.length || wanted.every((t) => tags.includes(t));

/**
 * Keeps the rows whose item (`idColumn`) carries every one of `tags`, each an exists probe of the
 * tag index's primary key (kind, item_id, tag).
 */
function withAllTags(
  qb: AnySelect,
  kind: AnnotationTagsTable['kind'],
  idColumn: string,
  tags: readonly string[],
): AnySelect {
  let out = qb;
  for (const tag of tags) {
    out = out.where(
      sql<SqlBool>`exists (select 1 from annotation_tags x where x.kind = ${kind} and x.item_id = ${sql.ref(idColumn)} and x.tag = ${tag})`,
    );
  }
  return out;
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
    tags: incidentTags(d),
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
    tags: changeTags(d),
    service: d.service,
    risk: d.risk,
    status: d.status,
    source: { type: 'change', id: d.id },
  };
}

/** A row that makes the answer if it is among the `limit` newest across kinds; parsed only then. */
interface Candidate {
  time: number;
  id: string;
  make(): Annotation;
}

async function longestSpan(db: Db, table: 'incidents' | 'changes'): Promise<number> {
  const expr = table === 'incidents' ? sql`resolved_at - started_at` : sql`at_end - at`;
  const row = await sql<{
    span: number | string | null;
  }>`select max(${expr}) as span from ${sql.table(table)}`.execute(db);
  return Math.max(0, Number(row.rows[0]?.span ?? 0));
}

/**
 * The rows of `table` that start in [lo, hi], newest first. Without tags this walks the table's
 * (time, id) index; with them it walks the tag index for the first tag and probes the others, so
 * every row read is one the answer keeps.
 */
function startingBetween(
  db: Db,
  table: 'incidents' | 'changes',
  lo: number,
  hi: number,
  tags: readonly string[],
): AnySelect {
  const any = db as AnyDb;
  const from: string = table;
  const kind = table === 'incidents' ? 'incident' : 'change';
  const time = table === 'incidents' ? 'started_at' : 'at';
  const [first, ...rest] = tags;
  if (first === undefined) {
    return any
      .selectFrom(from)
      .where(time, '<=', hi)
      .where(time, '>=', lo)
      .orderBy(`${table}.${time}`, 'desc')
      .orderBy(`${table}.id`, 'desc');
  }
  return withAllTags(
    any
      .selectFrom('annotation_tags as t')
      .innerJoin(from, `${table}.id`, 't.item_id')
      .where('t.kind', '=', kind)
      .where('t.tag', '=', first)
      .where('t.at', '<=', hi)
      .where('t.at', '>=', lo),
    kind,
    't.item_id',
    rest,
  )
    .orderBy('t.at', 'desc')
    .orderBy('t.item_id', 'desc');
}

type IncidentRow = Pick<IncidentsTable, 'doc' | 'version' | 'started_at' | 'id'>;

const incidentCandidate = (r: IncidentRow, now: number): Candidate => ({
  time: Number(r.started_at),
  id: `incident:${r.id}`,
  make: () => incidentAnnotation({ ...(JSON.parse(r.doc) as Incident), version: Number(r.version) }, now),
});

async function incidents(db: Db, q: AnnotationQuery): Promise<Candidate[]> {
  const span = await longestSpan(db, 'incidents');
  const tags = q.tags ?? [];
  const filters = (s: AnySelect): AnySelect => {
    let out = s;
    if (q.service) out = out.where('incidents.service', '=', q.service);
    if (q.severities?.length) out = out.where('incidents.severity', 'in', [...q.severities]);
    return out;
  };
  // Items that started inside the lookback and are still overlapping at `from`.
  const recent: IncidentRow[] = await filters(startingBetween(db, 'incidents', q.from - span, q.to, tags))
    .where((eb) =>
      eb.or([eb('incidents.resolved_at', 'is', null), eb('incidents.resolved_at', '>=', q.from)]),
    )
    .select(['incidents.doc', 'incidents.version', 'incidents.started_at', 'incidents.id'])
    .limit(q.limit)
    .execute();
  // Open incidents older than the longest resolved one: few, found through the
  // (resolved_at, started_at) index, which hands them over newest first.
  const old: IncidentRow[] = await withAllTags(
    filters((db as AnyDb).selectFrom('incidents'))
      .where('incidents.resolved_at', 'is', null)
      .where('incidents.started_at', '<', q.from - span),
    'incident',
    'incidents.id',
    tags,
  )
    .select(['incidents.doc', 'incidents.version', 'incidents.started_at', 'incidents.id'])
    .orderBy('incidents.started_at', 'desc')
    .limit(q.limit)
    .execute();
  return [...recent, ...old].map((r) => incidentCandidate(r, q.now));
}

async function changes(db: Db, q: AnnotationQuery): Promise<Candidate[]> {
  const span = await longestSpan(db, 'changes');
  let s = startingBetween(db, 'changes', q.from - span, q.to, q.tags ?? []);
  if (q.service) s = s.where('changes.service', '=', q.service);
  if (q.risks?.length) s = s.where('changes.risk', 'in', [...q.risks]);
  const rows: Pick<ChangesTable, 'doc' | 'version' | 'at' | 'id'>[] = await s
    .where((eb) => eb.or([eb('changes.at', '>=', q.from), eb('changes.at_end', '>=', q.from)]))
    .select(['changes.doc', 'changes.version', 'changes.at', 'changes.id'])
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    time: Number(r.at),
    id: `change:${r.id}`,
    make: () => changeAnnotation({ ...(JSON.parse(r.doc) as Change), version: Number(r.version) }),
  }));
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
