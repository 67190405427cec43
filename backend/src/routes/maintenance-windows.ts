// Maintenance windows: CRUD (schedules and matchers checked as Alertmanager will), occurrences,
// silence state per target, and end-early / extend acting on the live silences.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  breadthProblem,
  currentOccurrence,
  ErrorBody,
  expandOccurrences,
  ExtendRequest,
  MaintenanceWindow,
  MaintenanceWindowCreate,
  MaintenanceWindowListQuery,
  MaintenanceWindowUpdate,
  Occurrence,
  OccurrencesQuery,
  SilenceTargetState,
  Slug,
  windowProblem,
} from '@opsdeck/common';
import { ApiError, badRequest, conflict } from '../errors';
import { errorResponses, IdParams, registerCrud, writeContext } from '../http/crud';
import { mergePatch } from '../http/merge-patch';

const WindowCreateBody = MaintenanceWindowCreate.extend({ id: Slug.optional() });
const DAY_MS = 86_400_000;
const DEFAULT_OCCURRENCE_RANGE_MS = 7 * DAY_MS;
const MAX_OCCURRENCE_RANGE_MS = 366 * DAY_MS;
/** The longest occurrence a schedule allows (its duration limit), also after extending. */
const MAX_OCCURRENCE_MS = 14 * DAY_MS;

/** What decides how much a window silences: an editor may keep it broad only by leaving these alone. */
const BREADTH_FIELDS = ['matchers', 'schedule', 'timeZone', 'targets', 'enabled'] as const;
type Checked = Pick<MaintenanceWindow, 'id' | 'timeZone' | 'schedule' | 'matchers' | 'enabled' | 'targets'>;

/**
 * Refuses a window Alertmanager would refuse, the silencer could not expand or bound, or (unless an
 * admin writes it) one without an equality matcher, naming the field. An editor may still rename,
 * describe or disable an admin's broad window, but not widen, reschedule or enable it.
 */
function checkWindow<W extends Checked>(window: W, request: FastifyRequest, before?: Checked): W {
  const unchanged =
    before !== undefined &&
    BREADTH_FIELDS.every((f) => JSON.stringify(before[f]) === JSON.stringify(window[f]));
  const problem = windowProblem(window, {
    lookAheadMs: request.server.silencer.lookAheadMs,
    mayBeBroad: request.role === 'admin' || !window.enabled || unchanged,
  });
  if (problem) throw badRequest(`body.${problem.field}`, problem.message);
  return window;
}

const SilencesResponse = z.object({
  windowId: z.string(),
  instanceId: z.string().describe("this installation's id, marked on its silences as instance=<id>"),
  intervalSeconds: z.number(),
  lookAheadMinutes: z.number(),
  states: z.array(SilenceTargetState),
});

const AdjustResponse = z.object({ occurrence: Occurrence, silences: z.array(SilenceTargetState) });

/** The window's state on every target it names (or every configured one), pending until a cycle saw it. */
async function silenceStates(app: FastifyInstance, window: MaintenanceWindow): Promise<SilenceTargetState[]> {
  const stored = new Map((await app.silencer.state.statesFor(window.id)).map((s) => [s.target, s]));
  const configured = app.silencer.targets.map((t) => t.name);
  const names = window.targets.length > 0 ? window.targets : configured;
  return names.map((target): SilenceTargetState => {
    const base = {
      windowId: window.id,
      target,
      desired: 0,
      silenceIds: [],
      lastSyncAt: null,
      lastAttemptAt: null,
    };
    if (!configured.includes(target)) {
      return {
        ...base,
        state: 'error',
        message: `target ${target} is not configured: list it in ALERTMANAGER_URLS, or set GRAFANA_URL for "grafana"`,
      };
    }
    const s = stored.get(target);
    if (!s) return { ...base, state: 'pending', message: 'not reconciled yet' };
    if (s.lastAttemptAt && s.lastAttemptAt < window.updatedAt) {
      return { ...s, state: 'pending', message: 'window changed after the last cycle' };
    }
    return s;
  });
}

