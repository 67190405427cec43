// Blameless postmortems and their action items: stored beside the incident, action items in their
// own table so overdue lists are one indexed query.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import {
  emptyPostmortem,
  type ActionItem,
  type Incident,
  type Postmortem,
  PostmortemWrite,
  actionItemOverdue,
  localDate,
  postmortemDueAt,
  postmortemOverdue,
} from '@opsdeck/common';
import { versionConflict, versionRequired } from '../errors';
import { recordAudit } from '../store/audit';
import type { WriteContext } from '../store/documents';
import type { ActionItemsTable, Database } from '../store/schema';

type Db = Kysely<Database> | Transaction<Database>;
type PostmortemBody = z.output<typeof PostmortemWrite>;
type StoredActionItem = ActionItem & { id: string };

const CLOSED = ['done', 'wont-do'];

async function actionItemsOf(db: Db, incidentId: string): Promise<StoredActionItem[]> {
  const rows = await db
    .selectFrom('action_items')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('due_date')
    .orderBy('id')
    .execute();
  return rows.map(toActionItem);
}

function toActionItem(r: ActionItemsTable): StoredActionItem {
  return {
    id: r.id,
    title: r.title,
    owner: r.owner,
    dueDate: r.due_date,
    status: r.status as ActionItem['status'],
    closedAt: r.closed_at == null ? null : new Date(Number(r.closed_at)).toISOString(),
  };
}

