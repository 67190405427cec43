// VictoriaMetrics as the second Prometheus-compatible engine: opsdeck's SLO status, with PROMETHEUS_URL
// pointing at a real VictoriaMetrics over the golden history, equals VictoriaMetrics's own answer to the
// very queries opsdeck sends (recorded on the way, to 1e-9), and vmalert accepts the rules generated
// for every provisioned SLO.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BURN_RATE_ALERTS,
  BURN_RATE_WINDOWS,
  GUARD_WINDOWS,
  burnRateFactor,
  errorBudgetRatio,
  errorRatioQuery,
  eventCountQueries,
  eventsQuery,
  formatDuration,
  sloRulesYaml,
  type SloSpec,
} from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { readProvisionedSlos } from '../src/slo/cli-commands';
import { auth, createTestApp, type TestApp } from './support/app';
import { END, generateGoldenHistory } from './support/golden-data';
import { GOLDEN_SLOS } from './support/golden-slos';
import {
  VMALERT_BIN,
  importGoldenHistory,
  startVictoriaMetrics,
  type VictoriaMetricsServer,
} from './support/victoria-metrics';

jest.setTimeout(180_000);
const run = promisify(execFile);
const at = new Date(END * 1000);
const history = generateGoldenHistory();
const PROVISIONING = join(__dirname, '..', '..', 'provisioning');

let vm: VictoriaMetricsServer;
let proxy: Server;
let t: TestApp;
/** Every PromQL expression opsdeck sent, as VictoriaMetrics received it (answers repeated within the client's cache time are not re-sent). */
const sent: string[] = [];

