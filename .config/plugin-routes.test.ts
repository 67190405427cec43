// Every route the plugins declare, walked through the Grafana stand-in for every method and org role:
// no Viewer gets a write to the backend through the app, and the data source forwards only reads and
// POSTs of the query path, whoever asks and however the path is dressed up (checked on the real backend).
import { lastValueFrom } from 'rxjs';
import appPlugin from '../app-plugin/src/plugin.json';
import {
  EDITOR_TOKEN,
  type Running,
  freePort,
  startBackend,
} from '../datasource-plugin/src/test-support/opsdeck-stack';
import datasourcePlugin from '../datasource-plugin/src/plugin.json';
import {
  type GrafanaRole,
  type ProxySettings,
  grafanaProxy,
  resolveRoute,
} from './test-support/grafana-proxy';

jest.setTimeout(60_000);

const ROLES: GrafanaRole[] = ['Viewer', 'Editor', 'Admin'];
const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];
const READS = ['GET', 'HEAD', 'OPTIONS'];
const BACKEND = 'http://backend:3001';

// The backend's paths as the plugins call them, and the shapes a hostile page could send instead.
const API_PATHS = [
  '',
  'readyz',
  'api/v1/query',
  'api/v1/incidents',
  'api/v1/incidents/inc-1/acknowledge',
  'api/v1/tokens',
  'api/v1/query/../incidents',
  'api/v1/query%2F..%2Fincidents',
  'api/v1/queryx',
  'api/v1//query',
  'API/V1/QUERY',
];

const app = (role: GrafanaRole): ProxySettings => ({
  kind: 'app',
  pluginId: appPlugin.id,
  routes: appPlugin.routes,
  jsonData: { backendUrl: BACKEND },
  secureJsonData: { token: 'app-token' },
  user: { login: 'u', role },
});
const datasource = (role: GrafanaRole): ProxySettings => ({
  kind: 'datasource',
  uid: 'opsdeck',
  routes: datasourcePlugin.routes,
  jsonData: { url: BACKEND },
  secureJsonData: { token: 'viewer-token' },
  user: { login: 'u', role },
});

const cases = (prefix: string, route: string) =>
  ROLES.flatMap((role) =>
    METHODS.flatMap((method) =>
      [route, ...API_PATHS.map((p) => `${route}/${p}`)].map((path) => ({
        role,
        method,
        url: `${prefix}/${path}`,
      })),
    ),
  );

describe('app routes (every route × method × org role)', () => {
  const walk = cases(`/api/plugin-proxy/${appPlugin.id}`, 'opsdeck');

  it('forwards no write for a Viewer, and every write an Editor may make goes to the backend', () => {
    const viewerWrites = walk.filter(({ role, method, url }) => {
      const r = resolveRoute(url, method, app(role));
      return r.forward && role === 'Viewer' && !READS.includes(method);
    });
    expect(viewerWrites).toEqual([]);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = resolveRoute(
        `/api/plugin-proxy/${appPlugin.id}/opsdeck/api/v1/incidents`,
        method,
        app('Editor'),
      );
      expect(r.forward && r.target.toString()).toBe(`${BACKEND}/api/v1/incidents`);
    }
  });

  it('refuses a Viewer write with 403 and answers unknown methods and the bare prefix with 404', () => {
    const at = `/api/plugin-proxy/${appPlugin.id}/opsdeck/api/v1/incidents`;
    expect(resolveRoute(at, 'POST', app('Viewer'))).toMatchObject({ forward: false, status: 403 });
    expect(resolveRoute(at, 'GET', app('Viewer'))).toMatchObject({ forward: true });
    expect(resolveRoute(at, 'OPTIONS', app('Admin'))).toMatchObject({ forward: false, status: 404 });
    expect(resolveRoute(`/api/plugin-proxy/${appPlugin.id}/opsdeck`, 'GET', app('Admin'))).toMatchObject({
      status: 404,
    });
  });

  it('declares one route per method, so the first match Grafana takes is the one meant', () => {
    const methods = appPlugin.routes.map((r) => r.method);
    expect(new Set(methods).size).toBe(methods.length);
    for (const r of appPlugin.routes) expect(r.reqRole).toBe(r.method === 'GET' ? 'Viewer' : 'Editor');
  });
});

describe('data source routes (every route × method × org role)', () => {
  const walk = cases('/api/datasources/proxy/uid/opsdeck', 'opsdeck');

  it('forwards with the token only reads and POSTs at or under /api/v1/query, for every role', () => {
    const leaks = walk.flatMap(({ role, method, url }) => {
      const r = resolveRoute(url, method, datasource(role));
      if (!r.forward) return [];
      const withToken = r.headers.authorization === 'Bearer viewer-token';
      // Grafana strips the raw route path after matching the cleaned one: `api/v1//query` lands under it.
      const underQuery =
        r.target.pathname === '/api/v1/query' || r.target.pathname.startsWith('/api/v1/query/');
      const allowed = READS.includes(method) || (method === 'POST' && underQuery);
      return withToken && !allowed ? [`${role} ${method} ${url} -> ${r.target.toString()}`] : [];
    });
    expect(leaks).toEqual([]);
  });

  describe('against the real backend, with an editor token a careless provisioning might give it', () => {
    let backend: Running;
    beforeAll(async () => {
      backend = await startBackend(`http://127.0.0.1:${await freePort()}`);
    });
    afterAll(() => backend?.stop());

    it('lets no write but the query through: every dressed-up POST, PUT, PATCH and DELETE fails, nothing is stored', async () => {
      const srv = grafanaProxy({
        ...datasource('Admin'),
        jsonData: { url: backend.url },
        secureJsonData: { token: EDITOR_TOKEN },
      });
      const body = { title: 'leak', severity: 'S3', service: 'walk' };
      const reached: string[] = [];
      for (const path of API_PATHS)
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
          const url = `/api/datasources/proxy/uid/opsdeck/opsdeck/${path}`;
          const status = await lastValueFrom(srv.fetch({ url, method, data: body })).then(
            (r) => r.status,
            (e: { status: number }) => e.status,
          );
          if (
            status < 300 ||
            (status !== 404 && status !== 502 && !(path === 'api/v1/query' && status === 400))
          )
            reached.push(`${method} ${path}: ${status}`);
        }
      expect(reached).toEqual([]);
      const incidents = await lastValueFrom(
        srv.fetch<{ items: unknown[] }>({
          url: '/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/incidents',
        }),
      );
      expect(incidents.data.items).toEqual([]);
    });
  });

  it('sends a write no route matches nowhere: the data source has no URL of its own (a bare 502)', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(
        resolveRoute(
          '/api/datasources/proxy/uid/opsdeck/opsdeck/api/v1/incidents',
          method,
          datasource('Admin'),
        ),
      ).toEqual({ forward: false, status: 502 });
  });

  it('still reaches what the data source needs: the query POST, /readyz and reads', () => {
    const base = '/api/datasources/proxy/uid/opsdeck/opsdeck';
    const target = (url: string, method: string) => {
      const r = resolveRoute(url, method, datasource('Viewer'));
      return r.forward ? r.target.toString() : r.status;
    };
    expect(target(`${base}/api/v1/query`, 'POST')).toBe(`${BACKEND}/api/v1/query`);
    expect(target(`${base}/readyz`, 'GET')).toBe(`${BACKEND}/readyz`);
    expect(target(`${base}/api/v1/slos?limit=1`, 'GET')).toBe(`${BACKEND}/api/v1/slos?limit=1`);
  });
});
