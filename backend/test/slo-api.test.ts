// The SLO status, budget and gate endpoints of the real app over the golden history in a real
// Prometheus: answers, gauges on /metrics, 503 while Prometheus is down and recovery after.
import type { SloCreate } from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { auth, createTestApp, type TestApp } from './support/app';
import { END, generateGoldenHistory } from './support/golden-data';
import { PrometheusServer, startGoldenPrometheus, startPrometheus } from './support/prometheus';

jest.setTimeout(180_000);

const DAY = 86_400;
const at = new Date(END * 1000);
const clock = new ManualClock(at);
const history = generateGoldenHistory();
let prom: PrometheusServer;
let t: TestApp;

const AVAILABILITY: SloCreate = {
  id: 'api-availability',
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  window: '30d',
  indicator: {
    kind: 'ratio',
    errors: 'http_requests_total{service="api",code=~"5.."}',
    total: 'http_requests_total{service="api"}',
  },
};
const MONTHLY: SloCreate = { ...AVAILABILITY, id: 'api-availability-monthly', window: 'month' };
const FRESHNESS: SloCreate = {
  id: 'etl-freshness',
  name: 'ETL freshness',
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
};

beforeAll(async () => {
  prom = await startGoldenPrometheus();
  t = await createTestApp('sqlite', { env: { PROMETHEUS_URL: prom.url }, clock });
  for (const slo of [AVAILABILITY, MONTHLY, FRESHNESS]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos',
      headers: auth('editor'),
      payload: slo,
    });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
  await prom?.remove();
});

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth('viewer') });

describe('GET /api/v1/slos/:id/status', () => {
  it("answers the DESIGN.md shape with Prometheus's numbers", async () => {
    const res = await get('/api/v1/slos/api-availability/status');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body.burnRates)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(body.window).toEqual({
      start: new Date((END - 30 * DAY) * 1000).toISOString(),
      end: at.toISOString(),
    });
    expect(body.objective).toBe(0.999);
    const direct = new PrometheusClient({ url: prom.url });
    const [ratio] = await direct.instant(
      'sum(increase(http_requests_total{service="api",code=~"5.."}[30d])) / sum(increase(http_requests_total{service="api"}[30d]))',
      at,
    );
    expect(Math.abs(body.sli - (1 - ratio!.value))).toBeLessThanOrEqual(1e-12);
    const errors = history.increase(
      'http_requests_total',
      { service: 'api', code: /5../ },
      END - 30 * DAY,
      END,
    );
    const total = history.increase('http_requests_total', { service: 'api' }, END - 30 * DAY, END);
    expect(body.events).toBeCloseTo(total, 6);
    expect(Math.abs(body.errorBudget.remaining - (1 - errors / total / 0.001))).toBeLessThanOrEqual(1e-9);
    expect(body.alerts).toEqual({ page: true, ticket: true });
  });

  it('answers 404 for an unknown SLO', async () => {
    const res = await get('/api/v1/slos/nope/status');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not_found');
  });

  it('puts the last evaluation on /metrics', async () => {
    await get('/api/v1/slos/api-availability/status');
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/opsdeck_slo_error_budget_remaining_ratio\{slo="api-availability"\} -?\d/);
    expect(metrics).toMatch(/opsdeck_slo_burn_rate\{slo="api-availability",window="1h"\} \d/);
    expect(metrics).toContain('opsdeck_slo_alert{slo="api-availability",severity="page"} 1');
  });
});

describe('GET /api/v1/slos/status', () => {
  it('evaluates every SLO, or those of one service', async () => {
    const all = (await get('/api/v1/slos/status')).json();
    expect(all.items.map((s: { id: string }) => s.id).sort()).toEqual([
      'api-availability',
      'api-availability-monthly',
      'etl-freshness',
    ]);
    expect(all.errors).toEqual([]);
    const etl = (await get('/api/v1/slos/status?service=etl')).json();
    expect(etl.items.map((s: { id: string }) => s.id)).toEqual(['etl-freshness']);
  });
});

