// Bearer-token auth with viewer < editor < admin roles; tokens from OPSDECK_TOKENS and the api_tokens table.
// Only Grafana's proxy token may name the acting user; open mode lasts while no token exists anywhere.
import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import { ACTOR_MAX_LENGTH } from '@opsdeck/common';
import '../decorations';
import type { Role, TokenConfig } from '../config';
import { ApiError } from '../errors';
import { grafanaIdentity } from './grafana-identity';

const DOCS_PREFIX = '/api/v1/docs';

export const ROLE_RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

declare module 'fastify' {
  interface FastifyRequest {
    /** Who acts: the Grafana user when Grafana's proxy token sends one, else the token's name. */
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

interface ResolvedToken {
  name: string;
  role: Role;
  grafanaProxy: boolean;
}

export const authPlugin = fp<Options>(
  async (app, opts) => {
    const envTokens = opts.tokens.map((t) => ({ ...t, hash: hashSecret(t.secret) }));
    if (envTokens.length === 0)
      app.log.warn(
        'OPSDECK_TOKENS is empty: until a token is created through the API, auth is off and every caller acts as admin "anonymous"',
      );

    async function resolve(secret: string): Promise<ResolvedToken | undefined> {
      const hash = hashSecret(secret);
      let found: ResolvedToken | undefined;
      // Compare against every token so the time taken does not depend on which one matched.
      for (const t of envTokens) if (timingSafeEqual(t.hash, hash)) found = t;
      if (found) return { name: found.name, role: found.role, grafanaProxy: found.grafanaProxy };
      const row = await app.store.db
        .selectFrom('api_tokens')
        .select(['name', 'role', 'grafana_proxy'])
        .where('secret_hash', '=', hash.toString('hex'))
        .executeTakeFirst();
      return row
        ? { name: row.name, role: row.role as Role, grafanaProxy: Number(row.grafana_proxy) === 1 }
        : undefined;
    }

    // Without OPSDECK_TOKENS, a token created through the API (by any replica) ends open mode.
    const open = async () =>
      envTokens.length === 0 &&
      (await app.store.db.selectFrom('api_tokens').select('name').limit(1).executeTakeFirst()) === undefined;

    app.decorateRequest('actor', '');
    app.decorateRequest('role', 'viewer');
    app.decorateRequest('tokenName', '');

    app.addHook('onRequest', async (request) => {
      // The docs UI is registered by @fastify/swagger-ui, whose routes carry no config of ours.
      if (request.routeOptions.config?.public || request.routeOptions.url?.startsWith(DOCS_PREFIX)) {
        request.actor = 'anonymous';
        return;
      }
      if (await open()) {
        request.actor = 'anonymous';
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
      request.tokenName = token.name;
      request.actor = token.name;
      request.role = token.role;
      if (token.grafanaProxy) {
        const grafana = grafanaIdentity(request.headers);
        // Longer names would be written into documents whose person fields refuse them on the next read.
        if (grafana.login && grafana.login.length > ACTOR_MAX_LENGTH) {
          throw new ApiError(
            400,
            'validation_failed',
            `headers.${grafana.from}: must be at most ${ACTOR_MAX_LENGTH} characters`,
            [{ field: `headers.${grafana.from}`, message: `must be at most ${ACTOR_MAX_LENGTH} characters` }],
          );
        }
        if (grafana.login) request.actor = grafana.login;
        // The Grafana user's org role caps the token's: Grafana's routes decide by it too.
        if (grafana.role && ROLE_RANK[grafana.role] < ROLE_RANK[token.role]) request.role = grafana.role;
      }
      const isRead = request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS';
      const needed = request.routeOptions.config?.minRole ?? (isRead ? 'viewer' : 'editor');
      if (ROLE_RANK[request.role] < ROLE_RANK[needed]) {
        const whose =
          request.role === token.role
            ? `token "${token.name}" has ${token.role}`
            : `Grafana user "${request.actor}" is ${request.role} (token "${token.name}" has ${token.role})`;
        throw new ApiError(403, 'forbidden', `this needs the ${needed} role; ${whose}`);
      }
    });
  },
  { name: 'opsdeck-auth' },
);

function headerValue(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : undefined;
}
