// Incidents: CRUD, lifecycle actions (acknowledge, status, roles, checklist, resolve), the
// timeline, the status-page entry, postmortems with action items, and overdue lists.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ACTOR_MAX_LENGTH,
  ActionItemStatus,
  ErrorBody,
  Incident,
  IncidentCreate,
  IncidentListQuery,
  IncidentRoles,
  IncidentStatus,
  IncidentUpdate,
  Postmortem,
  PostmortemWrite,
  TimelineEntry,
  TimelineEntryCreate,
  statusPageApplies,
  statusPageEntry,
  statusPageMarkdown,
} from '@opsdeck/common';
import { IncidentActions } from '../incidents/actions';
import { registerIncidentMetrics } from '../incidents/metrics';
import {
  listActionItems,
  listPostmortems,
  readPostmortem,
  schedulePostmortem,
  writePostmortem,
} from '../incidents/postmortems';
import { buildIncident, refuseTimestampProblems } from '../incidents/build';
import { readTimeline } from '../incidents/timeline';
import { notFound, unprocessable } from '../errors';
import { IdParams, errorResponses, etag, expectedVersion, registerCrud, writeContext } from '../http/crud';
import { mergePatch } from '../http/merge-patch';

const tags = ['incidents'];
const actionErrors = { ...errorResponses, 409: ErrorBody, 422: ErrorBody };

/** Kinds the system writes itself (status, role, checklist, severity, field) are not appended by hand. */
const APPENDABLE_KINDS = ['note', 'comms', 'runbook-step'] as const;
const TimelineAppend = TimelineEntryCreate.extend({ kind: z.enum(APPENDABLE_KINDS).default('note') });

const StatusBody = z.strictObject({ status: IncidentStatus, text: z.string().trim().max(10_000).optional() });
const ResolveBody = z.strictObject({ text: z.string().trim().max(10_000).optional() });
const RolesBody = IncidentRoles.refine((b) => Object.values(b).some((v) => v !== undefined), {
  message: 'send at least one of ic, ops, comms, scribe',
});
const ChecklistParams = IdParams.extend({ item: z.string().min(1).max(100) });
const ChecklistBody = z.strictObject({ done: z.boolean().default(true) });

const StatusPageView = z.object({
  title: z.string(),
  severity: z.string(),
  status: IncidentStatus,
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  summary: z.string(),
  impact: z.string(),
  timeline: z.array(z.object({ at: z.string(), kind: z.enum(['status', 'comms']), text: z.string() })),
  mitigation: z.string(),
  nextSteps: z.string(),
});

