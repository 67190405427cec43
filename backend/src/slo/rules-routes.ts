// GET /api/v1/slos/rules: the Prometheus rule file (recording + burn-rate alerts) for every stored SLO,
// the same YAML `opsdeck rules` prints, ready for a `rule_files` entry.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { sloRulesDocument } from '@opsdeck/common';
import { appUrlOf } from '../config';
import { errorResponses } from '../http/crud';

export const sloRulesRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/v1/slos/rules',
    {
      schema: {
        tags: ['slos'],
        summary: 'Prometheus recording and alerting rules for all SLOs (YAML)',
        description:
          'An SLO whose stored definition cannot become PromQL (stored before selectors were parsed) is left out, named with the field in a comment at the top of the file, so the other SLOs keep their rules.',
        produces: ['text/yaml'],
        response: { 200: z.string().describe('a Prometheus rule file'), ...errorResponses },
      },
    },
    async (_request, reply) => {
      const slos = await app.repos.slos.all();
      const { yaml, skipped } = sloRulesDocument(slos, { appUrl: appUrlOf(app.config) });
      for (const { id, error } of skipped)
        app.log.warn({ slo: id, field: error.field }, `SLO ${id} left out of the rules: ${error.message}`);
      return reply.type('text/yaml; charset=utf-8').send(yaml);
    },
  );
};
