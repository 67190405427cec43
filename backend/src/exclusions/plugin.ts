// SLO exclusions as a capability: the budget-adjustment routes (editors write; listed, deleted,
// audit-logged), the store the evaluator reads exclusions from, and `opsdeck_slo_excluded` on
// /metrics, 1 while an SLO is inside an exclusion, which the generated alert rules read.
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge } from 'prom-client';
import { z } from 'zod';
import { ErrorBody, SloExclusion, SloExclusionCreate, EXCLUDED_SERIES } from '@opsdeck/common';
import '../decorations';
import { badRequest } from '../errors';
import { errorResponses, writeContext } from '../http/crud';
import { ExclusionStore } from './store';

declare module 'fastify' {
  interface FastifyInstance {
    sloExclusions: ExclusionStore;
  }
}

const Params = z.object({ id: z.string().min(1).max(100) });
const ItemParams = Params.extend({ exclusionId: z.string().min(1).max(100) });

export const exclusionsPlugin = fp(
  async (fastify) => {
    const exclusions = new ExclusionStore({
      store: fastify.store,
      occurrenceAdjustments: () => fastify.silencer.state.adjustmentsByWindow(),
    });
    fastify.decorate('sloExclusions', exclusions);

    new Gauge({
      name: EXCLUDED_SERIES,
      help: '1 while the SLO is inside an exclusion (a budget adjustment or a maintenance occurrence naming it), else 0; the generated alert rules hold pages while it was 1 within the short window.',
      labelNames: ['slo'],
      registers: [fastify.metrics],
      async collect() {
        const now = fastify.clock.now();
        const ids = (await fastify.repos.slos.all()).map((s) => s.id);
        const open = await exclusions.effective(
          ids,
          { start: new Date(now.getTime() - 1000), end: now },
          now,
        );
        this.reset();
        for (const id of ids) this.set({ slo: id }, (open.get(id) ?? []).length > 0 ? 1 : 0);
      },
    });

    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['slos'];
    const base = '/api/v1/slos/:id/exclusions';

    app.get(
      base,
      {
        schema: {
          tags,
          summary: "An SLO's budget adjustments, newest first",
          params: Params,
          response: { 200: z.object({ items: z.array(SloExclusion) }), ...errorResponses },
        },
      },
      async (request) => {
        const slo = await app.repos.slos.require(request.params.id);
        return { items: await exclusions.list(slo.id) };
      },
    );

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Leave a past time range out of the SLO (a budget adjustment with its reason)',
          params: Params,
          body: SloExclusionCreate,
          response: { 201: SloExclusion, ...errorResponses, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const ctx = writeContext(request);
        const { start, end } = request.body;
        if (Date.parse(end) <= Date.parse(start)) throw badRequest('body.end', 'must be after start');
        if (Date.parse(start) > ctx.at.getTime())
          throw badRequest('body.start', 'must not be in the future: exclusions record what happened');
        if (Date.parse(end) > ctx.at.getTime())
          throw badRequest(
            'body.end',
            'must not be in the future: for planned work use a maintenance window with excludeFromSlos',
          );
        const slo = await app.repos.slos.require(request.params.id);
        const created = await exclusions.create(slo.id, request.body, ctx);
        return reply.status(201).send(created);
      },
    );

    app.delete(
      `${base}/:exclusionId`,
      {
        schema: {
          tags,
          summary: 'Delete a budget adjustment; its events count again',
          params: ItemParams,
          response: { 204: z.null().describe('deleted'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const slo = await app.repos.slos.require(request.params.id);
        await exclusions.delete(slo.id, request.params.exclusionId, writeContext(request));
        return reply.status(204).send(null);
      },
    );
  },
  { name: 'opsdeck-slo-exclusions', dependencies: ['opsdeck-silencer', 'opsdeck-metrics'] },
);
