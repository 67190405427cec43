// Per-token rate limiting: each bearer token (by name) gets RATE_LIMIT_PER_MINUTE requests a minute;
// callers without a token are counted by address. Public routes (health, metrics, docs) are exempt.
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import '../decorations';
import { ApiError } from '../errors';

export const rateLimitPlugin = fp(
  async (app) => {
    const max = app.config.RATE_LIMIT_PER_MINUTE;
    if (max === 0) return;
    await app.register(rateLimit, {
      max,
      timeWindow: 60_000,
      // Runs after the auth hook, so the token is known; a failed auth never reaches the limiter.
      hook: 'onRequest',
      keyGenerator: (request) => (request.tokenName ? `token:${request.tokenName}` : `addr:${request.ip}`),
      allowList: (request) => Boolean(request.routeOptions.config?.public),
      errorResponseBuilder: (request, ctx) =>
        new ApiError(
          429,
          'rate_limited',
          `${request.tokenName ? `token "${request.tokenName}"` : 'this address'} sent more than ${ctx.max} requests in a minute; retry after ${ctx.after}`,
        ),
    });
  },
  { name: 'opsdeck-rate-limit', dependencies: ['opsdeck-auth'] },
);
