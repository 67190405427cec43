// Liveness and readiness: /healthz says the process is up, /readyz that the store and Prometheus answer.
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withoutCredentials } from '../prometheus/credentials';

const Check = z.object({ ok: z.boolean(), error: z.string().optional() });
const Ready = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), Check) });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        description: 'Ready when the store answers and Prometheus answers its readiness endpoint.',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, z.infer<typeof Check>> = {};
      try {
        await sql`select 1`.execute(app.store.db);
        checks.store = { ok: true };
      } catch (err) {
        checks.store = { ok: false, error: `store: ${(err as Error).message}` };
      }
      checks.prometheus = await probePrometheus(app.config.PROMETHEUS_URL, app.config.PROMETHEUS_HEADERS);
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
    },
  );
};

async function probePrometheus(configured: string, configuredHeaders: Record<string, string>) {
  const { url: base, authorization } = withoutCredentials(configured);
  // under the configured path: a Prometheus behind a proxy at /prometheus answers /prometheus/-/ready
  const url = `${base.replace(/\/+$/, '')}/-/ready`;
  const headers = { ...(authorization ? { authorization } : {}), ...configuredHeaders };
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(3000) });
    return res.ok ? { ok: true } : { ok: false, error: `Prometheus at ${base} answered HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { ok: false, error: `Prometheus at ${base} is unreachable (${cause})` };
  }
}
