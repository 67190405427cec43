// Compliance reports of the real app over the golden history in a real Prometheus, on SQLite and
// PostgreSQL: a past month's figures equal PromQL `@` queries for that month (excluded parts left
// out), per the SLO's calendar time zone; ISO weeks and the running quarter; CSV and a real PDF; bad
// and future periods are 400s naming `period`.
import { inflateSync } from 'node:zlib';
import type { SloCreate } from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { auth, createTestApp, STORE_KINDS, type TestApp } from './support/app';
import { END, generateGoldenHistory } from './support/golden-data';
import { type PrometheusServer, startGoldenPrometheus } from './support/prometheus';

jest.setTimeout(180_000);

const at = new Date(END * 1000);
const history = generateGoldenHistory();
const E = 'http_requests_total{service="api",code=~"5.."}';
const T = 'http_requests_total{service="api"}';
const AVAILABILITY: SloCreate = {
  id: 'api-availability',
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  window: '30d',
  indicator: { kind: 'ratio', errors: E, total: T },
};
const MONTHLY: SloCreate = {
  ...AVAILABILITY,
  id: 'api-availability-berlin',
  name: 'API availability (Berlin month)',
  window: 'month',
  timeZone: 'Europe/Berlin',
};
const LAT = 'service="api",route="/orders",method="GET"';
const LATENCY: SloCreate = {
  id: 'orders-read-p95',
  name: 'Orders read p95',
  service: 'api',
  objective: 95,
  window: '28d',
  indicator: { kind: 'latency', metric: 'http_request_duration_seconds', matchers: LAT, le: 0.5 },
};
const FRESHNESS: SloCreate = {
  id: 'etl-freshness',
  name: 'ETL freshness',
  service: 'etl',
  objective: 99,
  window: '30d',
  indicator: { kind: 'threshold', selector: 'etl_lag_seconds{pipeline="orders"}', operator: '<', bound: 900 },
};

const JAN_END = Date.parse('2026-02-01T00:00:00Z') / 1000;
const BERLIN_JAN_END = Date.parse('2026-01-31T23:00:00Z') / 1000;
/** The adjustment and the Tuesday 02:00–04:00 UTC window occurrences of January with data (from the 15th). */
const EXCLUDED: [string, number][] = [
  ['3h', Date.parse('2026-01-20T13:00:00Z') / 1000],
  ['2h', Date.parse('2026-01-20T04:00:00Z') / 1000],
  ['2h', Date.parse('2026-01-27T04:00:00Z') / 1000],
];
/** January less the excluded parts, as one PromQL expression (`or vector(0)`: an empty part excludes nothing). */
const januaryLessExcluded = (selector: string) =>
  [
    `sum(increase(${selector}[31d] @ ${JAN_END}))`,
    ...EXCLUDED.map(([r, t]) => `(sum(increase(${selector}[${r}] @ ${t})) or vector(0))`),
  ].join(' - ');

let prom: PrometheusServer;
let client: PrometheusClient;
beforeAll(async () => {
  prom = await startGoldenPrometheus();
  client = new PrometheusClient({ url: prom.url });
});
afterAll(async () => prom?.remove());

const scalar = async (query: string) => {
  const samples = await client.instant(query, at);
  expect(samples).toHaveLength(1);
  return samples[0]!.value;
};
const close = (actual: number | null, expected: number, rel = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-9);
};

