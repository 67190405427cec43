// Every SLO status number, computed through the evaluator (raw queries), against Prometheus's own
// answer to hand-written PromQL on the golden history (to 1e-9) and against the exact events the
// history was generated from (within Prometheus's boundary error), for rolling and calendar windows.
import type { SloSpec } from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { SloEvaluator } from '../src/slo/evaluator';
import type { SloStatus } from '../src/slo/status';
import { END, generateGoldenHistory } from './support/golden-data';
import {
  GOLDEN_AVAILABILITY as availability,
  GOLDEN_SLO_BASE as base,
  GOLDEN_SLOS,
} from './support/golden-slos';
import { PrometheusServer, startGoldenPrometheus } from './support/prometheus';

jest.setTimeout(180_000);

const at = new Date(END * 1000);
const history = generateGoldenHistory();
let prom: PrometheusServer;
let client: PrometheusClient;
let evaluator: SloEvaluator;

beforeAll(async () => {
  prom = await startGoldenPrometheus();
  client = new PrometheusClient({ url: prom.url });
  evaluator = new SloEvaluator({ prometheus: client, clock: new ManualClock(at) });
});
afterAll(async () => {
  await prom?.remove();
});

/**
 * A test case: the SLO, its error ratio over a range written by hand in PromQL, the burn-rate
 * factors of its window (SRE workbook table scaled by window ÷ 30d), the exact error ratio from
 * the generated events, and the largest share of events one boundary sample can move.
 */
interface Case {
  slo: SloSpec;
  budget: number;
  ratio: (range: string, by?: string) => string;
  events: (range: string) => string;
  factors: { page: [number, number]; ticket: [number, number] };
  windowStart: number;
  truth: (from: number) => { ratio: number; tolerance: number };
}

const WORKBOOK_30D = { page: [14.4, 6] as [number, number], ticket: [3, 1] as [number, number] };
const scaled = (days: number) => ({
  page: WORKBOOK_30D.page.map((f) => (f * days) / 30) as [number, number],
  ticket: WORKBOOK_30D.ticket.map((f) => (f * days) / 30) as [number, number],
});
const by = (labels?: string) => (labels ? ` by (${labels})` : '');

function requestTruth(
  errorsMatch: Record<string, string | RegExp>,
  totalMatch: Record<string, string | RegExp>,
) {
  return (from: number) => {
    const errors = history.increase('http_requests_total', errorsMatch, from, END);
    const total = history.increase('http_requests_total', totalMatch, from, END);
    return { ratio: errors / total, tolerance: 0 };
  };
}

const ratioCase = (slo: SloSpec, windowStart: number, factors: Case['factors']): Case => ({
  slo,
  budget: 0.001,
  ratio: (r, labels) =>
    `sum${by(labels)}(increase(http_requests_total{service="api",code=~"5.."}[${r}])) / sum${by(labels)}(increase(http_requests_total{service="api"}[${r}]))`,
  events: (r) => `sum(increase(http_requests_total{service="api"}[${r}]))`,
  factors,
  windowStart,
  truth: requestTruth({ service: 'api', code: /5../ }, { service: 'api' }),
});

const DAY = 86_400;
const CASES: Case[] = [
  ratioCase(GOLDEN_SLOS.availability30d, END - 30 * DAY, WORKBOOK_30D),
  // calendar month in Berlin: the window starts 2026-01-31T23:00Z; alert factors use the nominal 30d
  ratioCase(GOLDEN_SLOS.availabilityMonth, Date.parse('2026-01-31T23:00:00Z') / 1000, WORKBOOK_30D),
  // the minimum-traffic guard holds the page back: 5m and 30m hold far fewer than 10^6 requests
  ratioCase(
    {
      ...base,
      id: 'availability-guarded',
      objective: 99.9,
      window: '30d',
      minEvents: 1_000_000,
      indicator: availability,
    },
    END - 30 * DAY,
    WORKBOOK_30D,
  ),
  {
    slo: GOLDEN_SLOS.ordersReadP95,
    budget: 0.05,
    ratio: (r) =>
      `1 - sum(increase(http_request_duration_seconds_bucket{service="api",route="/orders",method="GET",le="0.5"}[${r}])) / sum(increase(http_request_duration_seconds_count{service="api",route="/orders",method="GET"}[${r}]))`,
    events: (r) =>
      `sum(increase(http_request_duration_seconds_count{service="api",route="/orders",method="GET"}[${r}]))`,
    factors: scaled(28),
    windowStart: END - 28 * DAY,
    truth: (from) => {
      const m = { route: '/orders', method: 'GET' };
      const good = history.increase('http_request_duration_seconds_bucket', { ...m, le: '0.5' }, from, END);
      const total = history.increase('http_request_duration_seconds_count', m, from, END);
      return { ratio: 1 - good / total, tolerance: 0 };
    },
  },
  {
    slo: GOLDEN_SLOS.webLcpP75,
    budget: 0.25,
    ratio: (r) =>
      `1 - sum(increase(web_lcp_seconds_bucket{le="2.5"}[${r}])) / sum(increase(web_lcp_seconds_count[${r}]))`,
    events: (r) => `sum(increase(web_lcp_seconds_count[${r}]))`,
    factors: scaled(7),
    // the calendar week (Monday) containing Friday 2026-02-20 00:00Z
    windowStart: Date.parse('2026-02-16T00:00:00Z') / 1000,
    truth: (from) => {
      const good = history.increase('web_lcp_seconds_bucket', { le: '2.5' }, from, END);
      const total = history.increase('web_lcp_seconds_count', {}, from, END);
      return { ratio: 1 - good / total, tolerance: 0 };
    },
  },
  {
    slo: GOLDEN_SLOS.etlFreshness,
    budget: 0.05,
    ratio: (r) => `avg_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[${r}:1m])`,
    events: (r) => `count_over_time(etl_lag_seconds{pipeline="orders"}[${r}:1m])`,
    factors: WORKBOOK_30D,
    windowStart: END - 30 * DAY,
    truth: (from) => {
      const s = history.slices('etl_lag_seconds', { pipeline: 'orders' }, from, END, (v) => v < 900);
      // the subquery also samples the window's first instant: one slice more than the minutes in it
      return { ratio: 1 - s.good / s.total, tolerance: 1 / s.total };
    },
  },
];

