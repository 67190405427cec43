// Bearer-token auth with viewer < editor < admin roles; tokens from OPSDECK_TOKENS and the api_tokens table.
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { ACTOR_MAX_LENGTH } from '@opsdeck/common';
import '../decorations';
import type { Role, TokenConfig } from '../config';
import { ApiError } from '../errors';

const DOCS_PREFIX = '/api/v1/docs';

export const ROLE_RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who acts: X-Grafana-User when Grafana's proxy sends it, else the token's name. */
    actor: string;
    role: Role;
    /** Name of the token that authenticated the request; empty for public routes and open mode. */
    tokenName: string;
  }
  interface FastifyContextConfig {
    /** Overrides the default: viewer for reads, editor for writes. */
    minRole?: Role;
    /** No token needed (health, metrics, docs). */
    public?: boolean;
  }
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

interface Options {
  tokens: TokenConfig[];
}

export const authPlugin = fp<Options>(
  async (app, opts) => {
    const envTokens = opts.tokens.map((t) => ({ name: t.name, role: t.role, hash: hashSecret(t.secret) }));
    const open = envTokens.length === 0;
    if (open) app.log.warn('OPSDECK_TOKENS is empty: auth is off and every caller acts as admin "anonymous"');

    async function resolve(secret: string): Promise<{ name: string; role: Role } | undefined> {
      const hash = hashSecret(secret);
      let found: { name: string; role: Role } | undefined;
      // Compare against every token so the time taken does not depend on which one matched.
      for (const t of envTokens) if (timingSafeEqual(t.hash, hash)) found = t;
      if (found) return found;
      const row = await app.store.db
        .selectFrom('api_tokens')
        .select(['name', 'role'])
        .where('secret_hash', '=', hash.toString('hex'))
        .executeTakeFirst();
      return row ? { name: row.name, role: row.role as Role } : undefined;
    }

    app.decorateRequest('actor', '');
    app.decorateRequest('role', 'viewer');
    app.decorateRequest('tokenName', '');

    app.addHook('onRequest', async (request) => {
      const grafanaUser = headerValue(request.headers['x-grafana-user']);
      // The docs UI is registered by @fastify/swagger-ui, whose routes carry no config of ours.
      if (request.routeOptions.config?.public || request.routeOptions.url?.startsWith(DOCS_PREFIX)) {
        request.actor = 'anonymous';
        return;
      }
      // Longer names would be written into documents whose person fields refuse them on the next read.
      if (grafanaUser && grafanaUser.length > ACTOR_MAX_LENGTH) {
        throw new ApiError(
          400,
          'validation_failed',
          `headers.x-grafana-user: must be at most ${ACTOR_MAX_LENGTH} characters`,
          [{ field: 'headers.x-grafana-user', message: `must be at most ${ACTOR_MAX_LENGTH} characters` }],
        );
      }
      if (open) {
        request.actor = grafanaUser ?? 'anonymous';
        request.role = 'admin';
        return;
      }
      const auth = headerValue(request.headers.authorization);
      const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
      if (!match) {
        throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>');
      }
      const token = await resolve(match[1]!);
      if (!token) throw new ApiError(401, 'unauthorized', 'the bearer token is not valid');
      request.actor = grafanaUser ?? token.name;
      request.role = token.role;
      request.tokenName = token.name;
      const isRead = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
      const needed = request.routeOptions.config?.minRole ?? (isRead ? 'viewer' : 'editor');
      if (ROLE_RANK[token.role] < ROLE_RANK[needed]) {
        throw new ApiError(
          403,
          'forbidden',
          `this needs the ${needed} role; token "${token.name}" has ${token.role}`,
        );
      }
    });
  },
  { name: 'opsdeck-auth' },
);

function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim().slice(0, 200) : undefined;
}