/** Forwards to VictoriaMetrics and records the `query` of each call, from the URL or a form body. */
async function startRecordingProxy(target: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const url = new URL(req.url ?? '/', target);
      const query = url.searchParams.get('query') ?? new URLSearchParams(body).get('query');
      if (query) sent.push(query);
      fetch(url, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      }).then(
        async (answer) => {
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'text/plain',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        (err: Error) => {
          res.writeHead(502);
          res.end(err.message);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  vm = await startVictoriaMetrics();
  await importGoldenHistory(vm, history);
  const recording = await startRecordingProxy(vm.url);
  proxy = recording.server;
  t = await createTestApp('sqlite', {
    env: { PROMETHEUS_URL: recording.url },
    clock: new ManualClock(at),
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await vm?.remove();
});

/** VictoriaMetrics's own answer at the evaluation instant, asked directly (not through opsdeck). */
async function vmScalar(expr: string): Promise<number> {
  const res = await fetch(`${vm.url}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query: expr, time: String(END) }),
  });
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  if (body.data.result.length !== 1) throw new Error(`${expr} gave ${body.data.result.length} samples`);
  return Number(body.data.result[0]!.value[1]);
}
async function vmHasResult(expr: string): Promise<boolean> {
  const res = await fetch(`${vm.url}/api/v1/query`, {
    method: 'POST',
    body: new URLSearchParams({ query: expr, time: String(END) }),
  });
  return ((await res.json()) as { data: { result: unknown[] } }).data.result.length > 0;
}

const close = (actual: number | null | undefined, expected: number) => {
  expect(typeof actual).toBe('number');
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

const availabilityTruth = (from: number) =>
  history.increase('http_requests_total', { service: 'api', code: /5../ }, from, END) /
  history.increase('http_requests_total', { service: 'api' }, from, END);

/** Each SLO and the exact error ratio of the generated events (or time slices) since `from`. */
const CASES: { slo: SloSpec; truth: (from: number) => number }[] = [
  {
    slo: GOLDEN_SLOS.availability30d,
    truth: availabilityTruth,
  },
  {
    // the calendar month in Berlin, with a traffic guard on the page
    slo: { ...GOLDEN_SLOS.availabilityMonth, minEvents: 1000 },
    truth: availabilityTruth,
  },
  {
    slo: GOLDEN_SLOS.ordersReadP95,
    truth: (from) => {
      const m = { route: '/orders', method: 'GET' };
      const good = history.increase('http_request_duration_seconds_bucket', { ...m, le: '0.5' }, from, END);
      return 1 - good / history.increase('http_request_duration_seconds_count', m, from, END);
    },
  },
  {
    slo: GOLDEN_SLOS.webLcpP75,
    truth: (from) =>
      1 -
      history.increase('web_lcp_seconds_bucket', { le: '2.5' }, from, END) /
        history.increase('web_lcp_seconds_count', {}, from, END),
  },
  {
    slo: GOLDEN_SLOS.etlFreshness,
    // VictoriaMetrics's subquery samples the minutes in (from, END], one per slice; Prometheus's also
    // samples the window's first instant, one slice more
    truth: (from) => {
      const s = history.slices('etl_lag_seconds', { pipeline: 'orders' }, from, END, (v) => v < 900);
      return 1 - s.good / s.total;
    },
  },
];

describe.each(CASES.map((c) => [c.slo.id, c] as const))('status of %s on VictoriaMetrics', (id, c) => {
  let status: {
    source: string;
    sli: number | null;
    events: number | null;
    window: { start: string; end: string };
    errorBudget: { total: number; consumed: number; remaining: number };
    burnRates: Record<string, number | null>;
    alerts: { page: boolean; ticket: boolean };
  };
  let range: string;
  beforeAll(async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos',
      headers: auth('editor'),
      payload: c.slo,
    });
    expect(created.statusCode).toBe(201);
    const res = await t.app.inject({ url: `/api/v1/slos/${id}/status`, headers: auth('viewer') });
    if (res.statusCode !== 200) throw new Error(res.body);
    status = res.json();
    range = formatDuration((Date.parse(status.window.end) - Date.parse(status.window.start)) / 1000);
  });

  it('sends the raw event-count queries of the window and of every burn-rate window', () => {
    // VictoriaMetrics serves no recording rules, so opsdeck queries the source metrics
    expect(status.source).toBe('raw');
    expect(status.window.end).toBe(at.toISOString());
    for (const w of [range, ...BURN_RATE_WINDOWS]) {
      const q = eventCountQueries(c.slo, w);
      expect(sent).toEqual(expect.arrayContaining([q.total, q.counted]));
    }
  });

  /** The error ratio over `w` from VictoriaMetrics's answers to the two queries opsdeck sends. */
  const vmErrorRatio = async (w: string) => {
    const q = eventCountQueries(c.slo, w);
    const [total, counted] = [await vmScalar(q.total), await vmScalar(q.counted)];
    return q.countedIs === 'bad' ? counted / total : 1 - counted / total;
  };

  it("equals VictoriaMetrics's own answer for SLI, budget, events and every burn rate", async () => {
    const budget = errorBudgetRatio(c.slo.objective);
    const ratio = await vmErrorRatio(range);
    close(status.sli, 1 - ratio);
    expect(status.errorBudget.total).toBe(budget);
    close(status.errorBudget.consumed, ratio / budget);
    close(status.errorBudget.remaining, 1 - ratio / budget);
    close(status.events, await vmScalar(eventsQuery(c.slo, range)));
    for (const w of BURN_RATE_WINDOWS) close(status.burnRates[w], (await vmErrorRatio(w)) / budget);
  });

  it("equals VictoriaMetrics's own answer for the alert state", async () => {
    const budget = errorBudgetRatio(c.slo.objective);
    const over = (w: string, f: number) => `(${errorRatioQuery(c.slo, w)}) > ${f * budget}`;
    const guard = (w: string) =>
      c.slo.minEvents > 0 && GUARD_WINDOWS.includes(w)
        ? ` and (${eventsQuery(c.slo, w)}) >= ${c.slo.minEvents}`
        : '';
    const state = async (severity: 'page' | 'ticket') => {
      const rows = BURN_RATE_ALERTS.filter((a) => a.severity === severity).map((a) => {
        const f = burnRateFactor(a, c.slo.window);
        return `(${over(a.long, f)} and ${over(a.short, f)}${guard(a.short)})`;
      });
      return vmHasResult(rows.join(' or '));
    };
    expect(status.alerts).toEqual({ page: await state('page'), ticket: await state('ticket') });
  });

  it('equals the exact SLI of the generated events: VictoriaMetrics does not extrapolate', () => {
    const from = Date.parse(status.window.start) / 1000;
    expect(Math.abs(status.sli! - (1 - c.truth(from)))).toBeLessThanOrEqual(1e-12);
  });
});

describe('the end of the golden history on VictoriaMetrics', () => {
  it('pages on the fast burn of availability, as on Prometheus', async () => {
    const res = await t.app.inject({ url: '/api/v1/slos/availability-30d/status', headers: auth('viewer') });
    expect(res.json().alerts).toEqual({ page: true, ticket: true });
  });
});

describe('vmalert', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-vmalert-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const dryRun = (file: string) => run(VMALERT_BIN, ['-dryRun', `-rule=${file}`, '-loggerLevel=ERROR']);

  it('accepts the rules generated for every provisioned SLO, expressions and templates validated', async () => {
    const { slos, problems } = await readProvisionedSlos(PROVISIONING);
    expect(problems).toEqual([]);
    expect(slos.length).toBeGreaterThan(0);
    const res = await t.app.inject({ url: '/api/v1/slos/rules', headers: auth('viewer') });
    expect(res.statusCode).toBe(200);
    // the rules of the provisioned SLOs, as `opsdeck rules` writes them
    const file = join(dir, 'provisioned.yml');
    writeFileSync(file, sloRulesYaml(slos));
    await expect(dryRun(file)).resolves.toBeDefined();
    // and those of this test's SLOs, from the API
    const apiFile = join(dir, 'api.yml');
    writeFileSync(apiFile, res.body);
    await expect(dryRun(apiFile)).resolves.toBeDefined();
  });

  it('refuses a rule file with a broken expression (the check can fail)', async () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(
      file,
      'groups:\n  - name: x\n    rules:\n      - record: a\n        expr: sum(rate(x[5m])\n',
    );
    await expect(dryRun(file)).rejects.toMatchObject({ code: 255 });
  });
});