describe('GET /api/v1/slos/:id/budget', () => {
  it('gives the rolling-window budget at each step as Prometheus computes it', async () => {
    const from = END - 6 * 3600;
    const res = await get(
      `/api/v1/slos/api-availability/budget?from=${from * 1000}&to=${END * 1000}&maxDataPoints=12`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.step).toBe(1800);
    const series = body.series[0];
    expect(series.remaining).toHaveLength(13);
    const direct = new PrometheusClient({ url: prom.url });
    const expected = await direct.range(
      '1 - (sum(increase(http_requests_total{service="api",code=~"5.."}[30d])) / sum(increase(http_requests_total{service="api"}[30d]))) / 0.001',
      new Date(from * 1000),
      at,
      1800,
    );
    series.remaining.forEach(([time, v]: [string, number], i: number) => {
      const [ts, want] = expected[0]!.points[i]!;
      expect(time).toBe(new Date(ts * 1000).toISOString());
      expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-9);
    });
    const lastBurn = series.burnRate[series.burnRate.length - 1][1];
    const status = (await get('/api/v1/slos/api-availability/status')).json();
    expect(Math.abs(lastBurn - status.burnRates['1h'])).toBeLessThanOrEqual(1e-9);
  });

  it('sums a calendar window from its start, ending at the status value', async () => {
    const from = END - 3 * DAY;
    const res = await get(
      `/api/v1/slos/api-availability-monthly/budget?from=${from * 1000}&to=${END * 1000}&step=1h`,
    );
    expect(res.statusCode).toBe(200);
    const points: [string, number][] = res.json().series[0].remaining;
    expect(points).toHaveLength(73);
    const status = (await get('/api/v1/slos/api-availability-monthly/status')).json();
    const [lastTime, last] = points[points.length - 1]!;
    expect(lastTime).toBe(at.toISOString());
    // hour-long increases are exact at minute-aligned samples: the sum equals the whole-window answer
    expect(Math.abs(last - status.errorBudget.remaining)).toBeLessThanOrEqual(1e-9);
    const start = Date.parse(status.window.start) / 1000;
    const mid = END - DAY;
    const midErrors = history.increase('http_requests_total', { service: 'api', code: /5../ }, start, mid);
    const midTotal = history.increase('http_requests_total', { service: 'api' }, start, mid);
    const midPoint = points.find(([time]) => time === new Date(mid * 1000).toISOString())!;
    expect(Math.abs(midPoint[1] - (1 - midErrors / midTotal / 0.001))).toBeLessThanOrEqual(1e-9);
  });

  it('answers a fine step late in a calendar window (the budget before the range comes from one query)', async () => {
    const res = await get(
      `/api/v1/slos/api-availability-monthly/budget?from=${(END - 3600) * 1000}&to=${END * 1000}&step=60`,
    );
    expect(res.statusCode).toBe(200);
    const points: [string, number][] = res.json().series[0].remaining;
    expect(points).toHaveLength(61);
    const status = (await get('/api/v1/slos/api-availability-monthly/status')).json();
    expect(Math.abs(points[points.length - 1]![1] - status.errorBudget.remaining)).toBeLessThanOrEqual(1e-6);
  });

  it('names the field of a bad range', async () => {
    const res = await get(`/api/v1/slos/api-availability/budget?from=${END * 1000}&to=${(END - 60) * 1000}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('query.from');
    const tooFine = await get(
      `/api/v1/slos/api-availability/budget?from=${(END - 30 * DAY) * 1000}&to=${END * 1000}&step=60`,
    );
    expect(tooFine.statusCode).toBe(400);
    expect(tooFine.json().details[0].field).toBe('query.step');
  });
});

describe('GET /api/v1/gates/:service', () => {
  it('halts a service whose SLO pages and whose budget is spent', async () => {
    const res = await get('/api/v1/gates/api');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.decision).toBe('halt');
    const codes = body.reasons.map((r: { code: string; slo: string }) => `${r.code}:${r.slo}`).sort();
    expect(codes).toEqual([
      'budget_below_floor:api-availability',
      'budget_below_floor:api-availability-monthly',
      'slo_paging:api-availability',
      'slo_paging:api-availability-monthly',
    ]);
    expect((await get('/api/v1/gates/api?strict=true')).statusCode).toBe(412);
  });

  it('lets a healthy service proceed, and halts it below a stricter floor', async () => {
    const ok = await get('/api/v1/gates/etl?strict=true');
    expect(ok.statusCode).toBe(200);
    const body = ok.json();
    expect(body.decision).toBe('proceed');
    expect(body.reasons).toEqual([]);
    const left = body.slos[0].budgetRemaining;
    expect(left).toBeGreaterThan(0.1);
    expect(left).toBeLessThan(1);
    const strict = await get(`/api/v1/gates/etl?minBudget=${Math.min(1, left + 0.01)}`);
    expect(strict.json().decision).toBe('halt');
    expect(strict.json().reasons[0].code).toBe('budget_below_floor');
    const post = await t.app.inject({
      method: 'POST',
      url: '/api/v1/gates/etl?strict=true',
      headers: auth('viewer'),
      payload: { name: 'podinfo' },
    });
    expect(post.statusCode).toBe(200);
  });

  it('halts while an S1/S2 incident is open on the service, not for S3', async () => {
    const open = async (severity: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: auth('editor'),
        payload: { title: `lag ${severity}`, severity, service: 'etl' },
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    await open('S3');
    expect((await get('/api/v1/gates/etl')).json().decision).toBe('proceed');
    const id = await open('S2');
    const body = (await get('/api/v1/gates/etl')).json();
    expect(body.decision).toBe('halt');
    expect(body.reasons).toEqual([expect.objectContaining({ code: 'incident_open', incident: id })]);
  });
});

describe('when Prometheus goes away', () => {
  it('answers 503 naming Prometheus and the cause, and recovers by itself', async () => {
    await prom.stop();
    clock.advance(60_000);
    const down = await get('/api/v1/slos/api-availability/status');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      error: 'upstream_unavailable',
      message: `Prometheus at ${prom.url} is unavailable: connection refused`,
    });
    expect((await get('/api/v1/slos/status')).statusCode).toBe(503);
    expect((await get('/api/v1/gates/api')).statusCode).toBe(503);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    prom = await startPrometheus({ dataDir: prom.dataDir, port: prom.port });
    clock.advance(60_000);
    const up = await get('/api/v1/slos/api-availability/status');
    expect(up.statusCode).toBe(200);
    expect(up.json().window.end).toBe(new Date(at.getTime() + 120_000).toISOString());
  });
});
