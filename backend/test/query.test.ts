// POST /api/v1/query against real Prometheus (golden history) and a real store: SLO status and
// budget frames agree with the evaluator, table kinds honour their filters, bad filters are 400s
// naming the field, and a Prometheus outage fails only the SLO targets.
import {
  BURN_RATE_WINDOWS,
  type DataFrameJson,
  FRAME_NAMES,
  type QueryResponse,
  SLO_STATUS_FIELDS as S,
  burnRateField,
  secondsToExhaustion,
} from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { SloEvaluator } from '../src/slo/evaluator';
import { auth, createTestApp, type TestApp } from './support/app';
import { END } from './support/golden-data';
import { type PrometheusServer, startGoldenPrometheus } from './support/prometheus';

jest.setTimeout(180_000);

const now = new Date(END * 1000);
const iso = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const SLOS = [
  {
    id: 'orders-read',
    name: 'Orders read availability',
    service: 'api',
    objective: 99.9,
    window: '30d',
    indicator: {
      kind: 'ratio',
      errors: 'http_requests_total{service="api",route="/orders",method="GET",code=~"5.."}',
      total: 'http_requests_total{service="api",route="/orders",method="GET"}',
    },
  },
  {
    id: 'orders-write',
    name: 'Orders write availability',
    service: 'api',
    objective: 99.9,
    window: '30d',
    indicator: {
      kind: 'ratio',
      errors: 'http_requests_total{service="api",route="/orders",method="POST",code=~"5.."}',
      total: 'http_requests_total{service="api",route="/orders",method="POST"}',
    },
  },
  {
    id: 'search',
    name: 'Search availability',
    service: 'search',
    objective: 99,
    window: '7d',
    indicator: {
      kind: 'ratio',
      errors: 'http_requests_total{service="api",route="/search",code=~"5.."}',
      total: 'http_requests_total{service="api",route="/search"}',
    },
  },
];

let prom: PrometheusServer;
let t: TestApp;

async function query(body: unknown, headers: Record<string, string> = auth('viewer'), app = t) {
  return app.app.inject({ method: 'POST', url: '/api/v1/query', payload: body as object, headers });
}

async function frames(queries: object[], from = iso(7 * DAY), to = iso(0)) {
  const res = await query({ from, to, queries });
  expect(res.statusCode).toBe(200);
  return res.json() as QueryResponse;
}

/** Column `name` of a frame, by field name. */
function column(frame: DataFrameJson, name: string): unknown[] {
  const i = frame.schema.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`frame ${frame.schema.name} has no field ${name}`);
  return frame.data.values[i]!;
}

