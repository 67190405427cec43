// Pins the Grafana stand-in to Grafana's behaviour, one block per behaviour listed in
// docs/grafana-contract.md (the test names here are the ones that page cites), against a small server
// that echoes what reached it.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom } from 'rxjs';
import {
  type PluginRoute,
  type ProxiedCall,
  type ProxySettings,
  type SignedInUser,
  grafanaProxy,
  joinUrlFragments,
  matchRouteTree,
  proxyRequest,
  resolveRoute,
} from './grafana-proxy';

const alice: SignedInUser = { login: 'alice', role: 'Viewer' };
const bearer = [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }];

const app = (routes: PluginRoute[], user: SignedInUser = alice, extra: Partial<ProxySettings> = {}) =>
  ({
    kind: 'app',
    pluginId: 'opsdeck-sre-app',
    routes,
    jsonData: { backendUrl: 'http://backend:3001/base' },
    secureJsonData: { token: 's3cret' },
    user,
    ...extra,
  }) as ProxySettings;
const ds = (routes: PluginRoute[], user: SignedInUser = alice, extra: Partial<ProxySettings> = {}) =>
  ({
    kind: 'datasource',
    uid: 'opsdeck',
    routes,
    jsonData: { url: 'http://backend:3001' },
    secureJsonData: { token: 'ds-token' },
    user,
    ...extra,
  }) as ProxySettings;

const APP = '/api/plugin-proxy/opsdeck-sre-app';
const DS = '/api/datasources/proxy/uid/opsdeck';
const target = (r: ReturnType<typeof resolveRoute>) => (r.forward ? r.target.toString() : r.status);

describe('app proxy: route matching (pkg/api/pluginproxy/pluginproxy.go, pkg/web/tree.go)', () => {
  it.each([
    ['opsdeck', '/opsdeck', ''],
    ['opsdeck', '/opsdeck/api/v1/slos', undefined],
    ['opsdeck/*', '/opsdeck', undefined],
    ['opsdeck/*', '/opsdeck/', undefined],
    ['opsdeck/*', '/opsdeck/api/v1/slos', 'api/v1/slos'],
    ['opsdeck/*', '/opsdeck/api/v1/slos/', 'api/v1/slos'],
    ['opsdeck/*', '/opsdeckx/api', undefined],
    ['opsdeck/*', '/opsdeck/a%20b/c', 'a b/c'],
    ['*', '/anything/at/all', 'anything/at/all'],
    ['api/v1/*', '/api/v1/x', 'x'],
  ])('pattern %s on %s captures %s', (pattern, path, rest) => {
    expect(matchRouteTree(pattern, path)?.rest).toBe(rest);
  });

  it('refuses pattern forms the stand-in does not model, rather than guessing', () => {
    expect(() => matchRouteTree('opsdeck/:id', '/opsdeck/1')).toThrow(/static segments/);
  });

  it('appends the matched remainder to the route URL and keeps the query string', () => {
    const r = resolveRoute(
      `${APP}/opsdeck/api/v1/slos?limit=5`,
      'GET',
      app([{ path: 'opsdeck/*', url: '{{ .JsonData.backendUrl }}' }]),
    );
    expect(target(r)).toBe('http://backend:3001/base/api/v1/slos?limit=5');
  });

  it('cleans the proxy path first (path.Join): dot segments and double slashes go', () => {
    const routes = [{ path: 'opsdeck/*', url: 'http://backend:3001' }];
    expect(target(resolveRoute(`${APP}/opsdeck//api/./v1/x/../slos`, 'GET', app(routes)))).toBe(
      'http://backend:3001/api/v1/slos',
    );
    expect(target(resolveRoute(`${APP}/other/../opsdeck/api`, 'GET', app(routes)))).toBe(
      'http://backend:3001/api',
    );
  });

  it('answers 404 "plugin route match not found" when no route matches path and method', () => {
    const r = resolveRoute(
      `${APP}/opsdeck/api`,
      'POST',
      app([{ path: 'opsdeck/*', method: 'GET', url: 'http://b' }]),
    );
    expect(r).toEqual({ forward: false, status: 404, body: { message: 'plugin route match not found' } });
  });
});

