// SLOs defined over the golden history's series, shared by the tests that evaluate SLOs on it (on
// Prometheus, with and without recording rules, and on VictoriaMetrics).
import type { SloSpec } from '@opsdeck/common';

/** The fields every golden SLO shares; each test adds id, objective, window and indicator. */
export const GOLDEN_SLO_BASE = {
  name: 'x',
  description: '',
  service: 'api',
  timeZone: 'UTC',
  labels: {},
  groupBy: [] as string[],
  minEvents: 0,
  runbookUrl: null,
};

/** Availability of the api service: 5xx responses over all requests. */
export const GOLDEN_AVAILABILITY = {
  kind: 'ratio' as const,
  errors: 'http_requests_total{service="api",code=~"5.."}',
  total: 'http_requests_total{service="api"}',
};

/** One SLO per indicator kind and window kind (rolling, calendar month in Berlin, calendar week). */
export const GOLDEN_SLOS = {
  availability30d: {
    ...GOLDEN_SLO_BASE,
    id: 'availability-30d',
    objective: 99.9,
    window: '30d',
    indicator: GOLDEN_AVAILABILITY,
  },
  availabilityMonth: {
    ...GOLDEN_SLO_BASE,
    id: 'availability-month',
    objective: 99.9,
    window: 'month',
    timeZone: 'Europe/Berlin',
    indicator: GOLDEN_AVAILABILITY,
  },
  ordersReadP95: {
    ...GOLDEN_SLO_BASE,
    id: 'orders-read-p95',
    objective: 95,
    window: '28d',
    indicator: {
      kind: 'latency',
      metric: 'http_request_duration_seconds',
      matchers: 'service="api",route="/orders",method="GET"',
      le: 0.5,
    },
  },
  webLcpP75: {
    ...GOLDEN_SLO_BASE,
    id: 'web-lcp-p75',
    service: 'web',
    objective: 75,
    window: 'week',
    indicator: { kind: 'latency', metric: 'web_lcp_seconds', matchers: '', le: 2.5 },
  },
  etlFreshness: {
    ...GOLDEN_SLO_BASE,
    id: 'etl-freshness',
    service: 'etl',
    objective: 95,
    window: '30d',
    indicator: {
      kind: 'threshold',
      selector: 'etl_lag_seconds{pipeline="orders"}',
      operator: '<',
      bound: 900,
      sliceSeconds: 60,
    },
  },
} satisfies Record<string, SloSpec>;
