// SLO status API: one SLO, all SLOs, and budget series for a Grafana time range; keeps the
// opsdeck_slo_* gauges on /metrics current with every evaluation (and a periodic refresh).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge } from 'prom-client';
import { z } from 'zod';
import { BURN_RATE_WINDOWS, ErrorBody, parseDuration } from '@opsdeck/common';
import '../decorations';
import { ApiError, badRequest } from '../errors';
import { prometheusPlugin } from '../prometheus/plugin';
import type { PrometheusClient } from '../prometheus/client';
import { errorResponses } from '../http/crud';
import { exclusionRanges } from '../exclusions/store';
import { SloEvaluator } from './evaluator';
import { SloBatchStatus, SloBudget, SloStatus } from './status';

declare module 'fastify' {
  interface FastifyInstance {
    sloEvaluator: SloEvaluator;
  }
}

export interface SloStatusOptions {
  /** a client to use instead of one built from the config */
  prometheus?: PrometheusClient;
  /** how often all SLOs are evaluated to refresh the gauges; 0 turns the loop off */
  gaugeRefreshMs?: number;
}

/** Prometheus answers at most 11,000 points per series. */
const MAX_POINTS = 11_000;
const DEFAULT_MAX_DATA_POINTS = 500;
/** The finest step worth asking for: scrape and rule intervals are a minute or so. */
const MIN_STEP_SECONDS = 60;
/** The coarsest step, a point a year; far longer ones overflow Prometheus's durations. */
const MAX_STEP_DAYS = 366;
const MAX_STEP_SECONDS = MAX_STEP_DAYS * 86_400;

const Unavailable = {
  503: ErrorBody.describe('Prometheus is unreachable or failing; the message names the cause'),
};

const Time = z.string().min(1).describe('RFC 3339, or Unix epoch milliseconds as Grafana sends them');

const BudgetQuery = z.strictObject({
  from: Time.optional().describe('default: 24 hours before `to`'),
  to: Time.optional().describe('default: now'),
  step: z
    .string()
    .regex(/^(\d+|(\d+[wdhms])+)$/, 'seconds, or a duration like 5m')
    .optional()
    .describe(
      'seconds between points, or a duration like 5m; at most the range and 366d; default derived from maxDataPoints',
    ),
  maxDataPoints: z.coerce.number().int().min(1).max(MAX_POINTS).default(DEFAULT_MAX_DATA_POINTS),
  burnWindow: z
    .enum(BURN_RATE_WINDOWS as [string, ...string[]])
    .default('1h')
    .describe('window of the burn-rate series'),
});

function parseTime(value: string, field: string): Date {
  const t = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(t.getTime())) throw badRequest(field, 'must be RFC 3339 or epoch milliseconds');
  return t;
}

function installGauges(app: FastifyInstance) {
  const registers = [app.metrics];
  const remaining = new Gauge({
    name: 'opsdeck_slo_error_budget_remaining_ratio',
    help: 'Share of the error budget left over the SLO window (negative once overspent).',
    labelNames: ['slo'],
    registers,
  });
  const burn = new Gauge({
    name: 'opsdeck_slo_burn_rate',
    help: 'Error ratio over the window divided by the error budget (1 = spending exactly the budget).',
    labelNames: ['slo', 'window'],
    registers,
  });
  const alert = new Gauge({
    name: 'opsdeck_slo_alert',
    help: '1 when the multi-window multi-burn-rate condition of this severity holds.',
    labelNames: ['slo', 'severity'],
    registers,
  });
  return (status: SloStatus) => {
    const value = (v: number | null) => (v === null ? NaN : v);
    remaining.set({ slo: status.id }, value(status.errorBudget.remaining));
    for (const [window, v] of Object.entries(status.burnRates))
      burn.set({ slo: status.id, window }, value(v));
    alert.set({ slo: status.id, severity: 'page' }, status.alerts.page ? 1 : 0);
    alert.set({ slo: status.id, severity: 'ticket' }, status.alerts.ticket ? 1 : 0);
  };
}

