// POST /api/v1/slos/import: converts OpenSLO, Sloth or Pyrra YAML, sent raw or as `{yaml}` JSON, into
// opsdeck SLOs; with ?apply=true it also stores them (new ids created, existing ones updated), all or
// nothing on conversion problems.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, SloCreate, YAML_SYNTAX_FIELD, importSlos, type Slo } from '@opsdeck/common';
import { ApiError, badRequest, unprocessable } from '../errors';
import { acceptRawYaml, isRawYaml, type RawYamlBody } from '../http/yaml-body';
import { errorResponses, writeContext } from '../http/crud';

const ImportFormatName = z
  .enum(['openslo', 'sloth', 'pyrra'])
  .describe('the format every document must have; detected per document when left out');
const ImportBody = z.strictObject({
  format: ImportFormatName.optional(),
  yaml: z.string().min(1).describe('one or more YAML documents'),
});
const ImportQuery = z.strictObject({
  apply: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('store the converted SLOs'),
  format: ImportFormatName.optional().describe(
    'the format every document must have (for a raw YAML body); detected per document when left out',
  ),
});
const rawYamlBody: RawYamlBody = {
  description: 'one or more OpenSLO, Sloth, Pyrra or opsdeck SLO documents as YAML (`---` between them)',
};
const ImportAnswer = z.object({
  slos: z.array(SloCreate),
  created: z.array(z.string()).describe('ids stored as new SLOs (apply=true)'),
  updated: z.array(z.string()).describe('ids whose stored SLO was replaced (apply=true)'),
});

export const sloImportRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  acceptRawYaml(app);
  app.post(
    '/api/v1/slos/import',
    {
      schema: {
        tags: ['slos'],
        summary: 'Convert (and with apply=true store) OpenSLO, Sloth or Pyrra SLO definitions',
        description:
          'The body is the YAML itself (Content-Type application/yaml, application/x-yaml or text/yaml; ' +
          'the format then goes in the query) or JSON `{yaml, format?}`. YAML that does not parse is a 400 ' +
          'naming the document and line; definitions that cannot be converted are a 422.',
        querystring: ImportQuery,
        body: ImportBody,
        rawYamlBody,
        response: { 200: ImportAnswer, ...errorResponses, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody },
      },
    },
    async (request) => {
      const { format: bodyFormat, yaml } = request.body;
      const queryFormat = request.query.format;
      if (bodyFormat && queryFormat && bodyFormat !== queryFormat)
        throw badRequest('query.format', `is ${queryFormat} but body.format is ${bodyFormat}: send one`);
      const { slos, problems } = importSlos(yaml, bodyFormat ?? queryFormat);
      const syntax = problems.filter((p) => p.field === YAML_SYNTAX_FIELD);
      if (syntax.length > 0) {
        const field = isRawYaml(request.headers['content-type']) ? 'body' : 'body.yaml';
        const details = syntax.map((p) => ({
          field,
          message: `${p.document}: ${p.message}`,
          ...(p.line ? { line: p.line } : {}),
        }));
        throw new ApiError(
          400,
          'invalid_yaml',
          `${field} is not valid YAML: ${details.map((d) => d.message).join('; ')}`,
          details,
        );
      }
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
