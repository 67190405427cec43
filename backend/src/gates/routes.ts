// Deploy gate: GET (or POST, for webhooks) /api/v1/gates/:service answers proceed or halt from the
// service's SLOs (paging, budget below a floor) and its open S1/S2 incidents. JSON for Argo Rollouts'
// web metric; with ?strict=true a halt is HTTP 412 so Flagger-style webhooks stop on the status alone.
// The decision is common's decideGate; this plugin gathers its inputs and decorates them as `deployGate`
// for the change lifecycle's canary stages.
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_MIN_BUDGET, ErrorBody, GateAnswer, decideGate } from '@opsdeck/common';
import '../decorations';
import { errorResponses } from '../http/crud';

/** The deploy gate as a service: the same answer GET /api/v1/gates/:service gives. */
export interface DeployGate {
  /** minBudget defaults to the plugin's option, else DEFAULT_MIN_BUDGET. */
  decide(service: string, minBudget?: number): Promise<GateAnswer>;
}

declare module 'fastify' {
  interface FastifyInstance {
    deployGate: DeployGate;
  }
}

export interface GateOptions {
  minBudget?: number;
}

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

export const gateRoutes = fp<GateOptions>(
  async (fastify, opts) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    // Gates evaluate on Prometheus slots of their own (the client's `gate` lane): CI waiting on a gate
    // must not queue behind dashboards. The app's client and evaluator (with its exclusions) are
    // decorated by the SLO routes.
    const evaluator = fastify.sloEvaluator.through(fastify.prometheus.lane('gate'));

    const deployGate: DeployGate = {
      async decide(service, minBudget = opts.minBudget ?? DEFAULT_MIN_BUDGET) {
        const slos = (await app.repos.slos.all()).filter((s) => s.service === service);
        const [statuses, open] = await Promise.all([
          Promise.all(slos.map((s) => evaluator.status(s))),
          app.repos.incidents.list({ ne: { status: 'resolved' }, limit: 1000 }),
        ]);
        return decideGate({ service, statuses, openIncidents: open.items, minBudget, now: app.clock.now() });
      },
    };
    fastify.decorate('deployGate', deployGate);

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
          const answer = await deployGate.decide(request.params.service, request.query.minBudget);
          return reply.status(request.query.strict && answer.decision === 'halt' ? 412 : 200).send(answer);
        },
      });
    }
  },
  { name: 'opsdeck-gates', dependencies: ['opsdeck-slo-status'] },
);