export const sloStatusRoutes = fp<SloStatusOptions>(
  async (fastify, opts) => {
    await fastify.register(prometheusPlugin, { client: opts.prometheus });
    const evaluator = new SloEvaluator({
      prometheus: fastify.prometheus,
      clock: fastify.clock,
      exclusions: async (ids, range, now) =>
        new Map(
          [...(await fastify.sloExclusions.effective(ids, range, now))].map(([id, list]) => [
            id,
            exclusionRanges(list),
          ]),
        ),
      onStatus: installGauges(fastify),
    });
    fastify.decorate('sloEvaluator', evaluator);
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    const refreshMs = opts.gaugeRefreshMs ?? 60_000;
    if (refreshMs > 0) {
      const timer = setInterval(() => {
        app.repos.slos
          .all()
          .then((slos) => evaluator.statuses(slos))
          .catch((err: unknown) => app.log.warn({ err }, 'SLO gauge refresh failed'));
      }, refreshMs);
      timer.unref();
      app.addHook('onClose', async () => clearInterval(timer));
    }

    app.get(
      '/api/v1/slos/status',
      {
        schema: {
          tags: ['slos'],
          summary: 'Status of every SLO (or of one service)',
          querystring: z.strictObject({ service: z.string().min(1).optional() }),
          response: { 200: SloBatchStatus, ...errorResponses, ...Unavailable },
        },
      },
      async (request) => {
        const all = await app.repos.slos.all();
        const slos = request.query.service ? all.filter((s) => s.service === request.query.service) : all;
        const { items, errors } = await evaluator.statuses(slos);
        // every SLO failing for the same upstream reason is an outage, not a per-SLO problem
        const first = errors[0]?.error;
        if (items.length === 0 && first instanceof ApiError && first.status === 503) throw first;
        return {
          evaluatedAt: app.clock.now().toISOString(),
          items,
          errors: errors.map(({ id, error }) =>
            error instanceof ApiError
              ? { id, error: error.code, message: error.message }
              : { id, error: 'internal', message: (error as Error).message },
          ),
        };
      },
    );

    app.get(
      '/api/v1/slos/:id/status',
      {
        schema: {
          tags: ['slos'],
          summary: 'SLI, error budget, burn rates and alert state of one SLO',
          params: z.object({ id: z.string() }),
          response: { 200: SloStatus, ...errorResponses, 422: ErrorBody, ...Unavailable },
        },
      },
      async (request) => evaluator.status(await app.repos.slos.require(request.params.id)),
    );

    app.get(
      '/api/v1/slos/:id/budget',
      {
        schema: {
          tags: ['slos'],
          summary: 'Remaining error budget and burn rate over a time range',
          params: z.object({ id: z.string() }),
          querystring: BudgetQuery,
          response: { 200: SloBudget, ...errorResponses, 422: ErrorBody, ...Unavailable },
        },
      },
      async (request) => {
        const q = request.query;
        const to = q.to ? parseTime(q.to, 'query.to') : app.clock.now();
        const from = q.from ? parseTime(q.from, 'query.from') : new Date(to.getTime() - 86_400_000);
        if (from >= to) throw badRequest('query.from', 'must be before to');
        const spanSeconds = (to.getTime() - from.getTime()) / 1000;
        let step: number;
        if (q.step !== undefined) {
          step = /^\d+$/.test(q.step) ? Number(q.step) : parseDuration(q.step);
          if (step < 1) throw badRequest('query.step', 'must be at least 1 second');
          if (step > MAX_STEP_SECONDS) throw badRequest('query.step', `must be at most ${MAX_STEP_DAYS}d`);
          if (step > spanSeconds) {
            throw badRequest('query.step', `must not be longer than the range from–to (${spanSeconds}s)`);
          }
        } else {
          step = Math.max(MIN_STEP_SECONDS, Math.ceil(spanSeconds / q.maxDataPoints));
          if (step > MAX_STEP_SECONDS) {
            throw badRequest(
              'query.maxDataPoints',
              `gives steps over ${MAX_STEP_DAYS}d for this range: use at least ${Math.ceil(spanSeconds / MAX_STEP_SECONDS)}`,
            );
          }
        }
        if (spanSeconds / step > MAX_POINTS) {
          throw badRequest(
            'query.step',
            `gives more than ${MAX_POINTS} points over this range: use at least ${Math.ceil(spanSeconds / MAX_POINTS)}s`,
          );
        }
        const slo = await app.repos.slos.require(request.params.id);
        return evaluator.budget(slo, { from, to, stepSeconds: step, burnWindow: q.burnWindow });
      },
    );
  },
  { name: 'opsdeck-slo-status', dependencies: ['opsdeck-slo-exclusions'] },
);
