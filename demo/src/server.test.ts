// The demo over real HTTP: the exported metric names and buckets, injection validation, and the CLI
// driving a running demo until its /metrics shows the injected errors.
import { seededRandom } from './clock';
import { parseDuration, runClient } from './cli';
import { startDemo, type RunningDemo } from './server';
import { DEFAULT_PROFILE } from './traffic';

let demo: RunningDemo;
let now = 0;

beforeEach(async () => {
  now = Date.parse('2026-01-05T10:00:00Z');
  demo = await startDemo({
    port: 0,
    tickMs: 3_600_000,
    clock: { now: () => new Date(now) },
    random: seededRandom(7),
    profile: { ...DEFAULT_PROFILE, baseErrorRate: 0 },
  });
});
afterEach(() => demo.stop());

function tick(times: number): void {
  for (let i = 0; i < times; i++) {
    demo.simulator.tick();
    now += 1000;
  }
}

/** Sums the samples of one metric whose label set contains every given pair. */
function sample(text: string, metric: string, labels: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && labels.every((l) => line.includes(l)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const metricsText = async () => (await fetch(`${demo.url}/metrics`)).text();

describe('demo HTTP server', () => {
  it('exports exactly the four SLO metrics with the guide-aligned buckets', async () => {
    tick(2);
    const text = await metricsText();
    const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(names.sort()).toEqual([
      'etl_lag_seconds gauge',
      'http_request_duration_seconds histogram',
      'http_requests_total counter',
      'web_lcp_seconds histogram',
    ]);
    for (const le of ['0.05', '0.1', '0.15', '0.25', '0.3', '0.5', '0.8', '1', '2.5', '5']) {
      expect(text).toContain(
        `http_request_duration_seconds_bucket{le="${le}",service="api",route="/v1/items",method="GET"}`,
      );
    }
    for (const le of ['1', '2', '2.5', '4'])
      expect(text).toContain(`web_lcp_seconds_bucket{le="${le}",page="home"}`);
    expect(text).toMatch(
      /http_requests_total\{service="checkout",route="\/checkout",method="POST",code="201"\} \d+/,
    );
    expect(text).toContain('etl_lag_seconds{pipeline="orders"}');
  });

  it('exports every status code of every route at zero before any request, errors included', async () => {
    const text = await metricsText();
    expect(text).toContain('http_requests_total{service="api",route="/v1/items",method="GET",code="500"} 0');
    expect(text).toContain(
      'http_requests_total{service="checkout",route="/checkout",method="POST",code="503"} 0',
    );
    expect(text).toContain(
      'http_requests_total{service="checkout",route="/checkout",method="POST",code="201"} 0',
    );
  });

  it('rejects an invalid injection naming the field, and an unknown target listing the known ones', async () => {
    const post = (body: unknown) =>
      fetch(`${demo.url}/inject`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: string; details: { field: string; message: string }[] },
      }));
    const invalid = await post({ service: 'api', errorRate: 1.5 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('validation_failed');
    expect(invalid.body.details.map((d) => d.field)).toEqual(['errorRate']);
    const unknown = await post({ service: 'payments', errorRate: 0.5 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0]?.message).toContain('api, checkout, orders, billing, home');
    const notJson = await fetch(`${demo.url}/inject`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect(demo.injections.list()).toEqual([]);
  });

  it('the CLI injects errors that then show in /metrics, lists them and clears them', async () => {
    const lines: string[] = [];
    const io = { fetch, out: (line: string) => lines.push(line), env: { DEMO_URL: demo.url } };
    expect(await runClient(['inject', '--service', 'api', '--error-rate', '0.5', '--for', '10m'], io)).toBe(
      0,
    );
    expect(lines[0]).toBe('injected on api: error rate 0.5, +0 ms until 2026-01-05T10:10:00.000Z');
    tick(60);
    const text = await metricsText();
    const errors = sample(text, 'http_requests_total', ['service="api"', 'code="5']);
    const all = sample(text, 'http_requests_total', ['service="api"']);
    expect(errors / all).toBeGreaterThan(0.45);
    expect(errors / all).toBeLessThan(0.55);
    expect(sample(text, 'http_requests_total', ['service="checkout"', 'code="5'])).toBe(0);

    expect(await runClient(['status'], io)).toBe(0);
    expect(JSON.parse(lines[1] ?? '').injections).toEqual([
      expect.objectContaining({ service: 'api', errorRate: 0.5, latencyMs: 0 }),
    ]);
    expect(await runClient(['clear', '--service', 'api'], io)).toBe(0);
    expect(lines[2]).toBe('cleared 1 injection(s)');
    await expect(runClient(['inject', '--service', 'nope'], io)).rejects.toThrow(/400.*service: use one of/);
  });

  it('keeps the webhook notifications Alertmanager sends, newest first', async () => {
    const notify = (alertname: string) =>
      fetch(`${demo.url}/alerts`, {
        method: 'POST',
        body: JSON.stringify({ status: 'firing', alerts: [{ labels: { alertname } }] }),
      });
    expect((await notify('APIElevatedErrors')).status).toBe(200);
    now += 5000;
    await notify('TLSCertExpiresIn3Days');
    const { notifications } = (await (await fetch(`${demo.url}/alerts`)).json()) as {
      notifications: { receivedAt: string; notification: { alerts: { labels: { alertname: string } }[] } }[];
    };
    expect(notifications.map((n) => [n.receivedAt, n.notification.alerts[0]?.labels.alertname])).toEqual([
      ['2026-01-05T10:00:05.000Z', 'TLSCertExpiresIn3Days'],
      ['2026-01-05T10:00:00.000Z', 'APIElevatedErrors'],
    ]);
  });

  it('the CLI turns latency and duration flags into the injection it posts', async () => {
    const io = { fetch, out: () => undefined, env: { DEMO_URL: demo.url } };
    await runClient(['inject', '--service', 'checkout', '--latency', '1.5s', '--for', '90s'], io);
    expect(demo.injections.list()).toEqual([
      expect.objectContaining({
        service: 'checkout',
        errorRate: 0,
        latencyMs: 1500,
        endsAt: '2026-01-05T10:01:30.000Z',
      }),
    ]);
    expect(parseDuration('250ms')).toBe(0.25);
    expect(parseDuration('2h')).toBe(7200);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
