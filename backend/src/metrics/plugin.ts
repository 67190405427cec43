// /metrics: prom-client default metrics and a request-duration histogram per route, on the app's own registry.
import fp from 'fastify-plugin';
import '../decorations';
import { Histogram, type Registry, collectDefaultMetrics } from 'prom-client';

export const metricsPlugin = fp(
  async (app) => {
    const registry: Registry = app.metrics;
    collectDefaultMetrics({ register: registry, prefix: 'opsdeck_' });
    const duration = new Histogram({
      name: 'opsdeck_http_request_duration_seconds',
      help: 'HTTP request duration by route template, method and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });

    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          // The route template keeps cardinality bounded; unknown URLs share one label.
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'opsdeck-metrics' },
);
