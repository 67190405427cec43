// API tokens kept in the store, managed by admins without a restart (OPSDECK_TOKENS stays for bootstrap).
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, Slug } from '@opsdeck/common';
import { hashSecret } from '../auth/plugin';
import { ApiError } from '../errors';
import { recordAudit } from '../store/audit';
import { isUniqueViolation } from '../store/documents';
import { errorResponses, IdParams, writeContext } from '../http/crud';

const GrafanaProxy = z
  .boolean()
  .describe(
    "Grafana's proxy token (the app's plugin proxy): only its requests may name the acting user, from X-Grafana-User or the login in X-Grafana-Context; any other token acts as itself",
  );

const TokenInfo = z.object({
  name: z.string(),
  role: z.enum(['viewer', 'editor', 'admin']),
  grafanaProxy: GrafanaProxy,
  createdAt: z.string(),
  createdBy: z.string(),
});

const taken = (name: string) =>
  new ApiError(409, 'already_exists', `token "${name}" already exists`, [
    { field: 'body.name', message: 'already exists' },
  ]);

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = { minRole: 'admin' as const };

  app.get(
    '/api/v1/tokens',
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens (admin; secrets are never shown)',
        response: { 200: z.object({ items: z.array(TokenInfo) }), ...errorResponses },
      },
    },
    async () => {
      const rows = await app.store.db
        .selectFrom('api_tokens')
        .select(['name', 'role', 'grafana_proxy', 'created_at', 'created_by'])
        .orderBy('name')
        .execute();
      return {
        items: rows.map((r) => ({
          name: r.name,
          role: r.role as 'viewer',
          grafanaProxy: Number(r.grafana_proxy) === 1,
          createdAt: new Date(r.created_at).toISOString(),
          createdBy: r.created_by,
        })),
      };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (admin); the secret is in this answer only',
        body: z.strictObject({
          name: Slug,
          role: z.enum(['viewer', 'editor', 'admin']),
          grafanaProxy: GrafanaProxy.default(false),
        }),
        response: { 201: TokenInfo.extend({ secret: z.string() }), ...errorResponses, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const ctx = writeContext(request);
      const secret = `opsdeck_${randomBytes(24).toString('base64url')}`;
      const { name, role, grafanaProxy } = request.body;
      if (app.config.OPSDECK_TOKENS.some((t) => t.name === name)) throw taken(name);
      // The primary key decides between concurrent creates of one name: the loser gets the 409.
      await app.store.db
        .transaction()
        .execute(async (tx) => {
          await tx
            .insertInto('api_tokens')
            .values({
              name,
              role,
              grafana_proxy: grafanaProxy ? 1 : 0,
              secret_hash: hashSecret(secret).toString('hex'),
              created_at: ctx.at.getTime(),
              created_by: ctx.actor,
            })
            .execute();
          await recordAudit(tx, {
            actor: ctx.actor,
            token: ctx.token,
            at: ctx.at,
            action: 'create',
            entity: 'token',
            entityId: name,
            before: null,
            after: { name, role, grafanaProxy },
          });
        })
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? taken(name) : err;
        });
      return reply.status(201).send({
        name,
        role,
        grafanaProxy,
        createdAt: ctx.at.toISOString(),
        createdBy: ctx.actor,
        secret,
      });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token (admin); takes effect on the next request',
        params: IdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = writeContext(request);
      const res = await app.store.db
        .deleteFrom('api_tokens')
        .where('name', '=', request.params.id)
        .executeTakeFirst();
      if (Number(res.numDeletedRows) === 0)
        throw new ApiError(
          404,
          'not_found',
          `token "${request.params.id}" does not exist (tokens from OPSDECK_TOKENS are revoked by editing that variable)`,
        );
      await recordAudit(app.store.db, {
        actor: ctx.actor,
        token: ctx.token,
        at: ctx.at,
        action: 'delete',
        entity: 'token',
        entityId: request.params.id,
        before: { name: request.params.id },
        after: null,
      });
      return reply.status(204).send(null);
    },
  );
};
