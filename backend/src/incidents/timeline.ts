// The incident timeline: append-only rows, one INSERT per entry, so concurrent appends never
// overwrite each other (no read-modify-write of the incident document).
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { TimelineEntry, TimelineKind } from '@opsdeck/common';
import { recordAudit } from '../store/audit';
import type { WriteContext } from '../store/documents';
import type { Database } from '../store/schema';

type Db = Kysely<Database> | Transaction<Database>;

let sequence = 0;

/**
 * Ids sort like the entries were written: the entry time, then a per-process sequence (entries
 * written in the same millisecond keep their order), then randomness so replicas never collide.
 */
function entryId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  const time = Math.max(0, at.getTime()).toString(36).padStart(10, '0');
  return `${time}${sequence.toString(36).padStart(6, '0')}-${randomUUID()}`;
}

export interface NewTimelineEntry {
  incidentId: string;
  kind: TimelineKind;
  text: string;
  at: Date;
  author: string;
  data?: Record<string, unknown> | null;
}

/** Appends `e`; the audit entry carries the write's time and token (`e.at` may be backdated). */
export async function appendTimeline(
  db: Db,
  e: NewTimelineEntry,
  write: WriteContext,
): Promise<TimelineEntry> {
  const entry: TimelineEntry = {
    id: entryId(e.at),
    incidentId: e.incidentId,
    kind: e.kind,
    text: e.text,
    at: e.at.toISOString(),
    author: e.author,
    data: e.data ?? null,
  };
  await db
    .insertInto('timeline_entries')
    .values({
      id: entry.id,
      incident_id: entry.incidentId,
      at: e.at.getTime(),
      kind: entry.kind,
      author: entry.author,
      text: entry.text,
      data: entry.data ? JSON.stringify(entry.data) : null,
    })
    .execute();
  await recordAudit(db, {
    actor: e.author,
    token: write.token,
    at: write.at,
    action: 'timeline.append',
    entity: 'incident',
    entityId: e.incidentId,
    before: null,
    after: entry,
  });
  return entry;
}

export async function readTimeline(db: Db, incidentId: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('timeline_entries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind as TimelineKind,
    text: r.text,
    at: new Date(Number(r.at)).toISOString(),
    author: r.author,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  }));
}

/** The latest comms entry's time, for the 30-minute cadence. */
export async function lastCommsEntry(db: Db, incidentId: string): Promise<{ kind: 'comms'; at: string }[]> {
  const row = await db
    .selectFrom('timeline_entries')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'comms')
    .executeTakeFirst();
  return row?.at == null ? [] : [{ kind: 'comms', at: new Date(Number(row.at)).toISOString() }];
}
