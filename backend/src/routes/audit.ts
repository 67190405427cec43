// Reading the audit log: who changed what and when, newest first.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../store/audit';
import { errorResponses } from '../http/crud';

const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z
    .string()
    .describe("who acted: the token name, or the Grafana user when Grafana's proxy token sent it"),
  token: z
    .string()
    .nullable()
    .describe('the token that authenticated the write; null for the system and open mode'),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/audit',
    {
      config: { minRole: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first (admin)',
        querystring: z.strictObject({
          entity: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          beforeId: z.coerce.number().int().positive().optional(),
        }),
        response: { 200: z.object({ items: z.array(AuditEntry) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listAudit(app.store.db, request.query) }),
  );
};
