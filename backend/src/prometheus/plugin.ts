// Decorates the app with its Prometheus client, built from PROMETHEUS_URL/_HEADERS/_TIMEOUT_MS/_CONCURRENCY/_GATE_CONCURRENCY unless
// one is handed in; one client per app (its cache and concurrency bound), never a module singleton.
import fp from 'fastify-plugin';
import '../decorations';
import { PrometheusClient } from './client';

declare module 'fastify' {
  interface FastifyInstance {
    prometheus: PrometheusClient;
  }
}

export const prometheusPlugin = fp<{ client?: PrometheusClient }>(async (app, opts) => {
  if (app.hasDecorator('prometheus')) return;
  app.decorate(
    'prometheus',
    opts.client ??
      new PrometheusClient({
        url: app.config.PROMETHEUS_URL,
        headers: app.config.PROMETHEUS_HEADERS,
        timeoutMs: app.config.PROMETHEUS_TIMEOUT_MS,
        concurrency: app.config.PROMETHEUS_CONCURRENCY,
        gateConcurrency: app.config.PROMETHEUS_GATE_CONCURRENCY,
      }),
  );
});