export async function readPostmortem(db: Db, incidentId: string): Promise<Postmortem | undefined> {
  const row = await db
    .selectFrom('postmortems')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  if (!row) return undefined;
  const doc = JSON.parse(row.doc) as Omit<
    Postmortem,
    'incidentId' | 'version' | 'dueAt' | 'updatedAt' | 'actionItems'
  >;
  return {
    ...doc,
    incidentId,
    version: Number(row.version),
    dueAt: row.due_at == null ? null : new Date(Number(row.due_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    actionItems: await actionItemsOf(db, incidentId),
  };
}

function emptyTemplate(): Omit<PostmortemBody, 'version' | 'actionItems'> {
  const { actionItems: _none, ...sections } = emptyPostmortem();
  return sections;
}

/**
 * On resolution of an S1/S2 incident: a draft postmortem due 5 business days later, or the
 * deadline moved when an existing one is resolved again after a reopen.
 */
export async function schedulePostmortem(tx: Db, incident: Incident, ctx: WriteContext): Promise<void> {
  const due = postmortemDueAt(incident);
  if (!due) return;
  const existing = await tx
    .selectFrom('postmortems')
    .select(['version'])
    .where('incident_id', '=', incident.id)
    .executeTakeFirst();
  if (existing) {
    await tx
      .updateTable('postmortems')
      .set({ due_at: Date.parse(due), version: Number(existing.version) + 1, updated_at: ctx.at.getTime() })
      .where('incident_id', '=', incident.id)
      .execute();
  } else {
    await tx
      .insertInto('postmortems')
      .values({
        incident_id: incident.id,
        version: 1,
        doc: JSON.stringify(emptyTemplate()),
        status: 'draft',
        due_at: Date.parse(due),
        updated_at: ctx.at.getTime(),
      })
      .execute();
  }
  await recordAudit(tx, {
    actor: ctx.actor,
    token: ctx.token,
    at: ctx.at,
    action: 'postmortem.schedule',
    entity: 'incident',
    entityId: incident.id,
    before: null,
    after: { dueAt: due },
  });
}

/**
 * Creates the postmortem, or replaces it given the version read (428 without one); action items are
 * replaced as a set (ids kept when sent).
 */
export async function writePostmortem(
  db: Kysely<Database>,
  incident: Incident,
  body: PostmortemBody,
  expected: number | undefined,
  ctx: WriteContext,
): Promise<Postmortem> {
  return db.transaction().execute(async (tx) => {
    const before = await readPostmortem(tx, incident.id);
    // Replacing a postmortem (and its action items) blind would lose what others wrote since.
    if (before && expected === undefined) throw versionRequired();
    if (before && expected !== undefined && expected !== before.version) {
      throw versionConflict('postmortem', incident.id, before.version, expected);
    }
    const { actionItems, version: _v, ...fields } = body;
    const due = before?.dueAt ?? postmortemDueAt(incident);
    const version = (before?.version ?? 0) + 1;
    const row = {
      version,
      doc: JSON.stringify(fields),
      status: fields.status,
      due_at: due ? Date.parse(due) : null,
      updated_at: ctx.at.getTime(),
    };
    if (before) {
      const res = await tx
        .updateTable('postmortems')
        .set(row)
        .where('incident_id', '=', incident.id)
        .where('version', '=', before.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw versionConflict('postmortem', incident.id, before.version + 1, before.version);
    } else {
      await tx
        .insertInto('postmortems')
        .values({ incident_id: incident.id, ...row })
        .execute();
    }
    const previous = new Map((before?.actionItems ?? []).map((a) => [a.id, a]));
    await tx.deleteFrom('action_items').where('incident_id', '=', incident.id).execute();
    for (const item of actionItems) {
      const id = item.id ?? randomUUID();
      const wasClosedAt = previous.get(id)?.closedAt ?? null;
      const closed = CLOSED.includes(item.status);
      const closedAt = closed ? (item.closedAt ?? wasClosedAt ?? ctx.at.toISOString()) : null;
      await tx
        .insertInto('action_items')
        .values({
          id,
          incident_id: incident.id,
          title: item.title,
          owner: item.owner,
          due_date: item.dueDate,
          status: item.status,
          closed_at: closedAt ? Date.parse(closedAt) : null,
        })
        .execute();
    }
    const after = (await readPostmortem(tx, incident.id)) as Postmortem;
    await recordAudit(tx, {
      actor: ctx.actor,
      token: ctx.token,
      at: ctx.at,
      action: 'postmortem.write',
      entity: 'incident',
      entityId: incident.id,
      before: before ?? null,
      after,
    });
    return after;
  });
}

export interface PostmortemListItem {
  incidentId: string;
  incidentTitle: string;
  severity: string;
  service: string;
  status: string;
  dueAt: string | null;
  overdue: boolean;
  updatedAt: string;
}

export async function listPostmortems(
  db: Kysely<Database>,
  q: { overdue?: boolean; limit: number; now: Date },
): Promise<PostmortemListItem[]> {
  let s = db
    .selectFrom('postmortems')
    .innerJoin('incidents', 'incidents.id', 'postmortems.incident_id')
    .select([
      'postmortems.incident_id as incidentId',
      'postmortems.status as status',
      'postmortems.due_at as dueAt',
      'postmortems.updated_at as updatedAt',
      'incidents.doc as incidentDoc',
      'incidents.severity as severity',
      'incidents.service as service',
    ]);
  if (q.overdue)
    s = s.where('postmortems.status', '!=', 'published').where('postmortems.due_at', '<', q.now.getTime());
  const rows = await s.orderBy('postmortems.due_at').limit(q.limit).execute();
  return rows.map((r) => {
    const dueAt = r.dueAt == null ? null : new Date(Number(r.dueAt)).toISOString();
    return {
      incidentId: r.incidentId,
      incidentTitle: (JSON.parse(r.incidentDoc) as Incident).title,
      severity: r.severity,
      service: r.service,
      status: r.status,
      dueAt,
      overdue: postmortemOverdue(dueAt, r.status as Postmortem['status'], q.now),
      updatedAt: new Date(Number(r.updatedAt)).toISOString(),
    };
  });
}

export interface ActionItemListItem extends StoredActionItem {
  incidentId: string;
  overdue: boolean;
}

export async function listActionItems(
  db: Kysely<Database>,
  q: { overdue?: boolean; owner?: string; status?: string; limit: number; now: Date },
): Promise<ActionItemListItem[]> {
  let s = db.selectFrom('action_items').selectAll();
  if (q.overdue) s = s.where('status', 'not in', CLOSED).where('due_date', '<', localDate(q.now));
  if (q.owner) s = s.where('owner', '=', q.owner);
  if (q.status) s = s.where('status', '=', q.status);
  const rows = await s.orderBy('due_date').orderBy('id').limit(q.limit).execute();
  return rows.map((r) => {
    const item = toActionItem(r);
    return { ...item, incidentId: r.incident_id, overdue: actionItemOverdue(item, q.now) };
  });
}

/** Counts for the overdue gauges. */
export async function overdueCounts(
  db: Kysely<Database>,
  now: Date,
): Promise<{ postmortems: number; actionItems: number }> {
  const pm = await db
    .selectFrom('postmortems')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '!=', 'published')
    .where('due_at', '<', now.getTime())
    .executeTakeFirst();
  const ai = await db
    .selectFrom('action_items')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', 'not in', CLOSED)
    .where('due_date', '<', localDate(now))
    .executeTakeFirst();
  return { postmortems: Number(pm?.n ?? 0), actionItems: Number(ai?.n ?? 0) };
}
