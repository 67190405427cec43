// POST /api/v1/slos/import: converts OpenSLO, Sloth or Pyrra YAML into opsdeck SLOs; with ?apply=true
// it also stores them (new ids created, existing ones updated), all or nothing on conversion problems.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, SloCreate, importSlos, type Slo } from '@opsdeck/common';
import { unprocessable } from '../errors';
import { errorResponses, writeContext } from '../routes/crud';

const ImportBody = z.strictObject({
  format: z
    .enum(['openslo', 'sloth', 'pyrra'])
    .optional()
    .describe('the format every document must have; detected per document when left out'),
  yaml: z.string().min(1).describe('one or more YAML documents'),
});
const ImportQuery = z.strictObject({
  apply: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('store the converted SLOs'),
});
const ImportAnswer = z.object({
  slos: z.array(SloCreate),
  created: z.array(z.string()).describe('ids stored as new SLOs (apply=true)'),
  updated: z.array(z.string()).describe('ids whose stored SLO was replaced (apply=true)'),
});

export const sloImportRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/slos/import',
    {
      schema: {
        tags: ['slos'],
        summary: 'Convert (and with apply=true store) OpenSLO, Sloth or Pyrra SLO definitions',
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: ImportAnswer, ...errorResponses, 422: ErrorBody },
      },
    },
    async (request) => {
      const { slos, problems } = importSlos(request.body.yaml, request.body.format);
      if (problems.length > 0) {
        throw unprocessable(
          'import_failed',
          `${problems.length} SLO definition(s) cannot be imported; nothing was stored`,
          problems.map((p) => ({
            field: `yaml: ${p.document}: ${p.field}`,
            message: p.message,
            document: p.document,
            sourceField: p.field,
          })),
        );
      }
      const created: string[] = [];
      const updated: string[] = [];
      if (request.query.apply) {
        const ctx = writeContext(request);
        for (const spec of slos) {
          const existing = await app.repos.slos.get(spec.id);
          if (existing) {
            await app.repos.slos.update(
              spec.id,
              existing.version,
              (current) => ({ ...current, ...spec, source: 'import' }),
              ctx,
              'import',
            );
            updated.push(spec.id);
          } else {
            await app.repos.slos.insert(
              { ...spec, source: 'import' } as Omit<Slo, 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>,
              ctx,
            );
            created.push(spec.id);
          }
        }
      }
      return { slos, created, updated };
    },
  );
};
