// Runbook CRUD: markdown with services and the alerts it answers.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  RESERVED_RUNBOOK_IDS,
  Runbook,
  RunbookCreate,
  RunbookListQuery,
  RunbookSearchQuery,
  RunbookUpdate,
  reservedIdMessage,
} from '@opsdeck/common';
import { ApiError, badRequest } from '../errors';
import { errorResponses, registerCrud } from '../http/crud';
import { mergePatch } from '../http/merge-patch';

export const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);

export const runbookRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: 'runbooks',
    noun: 'runbook',
    item: Runbook,
    create: RunbookCreate,
    update: RunbookUpdate,
    listQuery: RunbookListQuery,
    repo: (a) => a.repos.runbooks,
    build: (input) => {
      const id = input.id ?? slugify(input.title);
      if (!id)
        throw new ApiError(400, 'validation_failed', 'body.id: give an id; the title makes no slug', [
          { field: 'body.id', message: 'is required when the title has no letters or digits' },
        ]);
      // A given id was checked by the schema; one made from the title is checked here.
      if (RESERVED_RUNBOOK_IDS.includes(id))
        throw badRequest(
          'body.id',
          `${reservedIdMessage('runbooks', RESERVED_RUNBOOK_IDS, id)}; the title makes this id, so give one`,
        );
      return { ...input, id, source: 'api' as const };
    },
    apply: (current, patch) => mergePatch(current, patch),
    filter: () => ({}),
  });
};

/** Finds runbooks by words, alert name or service; runbooks are few, so this reads them all. */
export const runbookSearchRoute: FastifyPluginAsync = async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/runbooks/search',
    {
      schema: {
        tags: ['runbooks'],
        summary: 'Search runbooks by words, alert name or service',
        querystring: RunbookSearchQuery,
        response: { 200: z.object({ items: z.array(Runbook) }), ...errorResponses },
      },
    },
    async (request) => {
      const { q, alert, service, limit } = request.query;
      const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const items = (await app.repos.runbooks.all()).filter((r) => {
        if (alert && !r.alerts.includes(alert)) return false;
        if (service && !r.services.includes(service)) return false;
        const hay = `${r.title}\n${r.body}\n${r.tags.join(' ')}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      });
      return { items: items.slice(0, limit) };
    },
  );
};
