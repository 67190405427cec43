// Service limits: request body size, per-token rate limiting, security headers (with the docs page still
// working in a real browser), and timeouts on upstream calls that never answer.
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { chromium } from 'playwright-core';
import { AlertmanagerClient, AlertmanagerError } from '../src/silencer/alertmanager-client';
import { auth, createTestApp, type TestApp } from './support/app';

/** A TCP server that accepts connections and never answers: an upstream that hangs. */
async function hangingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('request body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(() => t.close());

  it('answers 413 with the JSON error shape for a body over BODY_LIMIT_BYTES', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { ...auth('editor'), 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'x'.repeat(4096), severity: 'S3', service: 'api' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload_too_large', message: expect.stringMatching(/limit/) });
  });

  it('accepts the same request under the limit', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: auth('editor'),
      payload: { title: 'x'.repeat(100), severity: 'S3', service: 'api' },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('per-token rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  it('answers 429 with Retry-After once a token spends its minute, counting each token apart', async () => {
    for (let i = 0; i < 5; i++) expect((await get('/api/v1/incidents', auth('editor'))).statusCode).toBe(200);
    const limited = await get('/api/v1/changes', auth('editor'));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toEqual({
      error: 'rate_limited',
      message: expect.stringContaining('token "editor"'),
    });
    // X-Grafana-User does not open a fresh budget: the token is what is counted.
    expect((await get('/api/v1/incidents', { ...auth('editor'), 'x-grafana-user': 'bob' })).statusCode).toBe(
      429,
    );
    expect((await get('/api/v1/incidents', auth('viewer'))).statusCode).toBe(200);
  });

  it('never limits health, metrics or the OpenAPI document', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await get('/healthz')).statusCode).toBe(200);
      expect((await get('/metrics')).statusCode).toBe(200);
      expect((await get('/api/v1/openapi.json')).statusCode).toBe(200);
    }
  });

  it('turns off with RATE_LIMIT_PER_MINUTE=0', async () => {
    const open = await createTestApp('sqlite', { env: { RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      for (let i = 0; i < 12; i++) {
        const res = await open.app.inject({
          method: 'GET',
          url: '/api/v1/incidents',
          headers: auth('viewer'),
        });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await open.close();
    }
  });
});

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('sends them on API answers and on errors', async () => {
    for (const res of [
      await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: auth('viewer') }),
      await t.app.inject({ method: 'GET', url: '/api/v1/incidents' }),
      await t.app.inject({ method: 'GET', url: '/no/such/route' }),
    ]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('keeps the Swagger UI page working under the CSP in Chromium', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      const res = await page.goto(`${address}/api/v1/docs/static/index.html`);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
      const paths = await page.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent));
      expect(paths).toContain('/api/v1/incidents');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('upstream timeouts', () => {
  let hang: Awaited<ReturnType<typeof hangingServer>>;
  beforeAll(async () => {
    hang = await hangingServer();
  });
  afterAll(() => hang.close());

  it('gives up on a Grafana alerting API that never answers', async () => {
    const client = new AlertmanagerClient(
      { name: 'grafana', apiUrl: `${hang.url}/api/alertmanager/grafana/api/v2`, headers: {} },
      200,
    );
    const err = await client.listSilences().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect((err as Error).message).toContain('no answer within 200 ms');
  });

  it('gives up on an Alertmanager that never answers', async () => {
    const client = new AlertmanagerClient({ name: hang.url, apiUrl: `${hang.url}/api/v2`, headers: {} }, 200);
    const err = await client
      .createSilence({
        matchers: [],
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '2026-01-01T01:00:00Z',
        createdBy: 'x',
        comment: 'x',
      })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain('no answer within 200 ms');
  });

  it('probes Prometheus under its path with the URL credentials as basic auth, never showing them', async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    let status = 200;
    const server = createHttpServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(req.url === '/prometheus/-/ready' ? status : 404).end('ready');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const t = await createTestApp('sqlite', {
      env: { PROMETHEUS_URL: `http://reader:s3cret-pw@127.0.0.1:${port}/prometheus` },
    });
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json().checks.prometheus).toEqual({ ok: true });
      expect(seen[0]).toEqual({
        url: '/prometheus/-/ready',
        authorization: `Basic ${Buffer.from('reader:s3cret-pw').toString('base64')}`,
      });
      status = 503;
      const down = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json().checks.prometheus.error).toContain(`127.0.0.1:${port}/prometheus answered HTTP 503`);
      expect(down.body).not.toContain('s3cret-pw');
    } finally {
      await t.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers /readyz as not ready when Prometheus hangs instead of hanging with it', async () => {
    const t = await createTestApp('sqlite', { env: { PROMETHEUS_URL: hang.url } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.prometheus).toEqual({
        ok: false,
        error: expect.stringContaining('TimeoutError'),
      });
      expect(res.json().checks.store).toEqual({ ok: true });
    } finally {
      await t.close();
    }
  });
});