/** The text a PDF shows: its content streams inflated, the strings of every TJ/Tj operator joined. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const t of content.matchAll(/\[(.*?)\]\s*TJ/gs)) {
      out.push(
        [...t[1]!.matchAll(/<([0-9a-fA-F]*)>/g)]
          .map((h) => Buffer.from(h[1]!, 'hex').toString('latin1'))
          .join(''),
      );
    }
  }
  return out.join('\n');
}

describe.each(STORE_KINDS)('reports on %s', (kind) => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth('viewer') });
  const post = (url: string, body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      headers: { ...auth('editor'), 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await createTestApp(kind, { clock: new ManualClock(at), env: { PROMETHEUS_URL: prom.url } });
    for (const slo of [AVAILABILITY, MONTHLY, LATENCY, FRESHNESS])
      expect((await post('/slos', slo)).statusCode).toBe(201);
    expect(
      (
        await post('/slos/api-availability/exclusions', {
          start: '2026-01-20T10:00:00Z',
          end: '2026-01-20T13:00:00Z',
          reason: 'CDN outage upstream',
        })
      ).statusCode,
    ).toBe(201);
    const window = await post('/maintenance-windows', {
      name: 'Tuesday patching',
      schedule: { kind: 'weekly', days: ['TU'], startTime: '02:00', durationMinutes: 120 },
      matchers: [{ name: 'maintenance', value: 'allowed' }],
      excludeFromSlos: ['api-availability'],
    });
    expect(window.statusCode).toBe(201);
    const incident = (title: string, fields: object) =>
      post('/incidents', { title, severity: 'S2', service: 'api', ...fields }).then((r) =>
        expect(r.statusCode).toBe(201),
      );
    await incident('Checkout errors', {
      service: 'web',
      sloIds: ['api-availability'],
      startedAt: '2026-01-22T09:00:00Z',
    });
    await incident('API latency', { startedAt: '2026-01-28T09:00:00Z' });
    await incident('ETL stuck', { service: 'etl', startedAt: '2026-01-30T09:00:00Z' });
    await incident('February outage', { startedAt: '2026-02-05T09:00:00Z' });
  });
  afterAll(async () => t?.close());

  describe('2026-01', () => {
    let items: Record<string, Record<string, unknown>>;
    beforeAll(async () => {
      const res = await get('/reports/slos?period=2026-01');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ period: '2026-01', generatedAt: at.toISOString(), complete: true });
      items = Object.fromEntries(body.items.map((i: { id: string }) => [i.id, i]));
    });

    it('ratio SLO: events, bad events, SLI and budget equal PromQL @ the month end, excluded parts left out', async () => {
      const r = items['api-availability']!;
      const events = await scalar(januaryLessExcluded(T));
      const bad = await scalar(januaryLessExcluded(E));
      close(r.events as number, events);
      close(r.badEvents as number, bad);
      close(r.sli as number, 1 - bad / events);
      close(r.budgetConsumed as number, bad / events / 0.001);
      expect(r.met).toBe(bad / events <= 0.001);
      expect(r).toMatchObject({
        objective: 0.999,
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-02-01T00:00:00.000Z',
        excludedSeconds: 3 * 3600 + 4 * 2 * 3600,
      });
      // and the exact events the history was generated from, outside the excluded parts
      const truth = (match: Record<string, string | RegExp>) =>
        history.increase('http_requests_total', match, Date.parse('2026-01-15T00:00:00Z') / 1000, JAN_END) -
        EXCLUDED.reduce(
          (sum, [r2, end]) =>
            sum + history.increase('http_requests_total', match, end - (r2 === '3h' ? 3 : 2) * 3600, end),
          0,
        );
      close(r.events as number, truth({ service: 'api' }), 1e-3);
      close(r.badEvents as number, truth({ service: 'api', code: /5../ }), 1e-2);
    });

    it('calendar SLO: the month in its own time zone', async () => {
      const r = items['api-availability-berlin']!;
      expect(r).toMatchObject({
        start: '2025-12-31T23:00:00.000Z',
        end: '2026-01-31T23:00:00.000Z',
        excludedSeconds: 0,
      });
      close(r.events as number, await scalar(`sum(increase(${T}[31d] @ ${BERLIN_JAN_END}))`));
      close(r.badEvents as number, await scalar(`sum(increase(${E}[31d] @ ${BERLIN_JAN_END}))`));
    });

    it('latency and threshold SLOs', async () => {
      const l = items['orders-read-p95']!;
      const count = await scalar(
        `sum(increase(http_request_duration_seconds_count{${LAT}}[31d] @ ${JAN_END}))`,
      );
      const good = await scalar(
        `sum(increase(http_request_duration_seconds_bucket{${LAT},le=~"0.5"}[31d] @ ${JAN_END}))`,
      );
      close(l.events as number, count);
      close(l.badEvents as number, count - good);
      const f = items['etl-freshness']!;
      const slices = `(etl_lag_seconds{pipeline="orders"} >= bool 900)[31d:1m] @ ${JAN_END}`;
      close(f.events as number, await scalar(`sum(count_over_time(${slices}))`));
      close(f.badEvents as number, await scalar(`sum(sum_over_time(${slices}))`));
      expect(f.met).toBe((f.badEvents as number) / (f.events as number) <= 0.01);
    });

    it('lists the incidents touching each SLO, by sloIds or by service', () => {
      const titles = (id: string) => (items[id]!.incidents as { title: string }[]).map((i) => i.title);
      expect(titles('api-availability')).toEqual(['Checkout errors', 'API latency']);
      expect(titles('orders-read-p95')).toEqual(['API latency']);
      expect(titles('etl-freshness')).toEqual(['ETL stuck']);
    });
  });

  it('an ISO week equals PromQL @ its Monday', async () => {
    const res = await get('/reports/slos?period=2026-W05&service=etl');
    expect(res.statusCode).toBe(200);
    const [f] = res.json().items;
    expect(res.json().items).toHaveLength(1);
    const end = Date.parse('2026-02-02T00:00:00Z') / 1000;
    expect(f).toMatchObject({
      id: 'etl-freshness',
      start: '2026-01-26T00:00:00.000Z',
      end: '2026-02-02T00:00:00.000Z',
    });
    close(
      f.events,
      await scalar(`sum(count_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[7d:1m] @ ${end}))`),
    );
  });

  it('the running quarter covers its start to now and says so', async () => {
    const res = await get('/reports/slos?period=2026-Q1&service=etl');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      complete: false,
      items: [{ start: '2026-01-01T00:00:00.000Z', end: at.toISOString() }],
    });
  });

  it.each([
    ['2026-13', 'month 13 does not exist'],
    ['2026-Q5', 'quarter Q5 does not exist'],
    ['2025-W53', 'week W53 does not exist'],
    ['January', 'is not a period'],
    ['2026-03', 'has not begun yet'],
    ['2027-W01', 'has not begun yet'],
  ])('answers 400 naming query.period for %p', async (period, message) => {
    const res = await get(`/reports/slos?period=${encodeURIComponent(period)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('query.period');
    expect(res.json().message).toContain(message);
  });

  it('answers 400 without a period, or with an unknown format', async () => {
    expect((await get('/reports/slos')).json().details[0].field).toBe('query.period');
    expect((await get('/reports/slos?period=2026-01&format=xlsx')).json().details[0].field).toBe(
      'query.format',
    );
  });

  it('gives the report as CSV, one line per SLO with the JSON figures', async () => {
    const json = (await get('/reports/slos?period=2026-01')).json();
    const res = await get('/reports/slos?period=2026-01&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="slo-compliance-2026-01.csv"');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'slo,name,service,objective,sli,met,budget_consumed,events,bad_events,excluded_seconds,incidents,start,end',
    );
    expect(lines).toHaveLength(json.items.length + 1);
    const availability = lines.find((l) => l.startsWith('api-availability,'))!.split(',');
    const item = json.items.find((i: { id: string }) => i.id === 'api-availability');
    expect(Number(availability[4])).toBe(item.sli);
    expect(Number(availability[7])).toBe(item.events);
  });

  it('gives the report as a real PDF: title, period, a table row and a bar per SLO', async () => {
    const res = await get('/reports/slos?period=2026-01&format=pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF/);
    // the document's title, an indirect string object of the info dictionary
    const raw = pdf.toString('latin1');
    const titleRef = /\/Title (\d+) 0 R/.exec(raw)![1];
    expect(raw).toContain(`${titleRef} 0 obj\n(SLO compliance 2026-01)\nendobj`);
    const text = pdfText(pdf);
    expect(text).toContain('SLO compliance 2026-01');
    expect(text).toContain('Period 2026-01: 2026-01-01 to 2026-02-01');
    for (const name of ['API availability (api)', 'Orders read p95 (api)', 'ETL freshness (etl)'])
      expect(text).toContain(name);
    expect(text).toContain('Error budget consumed');
    // one bar per SLO, in its colour: filled rectangles beyond the table's rules
    const json = (await get('/reports/slos?period=2026-01')).json();
    const consumed = (id: string) =>
      json.items.find((i: { id: string }) => i.id === id).budgetConsumed as number;
    expect(text).toContain(`${(consumed('api-availability') * 100).toFixed(1)}%`);
  });

  it('feeds the data source: slo-compliance frames of the last N periods, the report figures', async () => {
    const res = await post('/query', {
      from: '2026-02-01T00:00:00Z',
      to: at.toISOString(),
      queries: [{ refId: 'C', kind: 'slo-compliance', slo: 'api-availability', periods: 2 }],
    });
    expect(res.statusCode).toBe(200);
    const [frame] = res.json().results.C.frames;
    const column = (name: string) =>
      frame.data.values[frame.schema.fields.findIndex((f: { name: string }) => f.name === name)];
    expect(frame.schema.name).toBe('opsdeck-slo-compliance');
    expect(column('period')).toEqual(['2026-01', '2026-02']);
    expect(column('complete')).toEqual([true, false]);
    const january = (await get('/reports/slos?period=2026-01'))
      .json()
      .items.find((i: { id: string }) => i.id === 'api-availability');
    expect(column('sli')[0]).toBe(january.sli);
    expect(column('met')[0]).toBe(january.met);
    expect(column('events')[0]).toBe(january.events);
    expect(column('incidents')[0]).toBe(2);
    const bad = await post('/query', {
      from: '2026-02-01T00:00:00Z',
      to: at.toISOString(),
      queries: [{ refId: 'C', kind: 'slo-compliance', period: '2026-14' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.queries.0.period');
  });

  it('the deploy gate sees no page for a burn inside an exclusion', async () => {
    // the 20 % burst of the history's last 40 minutes pages api-availability (its overspent budget
    // still halts the deploy on its own: only the page is the exclusion's business)
    const gate = async () => (await get('/gates/api')).json();
    const paging = (g: {
      reasons: { code: string; slo?: string }[];
      slos: { id: string; page: boolean }[];
    }) => [
      ...g.reasons.filter((r) => r.code === 'slo_paging').map((r) => r.slo),
      ...g.slos.filter((x) => x.page).map((x) => x.id),
    ];
    expect(paging(await gate())).toContain('api-availability');
    const created = await post('/slos/api-availability/exclusions', {
      start: new Date(at.getTime() - 50 * 60_000).toISOString(),
      end: at.toISOString(),
      reason: 'load test',
    });
    expect(created.statusCode).toBe(201);
    expect(paging(await gate())).not.toContain('api-availability');
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/slos/api-availability/exclusions/${created.json().id}`,
      headers: auth('editor'),
    });
  });
});
