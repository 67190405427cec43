// The proxy emulation both plugins' tests run through, against their own plugin.json routes and a
// small HTTP server standing in for the backend.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import appPlugin from '../../app-plugin/src/plugin.json';
import datasourcePlugin from '../../datasource-plugin/src/plugin.json';
import {
  type ProxiedCall,
  type ProxySettings,
  grafanaProxy,
  proxyRequest,
  resolveRoute,
} from './grafana-proxy';

const app = (role: ProxySettings['role'], backendUrl = 'http://backend:3001'): ProxySettings => ({
  prefix: '/api/plugin-proxy/opsdeck-sre-app/',
  routes: appPlugin.routes,
  jsonData: { backendUrl },
  secureJsonData: { token: 's3cret' },
  role,
  login: 'alice',
});
const datasource = (url: string): ProxySettings => ({
  prefix: '/api/datasources/proxy/uid/opsdeck/',
  routes: datasourcePlugin.routes,
  jsonData: { url },
  secureJsonData: { token: 'ds-token' },
  role: 'Viewer',
});

describe('resolveRoute', () => {
  it('maps an app call to the backend with the token and the signed-in user', () => {
    expect(
      resolveRoute('/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/slos?limit=5', 'GET', app('Viewer')),
    ).toEqual({
      target: new URL('http://backend:3001/api/v1/slos?limit=5'),
      headers: { accept: 'application/json', authorization: 'Bearer s3cret', 'x-grafana-user': 'alice' },
    });
  });

  it.each([
    ['POST', 'Viewer', 403],
    ['DELETE', 'Viewer', 403],
    ['POST', 'Editor', null],
    ['GET', 'Viewer', null],
  ] as const)('checks the reqRole of the %s route for a %s', (method, role, refused) => {
    const r = resolveRoute('/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/incidents', method, app(role));
    expect('status' in r ? r.status : null).toBe(refused);
  });

  it('maps a data source call and answers 404 off its routes', () => {
    const ds = datasource('http://backend:3001/');
    expect(resolveRoute('/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/query', 'POST', ds)).toEqual({
      target: new URL('http://backend:3001/api/v1/query'),
      headers: { accept: 'application/json', authorization: 'Bearer ds-token' },
    });
    expect(resolveRoute('/api/datasources/proxy/uid/opsdeck/other/x', 'GET', ds)).toEqual({
      status: 404,
      message: 'Not found',
    });
    expect(resolveRoute('/api/datasources/proxy/uid/another/opsdeck/x', 'GET', ds)).toMatchObject({
      status: 404,
    });
  });
});

describe('grafanaProxy and proxyRequest', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Echoes what arrived; /missing answers 404 as the backend would.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const status = req.url?.startsWith('/missing') ? 404 : 200;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('forwards the body, records the call and hands back the parsed answer', async () => {
    const calls: ProxiedCall[] = [];
    const srv = grafanaProxy(datasource(base), calls);
    const res = await lastValueFrom(
      srv.fetch({
        url: '/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/query',
        method: 'POST',
        data: { a: 1 },
      }),
    );
    expect(res.data).toEqual({
      method: 'POST',
      url: '/api/v1/query',
      auth: 'Bearer ds-token',
      body: '{"a":1}',
    });
    expect(calls).toEqual([
      {
        method: 'POST',
        url: `${base}/api/v1/query`,
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: { a: 1 },
      },
    ]);
  });

  it('fails with the backend status and body, a 403 for a role below reqRole, and 502 when nothing answers', async () => {
    const fetchStatus = (settings: ProxySettings, url: string, method = 'GET') =>
      lastValueFrom(grafanaProxy(settings).fetch({ url, method })).then(
        () => null,
        (err: { status: number; data: unknown }) => err,
      );
    expect(
      await fetchStatus(app('Editor', base), '/api/plugin-proxy/opsdeck-sre-app/opsdeck/missing'),
    ).toMatchObject({
      status: 404,
      data: { url: '/missing' },
    });
    expect(
      await fetchStatus(
        app('Viewer', base),
        '/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/incidents',
        'POST',
      ),
    ).toMatchObject({ status: 403 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(
      await fetchStatus(datasource(deadUrl), '/api/datasources/proxy/uid/opsdeck/opsdeck/x'),
    ).toMatchObject({
      status: 502,
      data: { message: 'Bad Gateway' },
    });
  });

  /** A host server answering every request with proxyRequest, as the browser checks' host servers do. */
  async function hostFor(settings: ProxySettings) {
    const host = createServer((req, res) => proxyRequest(req, res, settings));
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    return { url, close: () => new Promise<void>((resolve) => host.close(() => resolve())) };
  }

  it('answers a page through the route: method, path, query, body and token forwarded, status kept', async () => {
    const host = await hostFor(app('Editor', base));
    try {
      const res = await fetch(`${host.url}/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/incidents?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"t"}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        method: 'POST',
        url: '/api/v1/incidents?x=1',
        auth: 'Bearer s3cret',
        body: '{"title":"t"}',
      });
      const missing = await fetch(`${host.url}/api/plugin-proxy/opsdeck-sre-app/opsdeck/missing`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ url: '/missing' });
    } finally {
      await host.close();
    }
  });

  it("answers Grafana's 404 off the routes, 403 below reqRole and 502 when the backend does not answer", async () => {
    const viewer = await hostFor(app('Viewer', base));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = await hostFor(datasource(deadUrl));
    try {
      const offRoute = await fetch(`${viewer.url}/api/plugin-proxy/opsdeck-sre-app/elsewhere`);
      expect([offRoute.status, await offRoute.json()]).toEqual([404, { message: 'Not found' }]);
      const write = await fetch(`${viewer.url}/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/incidents`, {
        method: 'POST',
        body: '{}',
      });
      expect([write.status, await write.json()]).toEqual([403, { message: 'Permission denied' }]);
      const gone = await fetch(`${dead.url}/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/query`);
      expect([gone.status, await gone.json()]).toEqual([502, { message: 'Bad Gateway' }]);
    } finally {
      await viewer.close();
      await dead.close();
    }
  });
});
