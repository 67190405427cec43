// GET /api/v1/annotations: incidents, changes and maintenance occurrences over a time range, in the
// shape Grafana annotations take (time, timeEnd, title, text, tags), newest first.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RISKS, SEVERITIES, ServiceName } from '@opsdeck/common';
import { badRequest } from '../errors';
import { errorResponses } from '../http/crud';
import { ANNOTATION_KINDS, ANNOTATION_SOURCE_TYPES, annotationsFor } from './query';

/** Grafana's own annotation queries default to 100 items. */
export const DEFAULT_ANNOTATION_LIMIT = 100;
export const MAX_ANNOTATION_LIMIT = 5000;
const DEFAULT_RANGE_MS = 6 * 3600_000;

/** Epoch milliseconds (what Grafana sends) or an RFC 3339 time. */
const TimeParam = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(t)) {
      ctx.addIssue({ code: 'custom', message: 'use epoch milliseconds or an RFC 3339 time' });
      return z.NEVER;
    }
    return t;
  });

/** A comma-separated list (or the parameter repeated), each value checked against `allowed`. */
const listOf = <T extends string>(allowed: readonly T[] | null, name: string) =>
  z.union([z.string().max(2000), z.array(z.string().max(200)).max(50)]).transform((v, ctx) => {
    const values = (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = allowed ? values.filter((x) => !allowed.includes(x as T)) : [];
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown ${name} ${bad.join(', ')}; use ${allowed?.join(', ')}`,
      });
      return z.NEVER;
    }
    return values as T[];
  });

export const AnnotationQueryParams = z.strictObject({
  from: TimeParam.optional().describe('range start; epoch ms or RFC 3339; defaults to 6 h before `to`'),
  to: TimeParam.optional().describe('range end; defaults to now'),
  kinds: listOf(ANNOTATION_KINDS, 'kind')
    .optional()
    .describe('incident, change, maintenance, exclusion (comma-separated); default all'),
  service: ServiceName.optional(),
  severity: listOf(SEVERITIES, 'severity')
    .optional()
    .describe('incidents only; when given, other kinds are left out'),
  risk: listOf(RISKS, 'risk').optional().describe('changes only; when given, other kinds are left out'),
  tags: listOf(null, 'tag').optional().describe('every tag must match, e.g. service:api,S1'),
  limit: z.coerce.number().int().min(1).max(MAX_ANNOTATION_LIMIT).default(DEFAULT_ANNOTATION_LIMIT),
});

export const AnnotationItem = z.object({
  id: z.string(),
  kind: z.enum(ANNOTATION_KINDS),
  time: z.number().describe('epoch ms'),
  timeEnd: z.number().describe('epoch ms; equals time for points'),
  isRegion: z.boolean(),
  title: z.string(),
  text: z.string(),
  tags: z.array(z.string()),
  service: z.string().nullable(),
  severity: z.string().optional(),
  risk: z.string().optional(),
  status: z.string().optional(),
  source: z.object({ type: z.enum(ANNOTATION_SOURCE_TYPES), id: z.string() }),
});

export const annotationRoutes: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/annotations',
    {
      schema: {
        tags: ['annotations'],
        summary:
          'Incidents (regions, open ones to now), changes and maintenance occurrences overlapping [from, to]',
        querystring: AnnotationQueryParams,
        response: { 200: z.object({ items: z.array(AnnotationItem) }), ...errorResponses },
      },
      // The items are built by queryAnnotations from typed documents; the schema documents them
      // in OpenAPI, and plain JSON.stringify saves re-validating thousands of objects per answer.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const q = request.query;
      const now = fastify.clock.now().getTime();
      const to = q.to ?? now;
      const from = q.from ?? to - DEFAULT_RANGE_MS;
      if (from > to) throw badRequest('query.from', 'must not be after to');
      const query = {
        from,
        to,
        kinds: q.kinds?.length ? q.kinds : ANNOTATION_KINDS,
        service: q.service,
        severities: q.severity,
        risks: q.risk,
        tags: q.tags,
        limit: q.limit,
        now,
      };
      const items = await annotationsFor(fastify, query);
      return { items };
    },
  );
};