const OverdueQuery = {
  overdue: z.enum(['true', 'false']).optional().describe('"true": only items past their due date'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};
const PostmortemListItem = z.object({
  incidentId: z.string(),
  incidentTitle: z.string(),
  severity: z.string(),
  service: z.string(),
  status: z.string(),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  updatedAt: z.string(),
});
const ActionItemListItem = z.object({
  id: z.string(),
  incidentId: z.string(),
  title: z.string(),
  owner: z.string(),
  dueDate: z.string(),
  status: ActionItemStatus,
  closedAt: z.string().nullable().optional(),
  overdue: z.boolean(),
});

export const incidentRoutes: FastifyPluginAsync = async (fastify) => {
  const metrics = registerIncidentMetrics(fastify.metrics, fastify.store, fastify.clock);
  const actions = new IncidentActions(fastify, metrics);

  registerCrud(fastify, {
    path: 'incidents',
    noun: 'incident',
    item: Incident,
    create: IncidentCreate,
    update: IncidentUpdate,
    listQuery: IncidentListQuery,
    repo: (a) => a.repos.incidents,
    build: buildIncident,
    // IncidentUpdate refuses `status`: lifecycle moves go through POST /status. Times may be corrected
    // in step with the status; the postmortem is due from the (corrected) resolution and severity.
    apply: async (current, patch, ctx, _app, tx) => {
      const next = mergePatch(current, patch);
      refuseTimestampProblems(current, next, ctx.at);
      if (
        next.status === 'resolved' &&
        (next.resolvedAt !== current.resolvedAt || next.severity !== current.severity)
      ) {
        await schedulePostmortem(tx, next, ctx);
      }
      return next;
    },
    filter: (q) => ({
      eq: { service: q.service, severity: q.severity, status: q.status === 'open' ? undefined : q.status },
      ne: { status: q.status === 'open' ? 'resolved' : undefined },
    }),
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/incidents/:id';

  app.get(
    `${base}/detail`,
    {
      schema: {
        tags,
        summary: 'An incident with computed flags, checklist state and recent changes',
        params: IdParams,
        response: { 200: Incident, ...errorResponses },
      },
    },
    async (request, reply) => {
      const incident = await fastify.repos.incidents.require(request.params.id);
      etag(reply, incident.version);
      return { ...incident, computed: await actions.computed(incident, fastify.clock.now()) };
    },
  );

  app.post(
    `${base}/acknowledge`,
    {
      schema: {
        tags,
        summary: 'Acknowledge the page (due within 5 minutes)',
        params: IdParams,
        response: { 200: Incident, ...actionErrors },
      },
    },
    async (request) => actions.acknowledge(request.params.id, writeContext(request)),
  );

  app.post(
    `${base}/status`,
    {
      schema: {
        tags,
        summary: 'Move the incident through investigating → identified → monitoring → resolved (or reopen)',
        params: IdParams,
        body: StatusBody,
        response: { 200: Incident, ...actionErrors },
      },
    },
    async (request) =>
      actions.setStatus(request.params.id, request.body.status, request.body.text, writeContext(request)),
  );

  app.post(
    `${base}/resolve`,
    {
      schema: {
        tags,
        summary: 'Declare resolved and schedule the postmortem (S1/S2)',
        params: IdParams,
        body: ResolveBody,
        response: { 200: Incident, ...actionErrors },
      },
    },
    async (request) =>
      actions.setStatus(request.params.id, 'resolved', request.body.text, writeContext(request)),
  );

  app.post(
    `${base}/roles`,
    {
      schema: {
        tags,
        summary: 'Assign (or with null, unassign) IC, Ops, Comms, Scribe',
        params: IdParams,
        body: RolesBody,
        response: { 200: Incident, ...actionErrors },
      },
    },
    async (request) => actions.setRoles(request.params.id, request.body, writeContext(request)),
  );

  app.post(
    `${base}/checklist/:item`,
    {
      schema: {
        tags,
        summary: 'Tick or untick a first-responder checklist item',
        params: ChecklistParams,
        body: ChecklistBody,
        response: { 200: Incident, ...actionErrors },
      },
    },
    async (request) =>
      actions.setChecklistItem(
        request.params.id,
        request.params.item,
        request.body.done,
        writeContext(request),
      ),
  );

  app.get(
    `${base}/timeline`,
    {
      schema: {
        tags,
        summary: 'The timeline, oldest first',
        params: IdParams,
        response: { 200: z.object({ items: z.array(TimelineEntry) }), ...errorResponses },
      },
    },
    async (request) => {
      await fastify.repos.incidents.require(request.params.id);
      return { items: await readTimeline(fastify.store.db, request.params.id) };
    },
  );

  app.post(
    `${base}/timeline`,
    {
      schema: {
        tags,
        summary: 'Append a note, comms update or runbook step (comms resets the 30-minute cadence)',
        params: IdParams,
        body: TimelineAppend,
        response: { 201: TimelineEntry, ...errorResponses },
      },
    },
    async (request, reply) => {
      const entry = await actions.append(request.params.id, request.body, writeContext(request));
      return reply.status(201).send(entry);
    },
  );

  const statusPage = async (id: string) => {
    const incident = await fastify.repos.incidents.require(id);
    if (!statusPageApplies(incident.severity)) {
      throw unprocessable(
        'not_applicable',
        `status-page entries are for S1 and S2 incidents; this one is ${incident.severity}`,
        [{ field: 'severity', message: 'raise the severity to S2 or S1 to publish a status page entry' }],
      );
    }
    return statusPageEntry(incident, await readTimeline(fastify.store.db, id));
  };

  app.get(
    `${base}/status-page`,
    {
      schema: {
        tags,
        summary: 'Status-page entry (S2+): summary, impact, timeline, mitigation, next steps',
        params: IdParams,
        response: { 200: StatusPageView, ...actionErrors },
      },
    },
    async (request) => statusPage(request.params.id),
  );

  app.get(
    `${base}/status-page.md`,
    {
      schema: {
        tags,
        summary: 'Status-page entry as markdown',
        params: IdParams,
        response: { 200: z.string(), ...actionErrors },
      },
    },
    async (request, reply) => {
      const md = statusPageMarkdown(await statusPage(request.params.id));
      return reply.type('text/markdown; charset=utf-8').send(md);
    },
  );

  app.get(
    `${base}/postmortem`,
    {
      schema: {
        tags,
        summary: 'The postmortem of an incident',
        params: IdParams,
        response: { 200: Postmortem, ...errorResponses },
      },
    },
    async (request, reply) => {
      await fastify.repos.incidents.require(request.params.id);
      const pm = await readPostmortem(fastify.store.db, request.params.id);
      if (!pm) throw notFound('postmortem of incident', request.params.id);
      etag(reply, pm.version);
      return pm;
    },
  );

  app.put(
    `${base}/postmortem`,
    {
      schema: {
        tags,
        summary:
          'Write the blameless postmortem and its action items; replacing an existing one (also the draft ' +
          'scheduled on resolve) needs If-Match or body.version, else 428',
        params: IdParams,
        body: PostmortemWrite,
        response: { 200: Postmortem, ...actionErrors, 428: ErrorBody },
      },
    },
    async (request, reply) => {
      const incident = await fastify.repos.incidents.require(request.params.id);
      const expected = expectedVersion(request, request.body.version, false);
      const pm = await writePostmortem(
        fastify.store.db,
        incident,
        request.body,
        expected,
        writeContext(request),
      );
      etag(reply, pm.version);
      return pm;
    },
  );

  app.get(
    '/api/v1/postmortems',
    {
      schema: {
        tags,
        summary: 'Postmortems by due date; ?overdue=true lists those past due and unpublished',
        querystring: z.strictObject(OverdueQuery),
        response: { 200: z.object({ items: z.array(PostmortemListItem) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await listPostmortems(fastify.store.db, {
        overdue: request.query.overdue === 'true',
        limit: request.query.limit,
        now: fastify.clock.now(),
      }),
    }),
  );

  app.get(
    '/api/v1/action-items',
    {
      schema: {
        tags,
        summary: 'Postmortem action items by due date; ?overdue=true lists open ones past due',
        querystring: z.strictObject({
          ...OverdueQuery,
          owner: z.string().max(ACTOR_MAX_LENGTH).optional(),
          status: ActionItemStatus.optional(),
        }),
        response: { 200: z.object({ items: z.array(ActionItemListItem) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: await listActionItems(fastify.store.db, {
        overdue: request.query.overdue === 'true',
        owner: request.query.owner,
        status: request.query.status,
        limit: request.query.limit,
        now: fastify.clock.now(),
      }),
    }),
  );
};
