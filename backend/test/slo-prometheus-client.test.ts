// The Prometheus client against a real Prometheus on the golden history, a closed port, a server
// that never answers, and a pass-through proxy that records what the client sends.
import { createServer, IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import {
  PrometheusBadDataError,
  PrometheusClient,
  PrometheusUnavailableError,
} from '../src/prometheus/client';
import { END, generateGoldenHistory } from './support/golden-data';
import { freePort, PrometheusServer, startGoldenPrometheus } from './support/prometheus';

jest.setTimeout(180_000);

const RULES = `groups:
  - name: client-test
    rules:
      - record: service:http_requests:rate5m
        expr: sum by (service) (rate(http_requests_total[5m]))
        labels:
          team: sre
`;

let prom: PrometheusServer;
const history = generateGoldenHistory();
const at = new Date(END * 1000);

beforeAll(async () => {
  prom = await startGoldenPrometheus([RULES]);
});
afterAll(async () => {
  await prom?.remove();
});

/**
 * Forwards to Prometheus, recording headers and the most calls seen in flight at once; with a prefix,
 * serves Prometheus under it (as a reverse proxy at /prometheus would) and answers 404 elsewhere.
 */
async function startProxy(prefix = ''): Promise<{
  url: string;
  headers: IncomingHttpHeaders[];
  maxInFlight: () => number;
  close: () => Promise<void>;
}> {
  const headers: IncomingHttpHeaders[] = [];
  let inFlight = 0;
  let max = 0;
  const target = new URL(prom.url);
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith(`${prefix}/`)) {
      res.writeHead(404).end();
      return;
    }
    headers.push(req.headers);
    inFlight++;
    max = Math.max(max, inFlight);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: req.url.slice(prefix.length),
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', () => inFlight--);
      },
    );
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    headers,
    maxInFlight: () => max,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('PrometheusClient against a real Prometheus', () => {
  it('answers instant queries with the exact event counts of the history', async () => {
    const client = new PrometheusClient({ url: prom.url });
    const from = END - 3600;
    const samples = await client.instant(
      'sum by (code) (increase(http_requests_total{route="/orders",method="GET"}[1h]))',
      at,
    );
    const byCode = Object.fromEntries(samples.map((s) => [s.labels.code, s.value]));
    expect(Object.keys(byCode).sort()).toEqual(['200', '500']);
    for (const code of ['200', '500']) {
      const truth = history.increase(
        'http_requests_total',
        { route: '/orders', method: 'GET', code },
        from,
        END,
      );
      expect(truth).toBeGreaterThan(0);
      expect(byCode[code]).toBeCloseTo(truth, 6);
    }
  });

  it('returns scalars as one unlabelled sample and parses infinities', async () => {
    const client = new PrometheusClient({ url: prom.url });
    expect(await client.instant('scalar(vector(2.5))', at)).toEqual([{ labels: {}, value: 2.5 }]);
    expect(await client.instant('vector(1/0)', at)).toEqual([{ labels: {}, value: Infinity }]);
  });

  it('answers range queries with one point per step', async () => {
    const client = new PrometheusClient({ url: prom.url });
    const start = new Date((END - 3600) * 1000);
    const series = await client.range(
      'sum(increase(http_requests_total{route="/search"}[5m]))',
      start,
      at,
      600,
    );
    expect(series).toHaveLength(1);
    const points = series[0]!.points;
    expect(points.map(([t]) => t)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => END - 3600 + i * 600));
    for (const [t, v] of points)
      expect(v).toBeCloseTo(history.increase('http_requests_total', { route: '/search' }, t - 300, t), 6);
  });

  it('lists the recording rules Prometheus has loaded', async () => {
    const client = new PrometheusClient({ url: prom.url });
    expect(await client.recordingRules()).toEqual([
      { name: 'service:http_requests:rate5m', labels: { team: 'sre' } },
    ]);
  });

  it('names Prometheus and quotes its message when it rejects a query', async () => {
    const client = new PrometheusClient({ url: prom.url });
    const err = await client.instant('sum(rate(http_requests_total[5m])', at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusBadDataError);
    const bad = err as PrometheusBadDataError;
    expect(bad.status).toBe(422);
    expect(bad.message).toContain(`Prometheus at ${prom.url} rejected the query`);
    expect(bad.message).toMatch(/parse error/);
  });

  it('sends the configured headers, coalesces identical calls, caches briefly and bounds concurrency', async () => {
    const proxy = await startProxy();
    try {
      const client = new PrometheusClient({
        url: proxy.url,
        headers: { 'X-Scope-OrgID': 'tenant-a' },
        concurrency: 2,
        cacheTtlMs: 60_000,
      });
      const q = 'sum(increase(http_requests_total[1d]))';
      const [a, b] = await Promise.all([client.instant(q, at), client.instant(q, at)]);
      expect(a).toEqual(b);
      expect(client.requests).toBe(1);
      await client.instant(q, at);
      expect(client.requests).toBe(1);
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map((d) =>
          client.instant(`sum(increase(http_requests_total[${d}d]))`, new Date((END - 60) * 1000)),
        ),
      );
      expect(client.requests).toBe(7);
      expect(proxy.maxInFlight()).toBeLessThanOrEqual(2);
      expect(proxy.headers).toHaveLength(7);
      for (const h of proxy.headers) expect(h['x-scope-orgid']).toBe('tenant-a');
    } finally {
      await proxy.close();
    }
  });

  // Issue 14: one viewer request queued range queries for every SLO behind the slots deploy gates use.
  it('answers a gate call on its own slots while dashboards hold and queue on every shared one', async () => {
    const proxy = await startProxy();
    try {
      const client = new PrometheusClient({
        url: proxy.url,
        concurrency: 1,
        gateConcurrency: 1,
        cacheTtlMs: 0,
      });
      // each of these makes Prometheus evaluate hundreds of thousands of points: far longer than a cheap query
      const heavy = (i: number) => `count_over_time(vector(${i})[10d:1s])`;
      const settled: string[] = [];
      const viewers = [1, 2, 3].map((i) =>
        client.instant(heavy(i), at).then(() => settled.push(`viewer ${i}`)),
      );
      await new Promise((r) => setTimeout(r, 100));
      const gate = client.lane('gate');
      const started = performance.now();
      expect(await gate.instant('scalar(vector(3))', at)).toEqual([{ labels: {}, value: 3 }]);
      settled.push('gate');
      const gateMs = performance.now() - started;
      // a viewer call of the same cheap query waits for a shared slot, behind the heavy ones
      const shared = client.instant('scalar(vector(4))', at).then(() => settled.push('shared cheap'));
      await Promise.all([...viewers, shared]);
      expect(settled).toEqual(['gate', 'viewer 1', 'viewer 2', 'viewer 3', 'shared cheap']);
      expect(proxy.maxInFlight()).toBe(2);
      expect(gateMs).toBeLessThan(1000);
    } finally {
      await proxy.close();
    }
  });

  it('keeps the path of a Prometheus served under a prefix', async () => {
    const proxy = await startProxy('/prometheus');
    try {
      const client = new PrometheusClient({ url: `${proxy.url}/prometheus/` });
      expect(await client.instant('scalar(vector(2.5))', at)).toEqual([{ labels: {}, value: 2.5 }]);
      expect(await client.recordingRules()).toHaveLength(1);
      expect(proxy.headers).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('sends the credentials of a URL with user:password@ as basic auth', async () => {
    const proxy = await startProxy();
    try {
      const url = new URL(proxy.url);
      url.username = 'reader';
      url.password = 'p@ss:word';
      const client = new PrometheusClient({ url: url.toString() });
      expect(await client.instant('scalar(vector(1))', at)).toEqual([{ labels: {}, value: 1 }]);
      const expected = `Basic ${Buffer.from('reader:p@ss:word').toString('base64')}`;
      expect(proxy.headers[0]?.authorization).toBe(expected);
      await proxy.close();
      const failed = await client.instant('scalar(vector(2))', at).catch((err: Error) => err);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toContain(`Prometheus at ${proxy.url} is unavailable`);
      expect((failed as Error).message).not.toContain('p@ss');
    } finally {
      await proxy.close().catch(() => undefined);
    }
  });

  it('serves a cached answer again only within its time to live', async () => {
    const client = new PrometheusClient({ url: prom.url, cacheTtlMs: 50 });
    await client.instant('vector(1)', at);
    await new Promise((r) => setTimeout(r, 80));
    await client.instant('vector(1)', at);
    expect(client.requests).toBe(2);
  });
});

describe('the rule list of PrometheusClient', () => {
  /** Answers /api/v1/rules with one recording rule named `name`, or 503 while `down`. */
  async function startRulesServer() {
    const state = { name: 'a', down: false, calls: 0 };
    const server = createServer((_req, res) => {
      state.calls++;
      if (state.down) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      const rule = { type: 'recording', name: state.name, labels: { slo: 'x' } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { groups: [{ rules: [rule] }] } }));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise((r) => server.close(r)) };
  }
  const names = (rules: { name: string }[]) => rules.map((r) => r.name);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('is reused while fresh, then answered at once while a fresh one is read, then waited for', async () => {
    const server = await startRulesServer();
    try {
      const client = new PrometheusClient({ url: server.url, rulesTtlMs: 500, rulesStaleMs: 1000 });
      expect(names(await client.recordingRules())).toEqual(['a']);
      server.state.name = 'b';
      expect(names(await client.recordingRules())).toEqual(['a']);
      expect(server.state.calls).toBe(1);
      await sleep(600);
      // past its time to live: the list at hand now, the new one read in the background
      expect(names(await client.recordingRules())).toEqual(['a']);
      for (let i = 0; i < 100 && names(await client.recordingRules())[0] !== 'b'; i++) await sleep(10);
      expect(names(await client.recordingRules())).toEqual(['b']);
      expect(server.state.calls).toBe(2);
      // past time to live and staleness: the caller waits for the new list
      server.state.name = 'c';
      await sleep(1600);
      expect(names(await client.recordingRules())).toEqual(['c']);
      expect(server.state.calls).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('keeps answering the list at hand while re-reading fails, until it is too old', async () => {
    const server = await startRulesServer();
    try {
      const client = new PrometheusClient({ url: server.url, rulesTtlMs: 200, rulesStaleMs: 500 });
      await client.recordingRules();
      server.state.down = true;
      await sleep(300);
      expect(names(await client.recordingRules())).toEqual(['a']);
      await sleep(600);
      const err = await client.recordingRules().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PrometheusUnavailableError);
      expect((err as Error).message).toContain('HTTP 503');
    } finally {
      await server.close();
    }
  });
});

describe('kept-alive connections of PrometheusClient', () => {
  it('tries a call once more on a new connection when a kept one turns out closed', async () => {
    // answers the first request of each connection, and drops a connection asked a second time, as a
    // server does that closed it while idle
    const served = new WeakSet<object>();
    let connections = 0;
    const server = createServer((req, res) => {
      if (served.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [0, '1'] } }));
    });
    server.on('connection', () => connections++);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const client = new PrometheusClient({ url: `http://127.0.0.1:${port}`, cacheTtlMs: 0 });
      expect(await client.instant('1', at)).toEqual([{ labels: {}, value: 1 }]);
      expect(await client.instant('1', at)).toEqual([{ labels: {}, value: 1 }]);
      expect(client.requests).toBe(2);
      expect(connections).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('PrometheusClient when Prometheus is not there', () => {
  it('reports a refused connection as 503 naming Prometheus', async () => {
    const port = await freePort();
    const client = new PrometheusClient({ url: `http://127.0.0.1:${port}` });
    const err = await client.instant('up', at).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusUnavailableError);
    const e = err as PrometheusUnavailableError;
    expect(e.status).toBe(503);
    expect(e.code).toBe('upstream_unavailable');
    expect(e.reason).toBe('refused');
    expect(e.message).toBe(`Prometheus at http://127.0.0.1:${port} is unavailable: connection refused`);
  });

  it('gives up after the timeout when Prometheus does not answer', async () => {
    const server = createServer(() => undefined);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const client = new PrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      const err = await client.instant('up', at).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PrometheusUnavailableError);
      expect((err as PrometheusUnavailableError).reason).toBe('timeout');
      expect((err as Error).message).toContain('no answer within 200 ms');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('reports an HTTP error status of something that is not Prometheus', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      const client = new PrometheusClient({ url: `http://127.0.0.1:${port}` });
      const err = await client.instant('up', at).catch((e: unknown) => e);
      expect((err as PrometheusUnavailableError).reason).toBe('http');
      expect((err as Error).message).toContain('HTTP 502');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