async function scalar(expr: string): Promise<number> {
  const samples = await client.instant(expr, at);
  if (samples.length !== 1) throw new Error(`${expr} gave ${samples.length} samples`);
  return samples[0]!.value;
}

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const close = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe.each(CASES.map((c) => [c.slo.id, c] as const))('status of %s (raw queries)', (_id, c) => {
  let status: SloStatus;
  beforeAll(async () => {
    status = await evaluator.status(c.slo);
  });

  it('reports the window and the objective', () => {
    expect(status.source).toBe('raw');
    expect(status.objective).toBeCloseTo(c.slo.objective / 100, 12);
    expect(status.window).toEqual({
      start: new Date(c.windowStart * 1000).toISOString(),
      end: at.toISOString(),
    });
  });

  it("equals Prometheus's own answer for SLI, budget, events and every burn rate", async () => {
    const range = `${END - c.windowStart}s`;
    close(status.sli, await scalar(`1 - (${c.ratio(range)})`));
    expect(status.errorBudget.total).toBe(c.budget);
    close(status.errorBudget.consumed, await scalar(`(${c.ratio(range)}) / ${c.budget}`));
    close(status.errorBudget.remaining, await scalar(`1 - (${c.ratio(range)}) / ${c.budget}`));
    close(status.events, await scalar(c.events(range)));
    for (const w of WINDOWS)
      close(status.burnRates[w] ?? null, await scalar(`(${c.ratio(w)}) / ${c.budget}`));
  });

  it("equals Prometheus's own answer for the alert state", async () => {
    const over = (w: string, f: number) => `(${c.ratio(w)}) > ${f * c.budget}`;
    const guard = (w: string) => (c.slo.minEvents > 0 ? ` and (${c.events(w)}) >= ${c.slo.minEvents}` : '');
    const [p1, p2] = c.factors.page;
    const [t1, t2] = c.factors.ticket;
    const page = `(${over('1h', p1)} and ${over('5m', p1)}${guard('5m')}) or (${over('6h', p2)} and ${over('30m', p2)}${guard('30m')})`;
    const ticket = `(${over('1d', t1)} and ${over('2h', t1)}) or (${over('3d', t2)} and ${over('6h', t2)})`;
    expect(status.alerts.page).toBe((await client.instant(page, at)).length > 0);
    expect(status.alerts.ticket).toBe((await client.instant(ticket, at)).length > 0);
  });

  it('equals the exact SLI of the generated events within the boundary error', () => {
    const { ratio, tolerance } = c.truth(c.windowStart);
    expect(ratio).toBeGreaterThan(0);
    expect(Math.abs(status.sli! - (1 - ratio))).toBeLessThanOrEqual(tolerance + 1e-12);
  });
});

describe('what the golden history makes the alerts say at its end', () => {
  it('pages on the fast burn, tickets on the slow one, holds the page back under the traffic guard', async () => {
    const [plain, guarded, lag] = await Promise.all(
      ['availability-30d', 'availability-guarded', 'etl-freshness'].map((id) =>
        evaluator.status(CASES.find((c) => c.slo.id === id)!.slo),
      ),
    );
    expect(plain!.alerts).toEqual({ page: true, ticket: true });
    expect(guarded!.alerts).toEqual({ page: false, ticket: true });
    expect(lag!.alerts).toEqual({ page: false, ticket: false });
  });
});