beforeAll(async () => {
  prom = await startGoldenPrometheus();
  t = await createTestApp('sqlite', { env: { PROMETHEUS_URL: prom.url }, clock: new ManualClock(now) });
  const post = async (path: string, body: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/${path}`,
      payload: body,
      headers: auth('editor'),
    });
    if (res.statusCode !== 201) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  for (const slo of SLOS) await post('slos', slo);
  await post('incidents', {
    title: 'Orders 5xx',
    severity: 'S1',
    service: 'api',
    startedAt: iso(40 * 60_000),
    detectedAt: iso(38 * 60_000),
    acknowledgedAt: iso(35 * 60_000),
  });
  await post('incidents', {
    title: 'Search slow',
    severity: 'S3',
    service: 'search',
    startedAt: iso(2 * DAY),
    acknowledgedAt: iso(2 * DAY - 10 * 60_000),
    status: 'resolved',
  });
  await post('incidents', {
    title: 'Queue lag',
    severity: 'S2',
    service: 'worker',
    startedAt: iso(3 * HOUR),
  });
  await post('incidents', { title: 'Old one', severity: 'S2', service: 'api', startedAt: iso(20 * DAY) });
  await post('changes', {
    title: 'Deploy api v2',
    kind: 'deploy',
    risk: 'High',
    service: 'api',
    plannedStart: iso(HOUR),
    plannedEnd: iso(0),
  });
  await post('changes', {
    title: 'Flag search-v2',
    kind: 'flag',
    risk: 'Low',
    service: 'search',
    plannedStart: iso(5 * HOUR),
  });
  await post('maintenance-windows', {
    name: 'DB patching',
    service: 'db',
    schedule: { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
    matchers: [{ name: 'service', op: '=', value: 'db' }],
  });
});

afterAll(async () => {
  await t?.close();
  await prom?.remove();
});

describe('slo-status', () => {
  it('answers one row per SLO with the evaluator’s numbers, alert word, exhaustion and burn-down', async () => {
    const body = await frames([{ refId: 'A', kind: 'slo-status', service: 'api' }]);
    const result = body.results.A!;
    expect(result.error).toBeUndefined();
    expect(result.frames).toHaveLength(1);
    const frame = result.frames[0]!;
    expect(frame.schema.name).toBe(FRAME_NAMES.sloStatus);
    expect(frame.schema.refId).toBe('A');
    const ids = column(frame, S.id);
    expect([...ids].sort()).toEqual(['orders-read', 'orders-write']);

    const evaluator = new SloEvaluator({
      prometheus: new PrometheusClient({ url: prom.url }),
      clock: new ManualClock(now),
    });
    for (const spec of SLOS.filter((s) => s.service === 'api')) {
      const row = ids.indexOf(spec.id);
      const stored = (await t.app.inject({ url: `/api/v1/slos/${spec.id}`, headers: auth('viewer') })).json();
      const status = await evaluator.status(stored);
      expect(column(frame, S.name)[row]).toBe(spec.name);
      expect(column(frame, S.objective)[row]).toBe(status.objective);
      expect(column(frame, S.sli)[row]).toBeCloseTo(status.sli!, 12);
      expect(column(frame, S.budgetRemaining)[row]).toBeCloseTo(status.errorBudget.remaining!, 12);
      expect(column(frame, S.windowEnd)[row]).toBe(Date.parse(status.window.end));
      for (const w of BURN_RATE_WINDOWS) {
        expect(column(frame, burnRateField(w))[row]).toBeCloseTo(status.burnRates[w]!, 9);
      }
      const alert = status.alerts.page ? 'page' : status.alerts.ticket ? 'ticket' : 'ok';
      expect(column(frame, S.alert)[row]).toBe(alert);
      expect(column(frame, S.exhaustionSeconds)[row]).toBeCloseTo(
        secondsToExhaustion(status.errorBudget.remaining!, status.burnRates['1h']!, spec.window),
        3,
      );
      const burndown = column(frame, S.burndown)[row] as Array<[number, number]>;
      expect(burndown.length).toBeGreaterThanOrEqual(20);
      // the burn-down ends where the window ends, at the status's remaining budget
      expect(burndown[burndown.length - 1]![0]).toBe(Date.parse(status.window.end));
      expect(burndown[burndown.length - 1]![1]).toBeCloseTo(status.errorBudget.remaining!, 9);
    }
    // the golden history ends in a fast burn on GET /orders and a slow burn on POST /orders
    expect(column(frame, S.alert)[ids.indexOf('orders-read')]).toBe('page');
    expect(column(frame, S.alert)[ids.indexOf('orders-write')]).toBe('ticket');
  });

  it('narrows by SLO id lists and leaves the burn-down out when asked', async () => {
    const body = await frames([
      { refId: 'A', kind: 'slo-status', slo: 'search,orders-write', burndownPoints: 0 },
    ]);
    const frame = body.results.A!.frames[0]!;
    expect([...column(frame, S.id)].sort()).toEqual(['orders-write', 'search']);
    expect(column(frame, S.burndown)).toEqual([[], []]);
  });
});

describe('slo-budget', () => {
  it('answers remaining budget and burn rate per SLO on the step the resolution asks for', async () => {
    const from = iso(DAY);
    const body = await frames(
      [{ refId: 'B', kind: 'slo-budget', slo: 'orders-read', maxDataPoints: 48 }],
      from,
    );
    const [frame] = body.results.B!.frames;
    expect(frame!.schema.name).toBe(FRAME_NAMES.sloBudget);
    const times = column(frame!, 'time') as number[];
    expect(times[1]! - times[0]!).toBe(30 * 60_000);
    expect(times.length).toBe(49);
    expect(frame!.schema.fields[1]!.labels).toMatchObject({ slo: 'orders-read', service: 'api' });
    const remaining = column(frame!, 'budgetRemaining') as number[];
    const status = await frames([{ refId: 'A', kind: 'slo-status', slo: 'orders-read', burndownPoints: 0 }]);
    expect(remaining[remaining.length - 1]).toBeCloseTo(
      column(status.results.A!.frames[0]!, S.budgetRemaining)[0] as number,
      9,
    );
  });
});

describe('slo-budget resolution the API refuses', () => {
  const budget = (target: object, from = iso(DAY)) =>
    query({ from, to: iso(0), queries: [{ refId: 'B', kind: 'slo-budget', slo: 'orders-read', ...target }] });

  // An intervalMs of 902548256924000 made a step beyond any duration Prometheus holds: the target answered
  // Prometheus's refusal inside a 200 instead of a 400 naming the field.
  it.each([
    ['beyond any duration Prometheus holds', 902_548_256_924_000],
    ['over a year', 367 * DAY],
  ])('answers 400 naming body.queries.0.intervalMs for an interval %s', async (_label, intervalMs) => {
    const res = await budget({ intervalMs });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: 'body.queries.0.intervalMs', message: expect.stringMatching(/^must be at most 366d/) },
    ]);
  });

  it('answers 400 naming body.queries.0.maxDataPoints when the range needs steps over a year, and the fix it names answers', async () => {
    const from = '1000-01-01T00:00:00Z';
    const enough = Math.ceil((now.getTime() - Date.parse(from)) / (366 * DAY));
    const res = await budget({ maxDataPoints: enough - 1 }, from);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      {
        field: 'body.queries.0.maxDataPoints',
        message: `gives steps over 366d for this range: use at least ${enough}`,
      },
    ]);
    const fixed = await budget({ maxDataPoints: enough }, from);
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().results.B.error).toBeUndefined();
  });

  it('still answers an interval of a year, longer than the range (a panel with a coarse min interval)', async () => {
    const res = await budget({ intervalMs: 366 * DAY });
    expect(res.statusCode).toBe(200);
    const body = res.json() as QueryResponse;
    expect(body.results.B!.error).toBeUndefined();
    expect(column(body.results.B!.frames[0]!, 'time')).toHaveLength(1);
  });
});

describe('tables', () => {
  it('lists incidents started in the range, filtered by severity lists, newest first', async () => {
    const body = await frames([
      { refId: 'all', kind: 'incidents' },
      { refId: 'major', kind: 'incidents', severity: 'S1,S2' },
      { refId: 'api', kind: 'incidents', service: 'api', status: 'investigating' },
    ]);
    expect(column(body.results.all!.frames[0]!, 'title')).toEqual(['Orders 5xx', 'Queue lag', 'Search slow']);
    expect(column(body.results.major!.frames[0]!, 'severity')).toEqual(['S1', 'S2']);
    expect(column(body.results.api!.frames[0]!, 'title')).toEqual(['Orders 5xx']);
  });

  it('lists changes by risk and maintenance windows with their next occurrence', async () => {
    const body = await frames([
      { refId: 'high', kind: 'changes', risk: 'High' },
      { refId: 'mw', kind: 'maintenance-windows' },
    ]);
    expect(column(body.results.high!.frames[0]!, 'title')).toEqual(['Deploy api v2']);
    const mw = body.results.mw!.frames[0]!;
    expect(column(mw, 'name')).toEqual(['DB patching']);
    const nextStart = new Date(column(mw, 'nextStart')[0] as number);
    expect(nextStart.getTime()).toBeGreaterThan(now.getTime() - 2 * HOUR);
    expect([2, 4]).toContain(nextStart.getUTCDay());
    expect(nextStart.getUTCHours()).toBe(2);
  });

  it('computes incident metrics over the range', async () => {
    const body = await frames([{ refId: 'M', kind: 'incident-metrics' }]);
    const frame = body.results.M!.frames[0]!;
    const value = (name: string) => column(frame, name)[0];
    expect(value('incidents')).toBe(3);
    expect(value('open')).toBe(3);
    expect(value('resolved')).toBe(1);
    // S1 acked 3 min after detection, S3 10 min after its start: MTTA 6.5 min
    expect(value('mttaSeconds')).toBeCloseTo(390, 6);
    // the S3 was created resolved, so it resolved at the clock's now: 2 days
    expect(value('mttrSeconds')).toBeCloseTo(2 * 86_400, 6);
    // the unacknowledged S2s are long past their 5-minute ack deadline
    expect(value('ackOverdue')).toBe(2);
  });
});

describe('annotations and variables', () => {
  it('answers incidents, changes and maintenance occurrences as annotation frames', async () => {
    const body = await frames([
      { refId: 'ann', kind: 'annotations', service: 'api', annotationSources: ['incident', 'change'] },
    ]);
    const frame = body.results.ann!.frames[0]!;
    expect(frame.schema.name).toBe(FRAME_NAMES.annotations);
    // the S2 from 20 days ago is still open, so it overlaps the range too
    expect([...column(frame, 'title')].sort()).toEqual([
      '[S1] Orders 5xx',
      '[S2] Old one',
      'deploy api: Deploy api v2',
    ]);
    expect(column(frame, 'source')).toEqual(expect.arrayContaining(['incident', 'change']));
    const high = await frames([
      { refId: 'r', kind: 'annotations', risk: 'High', annotationSources: ['change'] },
    ]);
    expect(column(high.results.r!.frames[0]!, 'title')).toEqual(['deploy api: Deploy api v2']);
  });

  it('offers services, SLOs and severities as text/value frames', async () => {
    const body = await frames([
      { refId: 'svc', kind: 'variable-values', variable: 'services' },
      { refId: 'slo', kind: 'variable-values', variable: 'slos', service: 'api' },
      { refId: 'sev', kind: 'variable-values', variable: 'severities' },
    ]);
    expect(column(body.results.svc!.frames[0]!, 'value')).toEqual(['api', 'db', 'search', 'worker']);
    expect(column(body.results.slo!.frames[0]!, 'value')).toEqual(['orders-read', 'orders-write']);
    expect(column(body.results.sev!.frames[0]!, 'value')).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(column(body.results.sev!.frames[0]!, 'text')[0]).toBe('S1 Critical');
  });
});

describe('requests the API refuses', () => {
  it.each([
    [{ refId: 'A', kind: 'incidents', severity: 'S1,S9' }, 'body.queries.0.severity'],
    [{ refId: 'A', kind: 'changes', risk: 'Huge' }, 'body.queries.0.risk'],
    [{ refId: 'A', kind: 'incidents', risk: 'High' }, 'body.queries.0.risk'],
    [{ refId: 'A', kind: 'variable-values' }, 'body.queries.0.variable'],
    [{ refId: 'A', kind: 'nonsense' }, 'queries.0.kind'],
  ])('%j is a 400 naming %s', async (target, field) => {
    const res = await query({ from: iso(DAY), to: iso(0), queries: [target] });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().details)).toContain(field);
  });

  it('refuses duplicate refIds, from after to, and callers without a token', async () => {
    const dup = await query({
      from: iso(DAY),
      to: iso(0),
      queries: [
        { refId: 'A', kind: 'incidents' },
        { refId: 'A', kind: 'changes' },
      ],
    });
    expect(dup.statusCode).toBe(400);
    const backwards = await query({
      from: iso(0),
      to: iso(DAY),
      queries: [{ refId: 'A', kind: 'incidents' }],
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().details[0].field).toBe('body.from');
    const anonymous = await query(
      { from: iso(DAY), to: iso(0), queries: [{ refId: 'A', kind: 'incidents' }] },
      {},
    );
    expect(anonymous.statusCode).toBe(401);
  });
});

it('fails only the SLO targets while Prometheus is down', async () => {
  const down = await createTestApp('sqlite', { clock: new ManualClock(now) });
  try {
    await down.app.inject({ method: 'POST', url: '/api/v1/slos', payload: SLOS[0], headers: auth('editor') });
    const res = await query(
      {
        from: iso(DAY),
        to: iso(0),
        queries: [
          { refId: 'slo', kind: 'slo-status' },
          { refId: 'inc', kind: 'incidents' },
        ],
      },
      auth('viewer'),
      down,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as QueryResponse;
    expect(body.results.inc!.error).toBeUndefined();
    expect(body.results.inc!.frames).toHaveLength(1);
    const slo = body.results.slo!;
    const failed = slo.error ?? '';
    expect(failed).toMatch(/Prometheus/);
    expect(failed).toContain('orders-read');
  } finally {
    await down.close();
  }
});

it('answers the store-backed kinds the same on PostgreSQL', async () => {
  const pg = await createTestApp('postgres', { clock: new ManualClock(now) });
  try {
    const post = (path: string, body: object) =>
      pg.app.inject({ method: 'POST', url: `/api/v1/${path}`, payload: body, headers: auth('editor') });
    await post('incidents', { title: 'Orders 5xx', severity: 'S1', service: 'api', startedAt: iso(HOUR) });
    await post('incidents', {
      title: 'Queue lag',
      severity: 'S3',
      service: 'worker',
      startedAt: iso(2 * HOUR),
    });
    await post('changes', {
      title: 'Deploy api v2',
      kind: 'deploy',
      risk: 'High',
      service: 'api',
      plannedStart: iso(HOUR),
    });
    const res = await query(
      {
        from: iso(DAY),
        to: iso(0),
        queries: [
          { refId: 'inc', kind: 'incidents', severity: 'S1,S3' },
          { refId: 'ann', kind: 'annotations', service: 'api' },
          { refId: 'svc', kind: 'variable-values', variable: 'services' },
        ],
      },
      auth('viewer'),
      pg,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as QueryResponse;
    expect(column(body.results.inc!.frames[0]!, 'title')).toEqual(['Orders 5xx', 'Queue lag']);
    expect([...column(body.results.ann!.frames[0]!, 'title')].sort()).toEqual([
      '[S1] Orders 5xx',
      'deploy api: Deploy api v2',
    ]);
    expect(column(body.results.svc!.frames[0]!, 'value')).toEqual(['api', 'worker']);
  } finally {
    await pg.close();
  }
});
