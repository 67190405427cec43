// POST /api/v1/query: the Grafana data source's targets in, Grafana data frames out (per refId, like
// Grafana's backend query response). A target that fails answers an error beside the others' frames.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ANNOTATION_SOURCES,
  parseReportPeriod,
  previousReportPeriod,
  reportPeriodAt,
  reportPeriodRange,
  BURN_RATE_WINDOWS,
  type Change,
  CHANGE_STATUSES,
  ErrorBody,
  filterValues,
  INCIDENT_STATUSES,
  type Incident,
  MAX_STEP_DAYS,
  MAX_STEP_MS,
  type OpsdeckQuery,
  QUERY_FILTERS,
  QUERY_KIND_FILTERS,
  type QueryFilter,
  QueryRequest,
  QueryResponse,
  type QueryResult,
  RISKS,
  SEVERITIES,
  SEVERITY_MATRIX,
  type Slo,
  currentAndUpcoming,
  incidentStatistics,
} from '@opsdeck/common';
import { annotationsFor } from '../annotations/query';
import { buildComplianceReport } from '../reports/compliance-report';
import { ApiError, badRequest } from '../errors';
import type { SloEvaluator } from '../slo/evaluator';
import {
  annotationsFrame,
  burndownStepSeconds,
  changesFrame,
  incidentMetricsFrame,
  incidentsFrame,
  maintenanceWindowsFrame,
  sloBudgetFrames,
  sloComplianceFrame,
  sloStatusFrame,
  variableValuesFrame,
} from './query-frames';

export interface QueryRoutesOptions {
  /** The SLO evaluator to use; by default the app's (see slo/routes.ts). */
  evaluator?: SloEvaluator;
}

const DEFAULT_LIMIT = 500;
const DEFAULT_BURNDOWN_POINTS = 24;
/** Prometheus refuses range queries over 11,000 points per series. */
const MAX_POINTS = 11_000;
const DEFAULT_SERIES_POINTS = 1000;
const BUDGET_BURN_WINDOW = '1h';
const UPCOMING_MS = 90 * 86_400_000;
/** Filter values combine into one store query each; more combinations than this is a mistake. */
const MAX_COMBINATIONS = 64;

const ALLOWED: Partial<Record<QueryFilter, readonly string[]>> = {
  severity: SEVERITIES,
  risk: RISKS,
};

interface Context {
  app: FastifyInstance;
  evaluator: SloEvaluator;
  from: Date;
  to: Date;
  now: Date;
}

type Filters = Record<QueryFilter, string[]>;

/** Splits and checks a target's filters; a value outside its vocabulary is the caller's 400. */
function parseFilters(q: OpsdeckQuery, index: number): Filters {
  const out = {} as Filters;
  const honoured = QUERY_KIND_FILTERS[q.kind];
  for (const filter of QUERY_FILTERS) {
    const values = filterValues(q[filter]);
    const field = `body.queries.${index}.${filter}`;
    if (values.length > 0 && !honoured.includes(filter)) {
      throw badRequest(
        field,
        `the ${q.kind} kind has no ${filter} filter; it honours ${honoured.join(', ') || 'none'}`,
      );
    }
    const allowed =
      filter === 'status' ? (q.kind === 'changes' ? CHANGE_STATUSES : INCIDENT_STATUSES) : ALLOWED[filter];
    const bad = allowed ? values.filter((v) => !allowed.includes(v)) : [];
    if (bad.length > 0)
      throw badRequest(
        field,
        `unknown value ${bad.map((b) => `"${b}"`).join(', ')}; use ${allowed!.join(', ')}`,
      );
    out[filter] = values;
  }
  return out;
}