describe('a grouped SLO', () => {
  const c = CASES[0]!;
  const slo: SloSpec = { ...c.slo, id: 'availability-by-route', window: '30d', groupBy: ['route', 'method'] };
  it('gives each group its own numbers and the overall ones on top', async () => {
    const status = await evaluator.status(slo);
    expect(status.groups?.map((g) => g.labels)).toEqual([
      { route: '/orders', method: 'GET' },
      { route: '/orders', method: 'POST' },
      { route: '/search', method: 'GET' },
    ]);
    close(status.sli, await scalar(`1 - (${c.ratio('30d')})`));
    const perGroup = await client.instant(`1 - (${c.ratio('30d', 'route, method')})`, at);
    for (const g of status.groups!) {
      const expected = perGroup.find(
        (s) => s.labels.route === g.labels.route && s.labels.method === g.labels.method,
      )!;
      close(g.sli, expected.value);
      const from = END - 30 * DAY;
      const truth = requestTruth({ ...g.labels, code: /5../ }, g.labels)(from);
      expect(Math.abs(g.sli! - (1 - truth.ratio))).toBeLessThanOrEqual(1e-12);
      const oneHour = await client.instant(`(${c.ratio('1h', 'route, method')}) / 0.001`, at);
      close(
        g.burnRates['1h'] ?? null,
        oneHour.find((s) => s.labels.route === g.labels.route && s.labels.method === g.labels.method)!.value,
      );
    }
    const alerts = Object.fromEntries(
      status.groups!.map((g) => [`${g.labels.method} ${g.labels.route}`, g.alerts]),
    );
    expect(alerts).toEqual({
      'GET /orders': { page: true, ticket: true },
      'POST /orders': { page: false, ticket: true },
      'GET /search': { page: false, ticket: false },
    });
    expect(status.alerts).toEqual({ page: true, ticket: true });
  });
});

describe('an SLO whose error counter has not appeared', () => {
  const total = (route?: string) => `http_requests_total{service="api"${route ? `,route="${route}"` : ''}}`;
  const notFound = (route?: string) =>
    `http_requests_total{service="api"${route ? `,route="${route}"` : ''},code="404"}`;
  const ratio30d = (errors: string, all: string) =>
    `sum(increase(${errors}[30d])) / sum(increase(${all}[30d]))`;

  it('is 100 % good, with every burn rate 0, when no error ever happened', async () => {
    // no request of the golden history answered 599: the error selector matches no series at all
    const slo: SloSpec = {
      ...base,
      id: 'never-failed',
      objective: 99.9,
      window: '30d',
      indicator: { kind: 'ratio', errors: 'http_requests_total{service="api",code="599"}', total: total() },
    };
    expect(await client.instant(`http_requests_total{code="599"}`, at)).toEqual([]);
    const status = await evaluator.status(slo);
    expect(status.sli).toBe(1);
    expect(status.errorBudget).toEqual({ total: 0.001, consumed: 0, remaining: 1 });
    expect(status.burnRates).toEqual(Object.fromEntries(WINDOWS.map((w) => [w, 0])));
    expect(status.alerts).toEqual({ page: false, ticket: false });
    close(status.events, await scalar(`sum(increase(${total()}[30d]))`));
  });

  it('is 100 % good in the groups without errors and exact in the others', async () => {
    // only /search ever answers 404; /orders has no 404 series
    const slo: SloSpec = {
      ...base,
      id: 'not-found-by-route',
      objective: 95,
      window: '30d',
      groupBy: ['route'],
      indicator: { kind: 'ratio', errors: notFound(), total: total() },
    };
    expect(await client.instant(`count by (route) (${notFound()})`, at)).toEqual([
      { labels: { route: '/search' }, value: 1 },
    ]);
    const status = await evaluator.status(slo);
    close(status.sli, await scalar(`1 - ${ratio30d(notFound(), total())}`));
    const [orders, search] = status.groups!;
    expect(orders!.labels).toEqual({ route: '/orders' });
    expect(orders!.sli).toBe(1);
    expect(orders!.errorBudget.consumed).toBe(0);
    expect(orders!.burnRates).toEqual(Object.fromEntries(WINDOWS.map((w) => [w, 0])));
    close(orders!.events, await scalar(`sum(increase(${total('/orders')}[30d]))`));
    expect(search!.labels).toEqual({ route: '/search' });
    const searchRatio = await scalar(ratio30d(notFound('/search'), total('/search')));
    expect(searchRatio).toBeGreaterThan(0);
    close(search!.sli, 1 - searchRatio);
  });
});

describe('batch status from raw queries', () => {
  it('equals each SLO evaluated on its own, SLOs over one indicator sharing its queries', async () => {
    const slos = [...CASES.map((c) => c.slo), { ...CASES[0]!.slo, id: 'availability-30d-99', objective: 99 }];
    const oneByOne = new PrometheusClient({ url: prom.url, cacheTtlMs: 0 });
    const single = new SloEvaluator({ prometheus: oneByOne, clock: new ManualClock(at) });
    const expected: SloStatus[] = [];
    for (const slo of slos) expected.push(await single.status(slo));
    const together = new PrometheusClient({ url: prom.url, cacheTtlMs: 0 });
    const batch = await new SloEvaluator({ prometheus: together, clock: new ManualClock(at) }).statuses(slos);
    expect(batch.errors).toEqual([]);
    expect(batch.items).toEqual(expected);
    expect(together.requests).toBeLessThan(oneByOne.requests);
  });
});
