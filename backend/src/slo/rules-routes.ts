// GET /api/v1/slos/rules: the Prometheus rule file (recording + burn-rate alerts) for every stored SLO,
// the same YAML `opsdeck rules` prints, ready for a `rule_files` entry.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { sloRulesYaml } from '@opsdeck/common';
import { errorResponses } from '../routes/crud';

export const sloRulesRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/v1/slos/rules',
    {
      schema: {
        tags: ['slos'],
        summary: 'Prometheus recording and alerting rules for all SLOs (YAML)',
        produces: ['text/yaml'],
        response: { 200: z.string().describe('a Prometheus rule file'), ...errorResponses },
      },
    },
    async (_request, reply) => {
      const slos = await app.repos.slos.all();
      return reply.type('text/yaml; charset=utf-8').send(sloRulesYaml(slos));
    },
  );
};
