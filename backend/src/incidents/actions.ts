// Incident lifecycle actions: each checks the common rules, updates the document and appends to
// the timeline in one transaction, and retries on a concurrent edit (the action is re-judged on
// the fresh document, so two responders acting at once never get a spurious 409).
import type { FastifyInstance } from 'fastify';
import {
  type Change,
  FIRST_RESPONDER_CHECKLIST,
  INCIDENT_ROLES,
  type Incident,
  type IncidentComputed,
  type IncidentRole,
  type IncidentStatus,
  RECENT_CHANGES_LOOKBACK_MINUTES,
  type TimelineKind,
  checkIncidentTransition,
  checklistState,
  incidentFlags,
  statusTimestamps,
} from '@opsdeck/common';
import { ApiError, conflict, unprocessable } from '../errors';
import type { WriteContext } from '../store/documents';
import type { IncidentMetrics } from './metrics';
import { readPostmortem, schedulePostmortem } from './postmortems';
import { appendTimeline, lastCommsEntry } from './timeline';

const MAX_ATTEMPTS = 5;

/** Runs `fn` again when another writer changed the incident between our read and write. */
export async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'version_conflict') || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

const ROLE_LABEL: Record<IncidentRole, string> = { ic: 'IC', ops: 'Ops', comms: 'Comms', scribe: 'Scribe' };

export class IncidentActions {
  constructor(
    private readonly app: FastifyInstance,
    private readonly metrics: IncidentMetrics,
  ) {}

  private get repo() {
    return this.app.repos.incidents;
  }