describe('app proxy: method and access checks', () => {
  const routes: PluginRoute[] = [
    { path: 'opsdeck/*', method: 'GET', reqRole: 'Viewer', url: 'http://b' },
    { path: 'opsdeck/*', method: 'POST', reqRole: 'Editor', url: 'http://b' },
  ];

  it.each([
    ['GET', 'Viewer', 'http://b/x'],
    ['POST', 'Viewer', 403],
    ['POST', 'Editor', 'http://b/x'],
    ['POST', 'Admin', 'http://b/x'],
    ['DELETE', 'Admin', 404],
  ] as const)('%s by a %s: %s', (method, role, expected) => {
    expect(target(resolveRoute(`${APP}/opsdeck/x`, method, app(routes, { login: 'u', role })))).toBe(
      expected,
    );
  });

  it('answers 403 "plugin proxy route access denied" from the first matching route; later routes are not tried', () => {
    const r = resolveRoute(
      `${APP}/opsdeck/x`,
      'GET',
      app([
        { path: 'opsdeck/*', reqRole: 'Admin', url: 'http://admin' },
        { path: 'opsdeck/*', url: 'http://open' },
      ]),
    );
    expect(r).toEqual({ forward: false, status: 403, body: { message: 'plugin proxy route access denied' } });
  });

  it('lets a Grafana server admin through any reqRole, and checks reqAction before reqRole', () => {
    const adminOnly = [{ path: 'opsdeck/*', reqRole: 'Admin', url: 'http://b' }];
    expect(
      target(resolveRoute(`${APP}/opsdeck/x`, 'GET', app(adminOnly, { ...alice, isGrafanaAdmin: true }))),
    ).toBe('http://b/x');
    const byAction = [{ path: 'opsdeck/*', reqAction: 'opsdeck.write', reqRole: 'Viewer', url: 'http://b' }];
    expect(target(resolveRoute(`${APP}/opsdeck/x`, 'GET', app(byAction)))).toBe(403);
    expect(
      target(
        resolveRoute(`${APP}/opsdeck/x`, 'GET', app(byAction, { ...alice, actions: ['opsdeck.write'] })),
      ),
    ).toBe('http://b/x');
  });

  it('treats a route without method as open to every method, and without reqRole as open to every user', () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
      expect(target(resolveRoute(`${APP}/any/x`, method, app([{ path: 'any/*', url: 'http://b' }])))).toBe(
        'http://b/x',
      );
  });
});

describe('app proxy: headers', () => {
  const routes = [{ path: 'opsdeck/*', url: 'http://b', headers: bearer }];
  const browser = {
    authorization: 'Bearer browser-session-token',
    cookie: 'grafana_session=abc',
    'x-grafana-user': 'mallory',
    'x-grafana-context': '{"Login":"mallory"}',
    'x-forwarded-host': 'evil',
    'x-forwarded-proto': 'http',
    'x-forwarded-for': '10.0.0.1',
    origin: 'http://grafana',
    referer: 'http://grafana/d/abc',
    'content-type': 'application/json',
  };
  const headersOf = (settings: ProxySettings) => {
    const r = resolveRoute(`${APP}/opsdeck/x`, 'POST', settings, browser);
    if (!r.forward) throw new Error('not forwarded');
    return r.headers;
  };

  it('always sends X-Grafana-Context with the signed-in user as Go marshals it, replacing what the browser sent', () => {
    const context = JSON.parse(headersOf(app(routes))['x-grafana-context']!);
    expect(context).toMatchObject({ Login: 'alice', OrgRole: 'Viewer', IsAnonymous: false });
  });

  it('sends X-Grafana-User only with send_user_header on, and never the one the browser sent', () => {
    expect(headersOf(app(routes))['x-grafana-user']).toBeUndefined();
    expect(headersOf(app(routes, alice, { sendUserHeader: true }))['x-grafana-user']).toBe('alice');
    expect(
      headersOf(app(routes, { ...alice, isAnonymous: true }, { sendUserHeader: true }))['x-grafana-user'],
    ).toBeUndefined();
  });

  it("drops the browser's Authorization and cookies; the route's headers take their place", () => {
    const h = headersOf(app(routes));
    expect(h.authorization).toBe('Bearer s3cret');
    expect(h.cookie).toBeUndefined();
    expect(h['content-type']).toBe('application/json');
  });

  it('removes X-Forwarded-Host/Port/Proto, Origin and Referer; appends the client to X-Forwarded-For', () => {
    const h = headersOf(app(routes, alice, { remoteAddr: '192.0.2.7' }));
    expect(h).toMatchObject({
      'x-forwarded-for': '10.0.0.1, 192.0.2.7',
      'x-grafana-referer': 'http://grafana/d/abc',
    });
    for (const gone of ['x-forwarded-host', 'x-forwarded-proto', 'origin', 'referer'])
      expect(h[gone]).toBeUndefined();
  });

  it('renders a missing setting as Go templates do: "<no value>"', () => {
    const h = headersOf(app(routes, alice, { secureJsonData: {} }));
    expect(h.authorization).toBe('Bearer <no value>');
  });
});