export const maintenanceWindowRoutes: FastifyPluginAsync = async (fastify) => {
  registerCrud(fastify, {
    path: 'maintenance-windows',
    noun: 'maintenance window',
    item: MaintenanceWindow,
    create: WindowCreateBody,
    update: MaintenanceWindowUpdate,
    listQuery: MaintenanceWindowListQuery,
    repo: (a) => a.repos.maintenanceWindows,
    build: (input: z.output<typeof WindowCreateBody>, _ctx, _app, request) =>
      checkWindow({ ...input, id: input.id ?? randomUUID(), source: 'api' as const }, request),
    apply: (current, patch, _ctx, _app, _tx, request) =>
      checkWindow(mergePatch(current, patch), request, current),
    filter: (q) => ({
      eq: { service: q.service, enabled: q.enabled === undefined ? undefined : q.enabled === 'true' ? 1 : 0 },
    }),
  });

  // A changed window reaches Alertmanager now rather than at the next tick (end and extend run
  // their cycle before answering).
  fastify.addHook('onResponse', async (request, reply) => {
    const acted = /\/(end|extend)$/.test(request.routeOptions.url ?? '');
    if (request.method !== 'GET' && !acted && reply.statusCode < 400 && fastify.silencer.targets.length > 0) {
      fastify.silencer
        .runCycle()
        .catch((err) => request.log.warn({ err }, 'silencer cycle after a window change failed'));
    }
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/maintenance-windows/:id';
  const tags = ['maintenance-windows'];

  app.get(
    `${base}/occurrences`,
    {
      schema: {
        tags,
        summary: 'Occurrences of a maintenance window in [from, to) (default: the next 7 days)',
        params: IdParams,
        querystring: OccurrencesQuery,
        response: {
          200: z.object({
            windowId: z.string(),
            from: z.string(),
            to: z.string(),
            items: z.array(Occurrence),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const window = await app.repos.maintenanceWindows.require(request.params.id);
      const from = request.query.from ? new Date(request.query.from) : app.clock.now();
      const to = request.query.to
        ? new Date(request.query.to)
        : new Date(from.getTime() + DEFAULT_OCCURRENCE_RANGE_MS);
      if (to <= from) throw badRequest('query.to', 'must be after from');
      if (to.getTime() - from.getTime() > MAX_OCCURRENCE_RANGE_MS)
        throw badRequest('query.to', 'ask for at most 366 days at a time');
      const adjustments = await app.silencer.state.adjustmentsFor(window.id);
      return {
        windowId: window.id,
        from: from.toISOString(),
        to: to.toISOString(),
        items: expandOccurrences(window, from, to, adjustments),
      };
    },
  );

  app.get(
    `${base}/silences`,
    {
      schema: {
        tags,
        summary: 'Silence state of a maintenance window on each target (synced, pending, error)',
        params: IdParams,
        response: { 200: SilencesResponse, ...errorResponses },
      },
    },
    async (request) => {
      const window = await app.repos.maintenanceWindows.require(request.params.id);
      return {
        windowId: window.id,
        instanceId: await app.silencer.instanceId(),
        intervalSeconds: app.silencer.intervalMs / 1000,
        lookAheadMinutes: app.silencer.lookAheadMs / 60_000,
        states: await silenceStates(app, window),
      };
    },
  );

  /** Moves the end of the open occurrence, then reconciles at once so the live silences follow. */
  const adjustOpen = async (
    id: string,
    ctx: ReturnType<typeof writeContext>,
    action: 'end' | 'extend',
    newEnd: (o: Occurrence) => Date,
  ) => {
    const window = await app.repos.maintenanceWindows.require(id);
    const adjustments = await app.silencer.state.adjustmentsFor(id);
    const open = currentOccurrence(window, ctx.at, adjustments);
    if (!open) {
      throw conflict(
        'no_open_occurrence',
        `maintenance window "${id}" is not open now; see GET ${base.replace(':id', id)}/occurrences`,
      );
    }
    const end = newEnd(open);
    await app.silencer.state.adjust(id, open, end, { ...ctx, action });
    if (app.silencer.targets.length > 0) {
      // Another replica may hold the lock; it then applies the change within one interval.
      await app.silencer
        .runCycle()
        .catch((err) => app.log.warn({ err }, 'silencer cycle after end/extend failed'));
    }
    const scheduledEnd = open.scheduledEnd ?? open.end;
    const occurrence: Occurrence = {
      ...open,
      end: end.toISOString(),
      scheduledEnd,
      adjustment: end.toISOString() < scheduledEnd ? 'ended-early' : 'extended',
    };
    return { occurrence, silences: await silenceStates(app, window) };
  };

  app.post(
    `${base}/end`,
    {
      schema: {
        tags,
        summary: 'End the open occurrence now; its silences are expired',
        params: IdParams,
        response: { 200: AdjustResponse, ...errorResponses, 409: ErrorBody },
      },
    },
    async (request) =>
      adjustOpen(request.params.id, writeContext(request), 'end', () => writeContext(request).at),
  );

  app.post(
    `${base}/extend`,
    {
      schema: {
        tags,
        summary: 'Extend the open occurrence by minutes or until a time; its silences follow',
        params: IdParams,
        body: ExtendRequest,
        response: { 200: AdjustResponse, ...errorResponses, 409: ErrorBody },
      },
    },
    async (request) => {
      const ctx = writeContext(request);
      const body = request.body;
      const field = 'minutes' in body ? 'body.minutes' : 'body.until';
      const window = await app.repos.maintenanceWindows.require(request.params.id);
      const broad = breadthProblem(window.matchers);
      if (broad && request.role !== 'admin') {
        throw new ApiError(
          403,
          'forbidden',
          `maintenance window "${window.id}" matchers: ${broad.message}, so only an admin may extend it`,
          [{ field: 'matchers', message: broad.message }],
        );
      }
      return adjustOpen(request.params.id, ctx, 'extend', (open) => {
        const end =
          'minutes' in body ? new Date(Date.parse(open.end) + body.minutes * 60_000) : new Date(body.until);
        if (end <= ctx.at) throw badRequest(field, 'must be in the future; to stop now use POST .../end');
        if (end.getTime() - Date.parse(open.start) > MAX_OCCURRENCE_MS)
          throw badRequest(field, 'an occurrence lasts at most 14 days');
        return end;
      });
    },
  );
};