  async acknowledge(id: string, ctx: WriteContext): Promise<Incident> {
    const updated = await retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        async (cur, tx) => {
          if (cur.acknowledgedAt) {
            throw conflict(
              'already_acknowledged',
              `incident "${id}" was already acknowledged at ${cur.acknowledgedAt}`,
            );
          }
          const at = ctx.at.toISOString();
          await appendTimeline(
            tx,
            {
              incidentId: id,
              kind: 'checklist',
              text: `Acknowledged by ${ctx.actor}`,
              at: ctx.at,
              author: ctx.actor,
              data: { item: 'acknowledge' },
            },
            ctx,
          );
          return {
            ...cur,
            acknowledgedAt: at,
            checklist: { ...cur.checklist, acknowledge: { done: true, at, by: ctx.actor } },
          };
        },
        ctx,
        'acknowledge',
      ),
    );
    this.metrics.acknowledged(updated);
    return updated;
  }

  async setStatus(
    id: string,
    to: IncidentStatus,
    note: string | undefined,
    ctx: WriteContext,
  ): Promise<Incident> {
    let wasAcknowledged = true;
    const updated = await retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        async (cur, tx) => {
          const check = checkIncidentTransition(cur, to, ctx.at);
          if (!check.ok) {
            const problem = [{ field: 'body.status', message: check.message }];
            throw check.reason === 'illegal'
              ? conflict('illegal_transition', check.message, problem)
              : unprocessable('rule_refused', check.message, problem);
          }
          wasAcknowledged = !!cur.acknowledgedAt;
          const next: Incident = { ...cur, status: to, ...statusTimestamps(cur, to, ctx.at) };
          const reopened = cur.status === 'resolved';
          const text = note?.trim() || (reopened ? `Reopened: ${to}` : `Status: ${to}`);
          await appendTimeline(
            tx,
            {
              incidentId: id,
              kind: 'status',
              text,
              at: ctx.at,
              author: ctx.actor,
              data: { from: cur.status, to },
            },
            ctx,
          );
          if (to === 'resolved') await schedulePostmortem(tx, next, ctx);
          return next;
        },
        ctx,
        `status.${to}`,
      ),
    );
    if (!wasAcknowledged) this.metrics.acknowledged(updated);
    if (to === 'resolved') this.metrics.resolved(updated);
    return updated;
  }

  async setRoles(
    id: string,
    roles: Partial<Record<IncidentRole, string | null>>,
    ctx: WriteContext,
  ): Promise<Incident> {
    return retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        async (cur, tx) => {
          const changed = INCIDENT_ROLES.filter(
            (r) => roles[r] !== undefined && (cur.roles[r] ?? null) !== roles[r],
          );
          if (!changed.length) throw conflict('no_change', 'every role already has the person you sent');
          const text = changed.map((r) => `${ROLE_LABEL[r]}: ${roles[r] ?? 'unassigned'}`).join('; ');
          await appendTimeline(
            tx,
            {
              incidentId: id,
              kind: 'role',
              text,
              at: ctx.at,
              author: ctx.actor,
              data: Object.fromEntries(changed.map((r) => [r, roles[r]])),
            },
            ctx,
          );
          const next = { ...cur.roles };
          for (const r of changed) next[r] = roles[r] ?? null;
          return { ...cur, roles: next };
        },
        ctx,
        'roles',
      ),
    );
  }

  async setChecklistItem(id: string, item: string, done: boolean, ctx: WriteContext): Promise<Incident> {
    const def = FIRST_RESPONDER_CHECKLIST.find((i) => i.id === item);
    if (!def) {
      throw new ApiError(
        404,
        'not_found',
        `checklist item "${item}" does not exist; use one of ${FIRST_RESPONDER_CHECKLIST.map((i) => i.id).join(', ')}`,
        [{ field: 'params.item', message: 'unknown checklist item' }],
      );
    }
    if (item === 'acknowledge' && done) {
      const cur = await this.repo.require(id);
      if (!cur.acknowledgedAt) return this.acknowledge(id, ctx);
    }
    return retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        async (cur, tx) => {
          const view = checklistState(cur).items.find((i) => i.id === item);
          if (view && !view.applicable) {
            throw unprocessable(
              'not_applicable',
              `"${def.text}" applies to S1 and S2 incidents; this one is ${cur.severity}`,
              [{ field: 'params.item', message: `not applicable to ${cur.severity}` }],
            );
          }
          if ((cur.checklist[item]?.done ?? false) === done) {
            throw conflict('no_change', `checklist item "${item}" is already ${done ? 'done' : 'not done'}`);
          }
          const at = ctx.at.toISOString();
          await appendTimeline(
            tx,
            {
              incidentId: id,
              kind: 'checklist',
              text: `${done ? 'Done' : 'Undone'}: ${def.text}`,
              at: ctx.at,
              author: ctx.actor,
              data: { item, done },
            },
            ctx,
          );
          return {
            ...cur,
            checklist: {
              ...cur.checklist,
              [item]: done ? { done, at, by: ctx.actor } : { done, at: null, by: null },
            },
          };
        },
        ctx,
        'checklist',
      ),
    );
  }

  async append(
    id: string,
    entry: { kind: TimelineKind; text: string; at?: string; data?: Record<string, unknown> },
    ctx: WriteContext,
  ) {
    await this.repo.require(id);
    // The entry and its audit row land together or not at all (a crash between them left entries unaudited).
    return this.app.store.db.transaction().execute((tx) =>
      appendTimeline(
        tx,
        {
          incidentId: id,
          kind: entry.kind,
          text: entry.text,
          at: entry.at ? new Date(entry.at) : ctx.at,
          author: ctx.actor,
          data: entry.data ?? null,
        },
        ctx,
      ),
    );
  }

  /** Flags, checklist and the changes that landed on the incident's services shortly before it. */
  async computed(incident: Incident, now: Date): Promise<IncidentComputed> {
    const db = this.app.store.db;
    const comms = await lastCommsEntry(db, incident.id);
    const postmortem = await readPostmortem(db, incident.id);
    const start = Date.parse(incident.startedAt);
    const services = [...new Set([incident.service, ...incident.services])];
    const rows = await db
      .selectFrom('changes')
      .select(['doc'])
      .where('service', 'in', services)
      .where('at', '>=', start - RECENT_CHANGES_LOOKBACK_MINUTES * 60_000)
      .where('at', '<=', start)
      .orderBy('at', 'desc')
      .limit(50)
      .execute();
    const recentChanges = rows.map((r) => {
      const c = JSON.parse(r.doc) as Change;
      return {
        id: c.id,
        title: c.title,
        kind: c.kind,
        risk: c.risk,
        status: c.status,
        service: c.service,
        at: c.startedAt ?? c.plannedStart ?? c.createdAt,
      };
    });
    return {
      flags: incidentFlags(incident, comms, now),
      checklist: checklistState(incident, { postmortemScheduled: !!postmortem }),
      recentChanges,
    };
  }
}