describe('data source proxy (pkg/api/pluginproxy/ds_proxy.go, pkg/services/datasourceproxy)', () => {
  it('matches routes by string prefix of the cleaned path and strips the route path', () => {
    const routes = [{ path: 'opsdeck', url: '{{ .JsonData.url }}', headers: bearer }];
    expect(target(resolveRoute(`${DS}/opsdeck/api/v1/slos?limit=1`, 'GET', ds(routes)))).toBe(
      'http://backend:3001/api/v1/slos?limit=1',
    );
    // A plain prefix, not a path segment: `opsdeck` covers `opsdeckx` too.
    expect(target(resolveRoute(`${DS}/opsdeckx/y`, 'GET', ds(routes)))).toBe('http://backend:3001/x/y');
  });

  it('opens a route without reqRole to every method for every user who may query', () => {
    const routes = [{ path: 'opsdeck', url: 'http://backend:3001' }];
    for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
      expect(target(resolveRoute(`${DS}/opsdeck/api/v1/incidents`, method, ds(routes)))).toBe(
        'http://backend:3001/api/v1/incidents',
      );
  });

  it('refuses a route above the user with 403 "plugin proxy route access denied"', () => {
    const r = resolveRoute(
      `${DS}/opsdeck/x`,
      'DELETE',
      ds([{ path: 'opsdeck', reqRole: 'Editor', url: 'http://b' }]),
    );
    expect(r).toEqual({ forward: false, status: 403, body: { message: 'plugin proxy route access denied' } });
  });

  it("forwards a path no route matches to the data source's own URL, without any route header", () => {
    const routes = [{ path: 'opsdeck', method: 'GET', url: 'http://backend:3001', headers: bearer }];
    const r = resolveRoute(
      `${DS}/opsdeck/api/v1/incidents`,
      'POST',
      ds(routes, alice, { url: 'http://plain:9000/p' }),
    );
    expect(r.forward && [r.target.toString(), r.headers.authorization]).toEqual([
      'http://plain:9000/p/opsdeck/api/v1/incidents',
      undefined,
    ]);
    // Without a URL of its own the transport fails: Grafana's bare 502.
    expect(target(resolveRoute(`${DS}/opsdeck/x`, 'POST', ds(routes)))).toBe(502);
  });

  it('adds no X-Grafana-Context (the browser’s passes through), applies send_user_header, keeps only keepCookies', () => {
    const r = resolveRoute(
      `${DS}/opsdeck/x`,
      'GET',
      ds([{ path: 'opsdeck', url: 'http://b', headers: bearer }], alice, {
        sendUserHeader: true,
        jsonData: { keepCookies: ['keep'] },
      }),
      {
        'x-grafana-context': '{"Login":"mallory"}',
        cookie: 'grafana_session=a; keep=1; other=2',
        authorization: 'x',
      },
    );
    expect(r.forward && r.headers).toMatchObject({
      'x-grafana-context': '{"Login":"mallory"}',
      'x-grafana-user': 'alice',
      cookie: 'keep=1',
      authorization: 'Bearer ds-token',
    });
  });

  it('turns the browser’s X-DS-Authorization into Authorization', () => {
    const r = resolveRoute(`${DS}/opsdeck/x`, 'GET', ds([], alice, { url: 'http://plain' }), {
      'x-ds-authorization': 'Bearer b',
    });
    expect(r.forward && r.headers.authorization).toBe('Bearer b');
  });
});

describe('util.JoinURLFragments', () => {
  it.each([
    ['http://b', '', 'http://b'],
    ['/base', 'api', '/base/api'],
    ['/base/', '/api', '/base/api'],
    ['/base', '/api', '/base/api'],
  ])('%s + %s = %s', (a, b, joined) => expect(joinUrlFragments(a, b)).toBe(joined));
});

