// The metrics the demo exports: exactly the series the guide's SLOs are defined on.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request latency buckets: they hold the guide's p50/p95 targets (150/500 ms reads, 300/800 ms writes). */
export const REQUEST_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 0.8, 1, 2.5, 5, 10];
/** Largest Contentful Paint buckets: they hold the guide's 2.5 s p75 target. */
export const LCP_BUCKETS = [0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 10];

export interface DemoMetrics {
  registry: Registry;
  requests: Counter<'service' | 'route' | 'method' | 'code'>;
  requestDuration: Histogram<'service' | 'route' | 'method'>;
  etlLag: Gauge<'pipeline'>;
  lcp: Histogram<'page'>;
}

export function createDemoMetrics(registry = new Registry()): DemoMetrics {
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by service, route, method and status code.',
      labelNames: ['service', 'route', 'method', 'code'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by service, route and method.',
      labelNames: ['service', 'route', 'method'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [registry],
    }),
    etlLag: new Gauge({
      name: 'etl_lag_seconds',
      help: 'Seconds since the pipeline last delivered fresh data.',
      labelNames: ['pipeline'],
      registers: [registry],
    }),
    lcp: new Histogram({
      name: 'web_lcp_seconds',
      help: 'Largest Contentful Paint of page views in seconds, by page.',
      labelNames: ['page'],
      buckets: LCP_BUCKETS,
      registers: [registry],
    }),
  };
}
