// Deploy gate: GET (or POST, for webhooks) /api/v1/gates/:service answers proceed or halt from the
// service's SLOs (paging, budget below a floor) and its open S1/S2 incidents. JSON for Argo Rollouts'
// web metric; with ?strict=true a halt is HTTP 412 so Flagger-style webhooks stop on the status alone.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, type Severity } from '@opsdeck/common';
import '../decorations';
import { errorResponses } from '../routes/crud';

/** Budget share below which a deploy halts, unless ?minBudget says otherwise. */
export const DEFAULT_MIN_BUDGET = 0.1;
/** Incidents this severe and not yet resolved halt deploys of their service. */
const HALTING_SEVERITIES: readonly Severity[] = ['S1', 'S2'];

export interface GateOptions {
  minBudget?: number;
}

const Reason = z.object({
  code: z.enum(['slo_paging', 'budget_below_floor', 'incident_open']),
  message: z.string(),
  slo: z.string().optional(),
  incident: z.string().optional(),
});
const GateSlo = z.object({
  id: z.string(),
  sli: z.number().nullable(),
  budgetRemaining: z.number().nullable(),
  page: z.boolean(),
  ticket: z.boolean(),
  burnRate1h: z.number().nullable(),
});
export const GateAnswer = z.object({
  service: z.string(),
  decision: z.enum(['proceed', 'halt']),
  reasons: z.array(Reason).describe('why the deploy halts; empty on proceed'),
  slos: z.array(GateSlo),
  minBudget: z.number(),
  evaluatedAt: z.string(),
});
type GateAnswer = z.infer<typeof GateAnswer>;

const GateQuery = z.strictObject({
  minBudget: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(`budget floor as a fraction; default ${DEFAULT_MIN_BUDGET}`),
  strict: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('answer 412 on halt (for webhooks that only look at the status)'),
});

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

export const gateRoutes: FastifyPluginAsync<GateOptions> = async (fastify, opts) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Gates evaluate on Prometheus slots of their own (the client's `gate` lane): CI waiting on a gate
  // must not queue behind dashboards. The app's client and evaluator (with its exclusions) are decorated
  // by the SLO routes.
  const evaluator = fastify.sloEvaluator.through(fastify.prometheus.lane('gate'));

  async function decide(service: string, minBudget: number): Promise<GateAnswer> {
    const slos = (await app.repos.slos.all()).filter((s) => s.service === service);
    const [statuses, open] = await Promise.all([
      Promise.all(slos.map((s) => evaluator.status(s))),
      app.repos.incidents.list({ ne: { status: 'resolved' }, limit: 1000 }),
    ]);
    const reasons: GateAnswer['reasons'] = [];
    for (const s of statuses) {
      if (s.alerts.page) {
        reasons.push({
          code: 'slo_paging',
          slo: s.id,
          message: `SLO ${s.id} is paging: burn rate ${s.burnRates['1h']?.toFixed(1) ?? '?'}x over 1h, ${s.burnRates['5m']?.toFixed(1) ?? '?'}x over 5m`,
        });
      }
      const left = s.errorBudget.remaining;
      if (left !== null && left < minBudget) {
        reasons.push({
          code: 'budget_below_floor',
          slo: s.id,
          message: `SLO ${s.id} has ${pct(left)} of its error budget left, below the ${pct(minBudget)} floor`,
        });
      }
    }
    for (const i of open.items) {
      if (!HALTING_SEVERITIES.includes(i.severity)) continue;
      if (i.service !== service && !i.services.includes(service)) continue;
      reasons.push({
        code: 'incident_open',
        incident: i.id,
        message: `${i.severity} incident "${i.title}" (${i.status}) is open on ${service}`,
      });
    }
    return {
      service,
      decision: reasons.length > 0 ? 'halt' : 'proceed',
      reasons,
      slos: statuses.map((s) => ({
        id: s.id,
        sli: s.sli,
        budgetRemaining: s.errorBudget.remaining,
        page: s.alerts.page,
        ticket: s.alerts.ticket,
        burnRate1h: s.burnRates['1h'] ?? null,
      })),
      minBudget,
      evaluatedAt: app.clock.now().toISOString(),
    };
  }

  const schema = {
    tags: ['gates'],
    summary: 'Deploy gate for a service: proceed or halt, with reasons',
    params: z.object({ service: z.string().min(1) }),
    querystring: GateQuery,
    response: {
      200: GateAnswer,
      412: GateAnswer,
      ...errorResponses,
      422: ErrorBody.describe(
        'an SLO of the service cannot be evaluated (invalid_definition names its field)',
      ),
      503: ErrorBody,
    },
  };
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/api/v1/gates/:service',
      // a gate only reads: webhook tools that POST need no editor token
      config: { minRole: 'viewer' },
      schema: method === 'POST' ? { ...schema, body: z.unknown().optional() } : schema,
      handler: async (request, reply) => {
        const answer = await decide(
          request.params.service,
          request.query.minBudget ?? opts.minBudget ?? DEFAULT_MIN_BUDGET,
        );
        return reply.status(request.query.strict && answer.decision === 'halt' ? 412 : 200).send(answer);
      },
    });
  }
};