describe('answers through the stand-in (pkg/util/proxyutil/reverse_proxy.go)', () => {
  let server: Server;
  let base: string;
  let dead: string;
  beforeAll(async () => {
    // Echoes what arrived; /unauthorized answers 401 and /cookie sets one, as a backend might.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url?.startsWith('/unauthorized'))
          return void res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":"unauthorized"}');
        res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, {
          'content-type': 'application/json',
          'set-cookie': 'backend=1',
          etag: '"3"',
        });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dsTo = (url: string) => ds([{ path: 'opsdeck', url, headers: bearer }]);
  const appTo = (url: string, user: SignedInUser = alice) =>
    app(
      [
        { path: 'opsdeck/*', method: 'GET', url },
        { path: 'opsdeck/*', reqRole: 'Editor', url },
      ],
      user,
    );

  async function host(settings: ProxySettings) {
    const h = createServer((req, res) => proxyRequest(req, res, settings));
    await new Promise<void>((resolve) => h.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(h.address() as AddressInfo).port}`;
    return { url, close: () => new Promise<void>((resolve) => h.close(() => resolve())) };
  }

  it('rewrites an upstream 401 on the data source proxy to 400 "Authentication to data source failed" (text)', async () => {
    const h = await host(dsTo(base));
    try {
      const res = await fetch(`${h.url}${DS}/opsdeck/unauthorized`);
      expect([res.status, await res.text()]).toEqual([400, 'Authentication to data source failed']);
    } finally {
      await h.close();
    }
  });

  it('passes an upstream 401 on the app proxy through unchanged', async () => {
    const h = await host(appTo(base));
    try {
      const res = await fetch(`${h.url}${APP}/opsdeck/unauthorized`);
      expect([res.status, await res.json()]).toEqual([401, { error: 'unauthorized' }]);
    } finally {
      await h.close();
    }
  });

  it('drops Set-Cookie from answers, adds Content-Security-Policy: sandbox, keeps the rest', async () => {
    const h = await host(appTo(base));
    try {
      const res = await fetch(`${h.url}${APP}/opsdeck/x`);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe('sandbox');
      expect(res.headers.get('etag')).toBe('"3"');
    } finally {
      await h.close();
    }
  });

  it("answers a bare 502 when the route's URL does not answer", async () => {
    const h = await host(dsTo(dead));
    try {
      const res = await fetch(`${h.url}${DS}/opsdeck/x`);
      expect([res.status, await res.text()]).toEqual([502, '']);
    } finally {
      await h.close();
    }
  });

  it('streams method, path, query and body to the backend and its status back; refusals are JSON', async () => {
    const editor = await host(appTo(base, { login: 'ed', role: 'Editor' }));
    const viewer = await host(appTo(base));
    try {
      const res = await fetch(`${editor.url}${APP}/opsdeck/api/v1/incidents?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"t"}',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        method: 'POST',
        url: '/api/v1/incidents?x=1',
        body: '{"title":"t"}',
      });
      const missing = await fetch(`${editor.url}${APP}/opsdeck/missing`);
      expect(missing.status).toBe(404);
      const write = await fetch(`${viewer.url}${APP}/opsdeck/api/v1/incidents`, {
        method: 'POST',
        body: '{}',
      });
      expect([write.status, await write.json()]).toEqual([
        403,
        { message: 'plugin proxy route access denied' },
      ]);
      const off = await fetch(`${viewer.url}${APP}/elsewhere`);
      expect([off.status, await off.json()]).toEqual([404, { message: 'plugin route match not found' }]);
    } finally {
      await editor.close();
      await viewer.close();
    }
  });

  it("as a BackendSrv: records forwarded calls, fails with Grafana's status and body (text when not JSON)", async () => {
    const calls: ProxiedCall[] = [];
    const srv = grafanaProxy(dsTo(base), calls);
    const ok = await lastValueFrom(
      srv.fetch<{ url: string }>({ url: `${DS}/opsdeck/q`, method: 'POST', data: { a: 1 } }),
    );
    expect(ok.data.url).toBe('/q');
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', url: `${base}/q`, body: { a: 1 } })]);
    const failed = await lastValueFrom(srv.fetch({ url: `${DS}/opsdeck/unauthorized` })).catch(
      (e: unknown) => e,
    );
    expect(failed).toMatchObject({ status: 400, data: 'Authentication to data source failed' });
  });
});