/** Every combination of the given multi-valued filters, one store query each ([] = no filter). */
function combinations(lists: Record<string, string[]>): Array<Record<string, string | undefined>> {
  let combos: Array<Record<string, string | undefined>> = [{}];
  for (const [key, values] of Object.entries(lists)) {
    if (values.length === 0) continue;
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (combos.length > MAX_COMBINATIONS) {
    throw badRequest(
      'body.queries',
      `filters combine into ${combos.length} lookups; narrow them to at most ${MAX_COMBINATIONS}`,
    );
  }
  return combos;
}

const byTimeDesc =
  <T>(time: (t: T) => number) =>
  (a: T, b: T) =>
    time(b) - time(a);

const sloMatches = (s: Slo, f: Filters) =>
  (f.service.length === 0 || f.service.includes(s.service)) && (f.slo.length === 0 || f.slo.includes(s.id));

async function matchingSlos(ctx: Context, f: Filters): Promise<Slo[]> {
  return (await ctx.app.repos.slos.all()).filter((s) => sloMatches(s, f));
}

async function listIncidents(ctx: Context, f: Filters, limit: number): Promise<Incident[]> {
  const pages = await Promise.all(
    combinations({ service: f.service, severity: f.severity, status: f.status }).map((eq) =>
      ctx.app.repos.incidents.list({ eq, from: ctx.from.getTime(), to: ctx.to.getTime(), limit }),
    ),
  );
  return pages
    .flatMap((p) => p.items)
    .sort(byTimeDesc((i) => Date.parse(i.startedAt)))
    .slice(0, limit);
}

async function listChanges(ctx: Context, f: Filters, limit: number): Promise<Change[]> {
  const pages = await Promise.all(
    combinations({ service: f.service, risk: f.risk, status: f.status }).map((eq) =>
      ctx.app.repos.changes.list({ eq, from: ctx.from.getTime(), to: ctx.to.getTime(), limit }),
    ),
  );
  const at = (c: Change) => Date.parse(c.startedAt ?? c.plannedStart ?? c.createdAt);
  return pages
    .flatMap((p) => p.items)
    .sort(byTimeDesc(at))
    .slice(0, limit);
}

/**
 * The step of a time-series target: the panel's interval, or the range over its points (at most 11,000),
 * whole minutes of at least one. Steps over a year overflow Prometheus's durations: a 400 naming the field.
 */
function seriesStepSeconds(q: OpsdeckQuery, index: number, from: Date, to: Date): number {
  const span = (to.getTime() - from.getTime()) / 1000;
  const points = Math.min(q.maxDataPoints ?? DEFAULT_SERIES_POINTS, MAX_POINTS);
  const wanted = Math.max((q.intervalMs ?? 0) / 1000, span / points, 60);
  const step = Math.ceil(wanted / 60) * 60;
  if (step > MAX_STEP_MS / 1000) {
    throw badRequest(
      `body.queries.${index}.maxDataPoints`,
      `gives steps over ${MAX_STEP_DAYS}d for this range: use at least ${Math.ceil(span / (MAX_STEP_MS / 1000))}`,
    );
  }
  return step;
}

/**
 * Points one SLO target asks of Prometheus per SLO it matches: slo-status its status (one) and its
 * burn-down points, slo-budget one per step of the range. Other kinds ask Prometheus nothing.
 */
function pointsPerSlo(q: OpsdeckQuery, index: number, from: Date, to: Date): number {
  if (q.kind === 'slo-status') return 1 + (q.burndownPoints ?? DEFAULT_BURNDOWN_POINTS);
  if (q.kind === 'slo-budget') {
    const step = seriesStepSeconds(q, index, from, to);
    return Math.floor((to.getTime() - from.getTime()) / 1000 / step) + 1;
  }
  return 0;
}

/**
 * The request's cost, Σ over its targets of SLOs matched × points per SLO, checked against the budget
 * before anything is asked: one request cannot queue range queries for every SLO many times over.
 */
function checkBudget(
  targets: readonly { q: OpsdeckQuery; filters: Filters }[],
  slos: readonly Slo[],
  from: Date,
  to: Date,
  limit: number,
): void {
  const costs = targets.map(({ q, filters }, i) => {
    const points = pointsPerSlo(q, i, from, to);
    return points === 0 ? 0 : points * slos.filter((s) => sloMatches(s, filters)).length;
  });
  const total = costs.reduce((a, b) => a + b, 0);
  if (total <= limit) return;
  const heaviest = costs.indexOf(Math.max(...costs));
  const message =
    `asks Prometheus for ${total} points (targets × SLOs × steps), over the limit of ${limit} per request ` +
    `(QUERY_MAX_POINTS); the heaviest is body.queries.${heaviest} (refId ${targets[heaviest]!.q.refId}, ${costs[heaviest]} points): ` +
    'filter it to fewer SLOs (slo, service), lower maxDataPoints or burndownPoints, or split the targets over panels';
  throw new ApiError(400, 'query_budget_exceeded', `body.queries: ${message}`, [
    { field: 'body.queries', message, limit, points: total, heaviest: `body.queries.${heaviest}` },
  ]);
}

async function runQuery(ctx: Context, q: OpsdeckQuery, index: number, f: Filters): Promise<QueryResult> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  switch (q.kind) {
    case 'slo-status': {
      const slos = await matchingSlos(ctx, f);
      const { items, errors } = await ctx.evaluator.statuses(slos);
      const points = q.burndownPoints ?? DEFAULT_BURNDOWN_POINTS;
      const byId = new Map(slos.map((s) => [s.id, s]));
      const rows = await Promise.all(
        items.map(async (status) => {
          const slo = byId.get(status.id)!;
          let burndown: Array<[number, number]> = [];
          if (points > 0) {
            const start = new Date(status.window.start);
            const end = new Date(status.window.end);
            const budget = await ctx.evaluator.budget(slo, {
              from: start,
              to: end,
              stepSeconds: burndownStepSeconds(slo.window, points),
              burnWindow: BUDGET_BURN_WINDOW,
            });
            burndown = (budget.series[0]?.remaining ?? [])
              .filter((p): p is [string, number] => p[1] !== null)
              .map(([t, v]) => [Date.parse(t), v]);
          }
          return { name: slo.name, window: slo.window, status, burndown };
        }),
      );
      return {
        frames: [sloStatusFrame(q.refId, rows, BURN_RATE_WINDOWS)],
        ...(errors.length > 0
          ? {
              error: `${errors.length} SLO(s) could not be evaluated: ${errors.map((e) => `${e.id} (${messageOf(e.error)})`).join('; ')}`,
            }
          : {}),
      };
    }
    case 'slo-budget': {
      const stepSeconds = seriesStepSeconds(q, index, ctx.from, ctx.to);
      const slos = await matchingSlos(ctx, f);
      const budgets = await Promise.all(
        slos.map((slo) =>
          ctx.evaluator
            .budget(slo, { from: ctx.from, to: ctx.to, stepSeconds, burnWindow: BUDGET_BURN_WINDOW })
            .then((b) => sloBudgetFrames(q.refId, b, slo.service)),
        ),
      );
      return { frames: budgets.flat() };
    }
    case 'incidents':
      return { frames: [incidentsFrame(q.refId, await listIncidents(ctx, f, limit))] };
    case 'changes':
      return { frames: [changesFrame(q.refId, await listChanges(ctx, f, limit))] };
    case 'maintenance-windows': {
      const windows = (await ctx.app.repos.maintenanceWindows.all())
        .filter((w) => f.service.length === 0 || (w.service !== null && f.service.includes(w.service)))
        .slice(0, limit)
        .map((window) => ({
          window,
          next: window.enabled ? currentAndUpcoming(window, ctx.now, UPCOMING_MS)[0] : undefined,
        }));
      return { frames: [maintenanceWindowsFrame(q.refId, windows)] };
    }
    case 'incident-metrics': {
      const inRange = await listIncidents(ctx, { ...f, status: [] }, 5000);
      const open = await Promise.all(
        combinations({ service: f.service, severity: f.severity }).map((eq) =>
          ctx.app.repos.incidents.list({ eq, ne: { status: 'resolved' }, limit: 5000 }),
        ),
      ).then((pages) => pages.flatMap((p) => p.items));
      return { frames: [incidentMetricsFrame(q.refId, incidentStatistics(inRange, open, ctx.now))] };
    }
    case 'annotations': {
      const services: Array<string | undefined> = f.service.length > 0 ? f.service : [undefined];
      const parts = await Promise.all(
        services.map((service) =>
          annotationsFor(ctx.app, {
            from: ctx.from.getTime(),
            to: ctx.to.getTime(),
            kinds: q.annotationSources?.length ? q.annotationSources : ANNOTATION_SOURCES,
            service,
            severities: f.severity as Incident['severity'][],
            risks: f.risk as Change['risk'][],
            limit,
            now: ctx.now.getTime(),
          }),
        ),
      );
      const annotations = parts
        .flat()
        .sort((a, b) => b.time - a.time)
        .slice(0, limit);
      return { frames: [annotationsFrame(q.refId, annotations)] };
    }
    case 'slo-compliance': {
      const last = q.period
        ? parseReportPeriod(q.period)
        : reportPeriodAt(q.periodKind ?? 'month', new Date(Math.min(ctx.to.getTime(), ctx.now.getTime())));
      if (typeof last === 'string') throw badRequest(`body.queries.${index}.period`, last);
      const periods = Array.from({ length: q.periods ?? 1 }, (_, k) => previousReportPeriod(last, k))
        .reverse()
        .filter((p) => reportPeriodRange(p, 'UTC').start.getTime() <= ctx.now.getTime());
      if (periods.length === 0)
        throw badRequest(`body.queries.${index}.period`, `${last.label} has not begun yet`);
      const slos = await matchingSlos(ctx, f);
      const reports = await Promise.all(periods.map((p) => buildComplianceReport(ctx.app, p, slos)));
      return { frames: [sloComplianceFrame(q.refId, reports)] };
    }
    case 'variable-values': {
      if (q.variable === 'severities') {
        return {
          frames: [
            variableValuesFrame(
              q.refId,
              SEVERITIES.map((s) => ({ text: `${s} ${SEVERITY_MATRIX[s].label}`, value: s })),
            ),
          ],
        };
      }
      const slos = await matchingSlos(ctx, { ...f, slo: [] });
      if (q.variable === 'slos') {
        const options = slos
          .map((s) => ({ text: s.name, value: s.id }))
          .sort((a, b) => a.text.localeCompare(b.text));
        return { frames: [variableValuesFrame(q.refId, options)] };
      }
      const [incidents, changes, windows] = await Promise.all([
        ctx.app.repos.incidents.list({ limit: 1000 }),
        ctx.app.repos.changes.list({ limit: 1000 }),
        ctx.app.repos.maintenanceWindows.all(),
      ]);
      const services = new Set<string>([
        ...slos.map((s) => s.service),
        ...incidents.items.map((i) => i.service),
        ...changes.items.map((c) => c.service),
        ...windows.flatMap((w) => (w.service ? [w.service] : [])),
      ]);
      const sorted = [...services].sort((a, b) => a.localeCompare(b));
      return {
        frames: [
          variableValuesFrame(
            q.refId,
            sorted.map((s) => ({ text: s, value: s })),
          ),
        ],
      };
    }
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const queryRoutes: FastifyPluginAsync<QueryRoutesOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // One evaluator per app (shared Prometheus client, cache and SLO gauges), decorated by the SLO routes.
  const evaluator = opts.evaluator ?? fastify.sloEvaluator;
  if (!evaluator)
    throw new Error('query routes need the SLO evaluator: register sloStatusRoutes before queryRoutes');

  app.post(
    '/api/v1/query',
    {
      // Reading through POST: a viewer token (what the Grafana data source holds) suffices.
      config: { minRole: 'viewer' },
      schema: {
        tags: ['query'],
        summary: 'Grafana data frames for the opsdeck data source',
        description:
          'Each target answers under its refId with frames (DataFrameJSON) or an error; one failing target does not fail the others. ' +
          'The SLO targets of one request may ask Prometheus for at most QUERY_MAX_POINTS points (default 100000), counted as Σ SLOs matched × points per SLO ' +
          '(slo-status: 1 + burndownPoints; slo-budget: one per step); more is a 400 query_budget_exceeded naming body.queries, the limit and the heaviest target.',
        body: QueryRequest,
        response: { 200: QueryResponse, 400: ErrorBody },
      },
    },
    async (request) => {
      const body = request.body;
      const from = new Date(body.from);
      const to = new Date(body.to);
      if (from.getTime() > to.getTime()) throw badRequest('body.from', 'must not be after to');
      const refIds = new Set<string>();
      const parsed = body.queries.map((q, i) => {
        if (refIds.has(q.refId))
          throw badRequest(`body.queries.${i}.refId`, `"${q.refId}" is used twice; refIds must be unique`);
        refIds.add(q.refId);
        if (q.kind === 'variable-values' && !q.variable) {
          throw badRequest(
            `body.queries.${i}.variable`,
            'is required for variable-values: services, slos or severities',
          );
        }
        return { q, filters: parseFilters(q, i) };
      });
      if (parsed.some(({ q }) => q.kind === 'slo-status' || q.kind === 'slo-budget'))
        checkBudget(parsed, await fastify.repos.slos.all(), from, to, fastify.config.QUERY_MAX_POINTS);
      const ctx: Context = { app: fastify, evaluator, from, to, now: fastify.clock.now() };
      const answers = await Promise.all(
        parsed.map(async ({ q, filters }, i): Promise<[string, QueryResult]> => {
          try {
            return [q.refId, await runQuery(ctx, q, i, filters)];
          } catch (err) {
            // A target's own failure (Prometheus down, an SLO that cannot be evaluated) stays with it.
            if (err instanceof ApiError && err.status < 500 && err.code === 'validation_failed') throw err;
            const status = err instanceof ApiError ? err.status : 500;
            if (status >= 500 && !(err instanceof ApiError))
              request.log.error({ err, refId: q.refId }, 'query target failed');
            return [q.refId, { frames: [], error: messageOf(err), status }];
          }
        }),
      );
      return { results: Object.fromEntries(answers) };
    },
  );
};
