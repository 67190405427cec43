// Grafana's plugin route proxy for the plugins' tests: maps `<proxy prefix><route path>/…` to the route
// from plugin.json (matching method and reqRole like Grafana), fills {{ .JsonData.* }} and
// {{ .SecureJsonData.* }}, and calls the real backend over HTTP. The app's /api/plugin-proxy/<id>/ and a
// data source's /api/datasources/proxy/uid/<uid>/ work the same way; only the prefix differs. jsdom tests
// call it as a BackendSrv (grafanaProxy); the browser checks' host servers answer with it (proxyRequest).
import { type IncomingMessage, type ServerResponse, request as httpRequest } from 'node:http';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';
const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/** A route as plugin.json declares it. */
export interface PluginRoute {
  path: string;
  url: string;
  method?: string;
  reqRole?: string;
  headers?: ReadonlyArray<{ name: string; content: string }>;
}

export interface ProxySettings {
  /** what precedes the route path, e.g. /api/plugin-proxy/opsdeck-sre-app/ */
  prefix: string;
  routes: readonly PluginRoute[];
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, unknown>;
  /** the signed-in user's org role, which Grafana checks against each route's reqRole */
  role: GrafanaRole;
  /** with Grafana's send_user_header on, the proxy names the signed-in user in X-Grafana-User */
  login?: string;
}

export interface ProxiedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Resolved = { target: URL; headers: Record<string, string> } | { status: number; message: string };

function fill(template: string, settings: ProxySettings): string {
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) => String(settings.jsonData[k] ?? ''))
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String(settings.secureJsonData[k] ?? ''),
    );
}

/** What Grafana's proxy does with `<method> <prefix><rest>`: the route, the role check, the filled URL and headers. */
export function resolveRoute(url: string, method: string, settings: ProxySettings): Resolved {
  if (!url.startsWith(settings.prefix)) return { status: 404, message: 'Not found' };
  const after = url.slice(settings.prefix.length);
  const route = settings.routes.find(
    (r) =>
      (after === r.path || after.startsWith(`${r.path}/`) || after.startsWith(`${r.path}?`)) &&
      (!r.method || r.method === method),
  );
  if (!route) return { status: 404, message: 'Not found' };
  if (route.reqRole && RANK[settings.role] < RANK[route.reqRole as GrafanaRole])
    return { status: 403, message: 'Permission denied' };
  const target = new URL(fill(route.url, settings).replace(/\/+$/, '') + after.slice(route.path.length));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.login) headers['x-grafana-user'] = settings.login;
  for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = fill(h.content, settings);
  return { target, headers };
}

const BAD_GATEWAY = { message: 'Bad Gateway' };

/**
 * Grafana's server answering a page's `<prefix>…` request: the route resolved as above, the backend's
 * answer streamed back, Grafana's 404/403 off the routes and 502 when the route's URL does not answer.
 */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, settings: ProxySettings): void {
  const answer = (status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const resolved = resolveRoute(req.url ?? '/', (req.method ?? 'GET').toUpperCase(), settings);
  if ('status' in resolved) return void answer(resolved.status, { message: resolved.message });
  const headers = { ...resolved.headers };
  if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
  const upstream = httpRequest(resolved.target, { method: req.method, headers }, (backend) => {
    res.writeHead(backend.statusCode ?? 502, {
      'content-type': backend.headers['content-type'] ?? 'application/json',
    });
    backend.pipe(res);
  });
  upstream.on('error', () => answer(502, BAD_GATEWAY));
  req.pipe(upstream);
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A BackendSrv whose fetch goes through the proxy emulation; each forwarded call lands in `calls`. */
export function grafanaProxy(settings: ProxySettings, calls: ProxiedCall[] = []): BackendSrv {
  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((subscriber) => {
      const fail = (status: number, data: unknown) =>
        subscriber.error({ status, data, statusText: String(status), config: options });
      const method = (options.method ?? 'GET').toUpperCase();
      const resolved = resolveRoute(options.url, method, settings);
      if ('status' in resolved) return fail(resolved.status, { message: resolved.message });
      const { target, headers } = resolved;
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      if (body !== undefined) headers['content-type'] = 'application/json';
      calls.push({ method, url: target.toString(), headers, body: options.data });
      send(target, method, headers, body).then(
        ({ status, text }) => {
          let data: unknown = text;
          if (options.responseType !== 'text') {
            try {
              data = JSON.parse(text);
            } catch {
              // not JSON: passed on as text, as Grafana does
            }
          }
          if (status >= 300) return fail(status, data);
          subscriber.next({
            status,
            data,
            ok: true,
            statusText: String(status),
            redirected: false,
            type: 'basic',
            url: options.url,
            config: options,
          } as unknown as FetchResponse<T>);
          subscriber.complete();
        },
        // Grafana answers 502 Bad Gateway when the route's URL does not answer.
        () => fail(502, BAD_GATEWAY),
      );
      return undefined;
    });
  return { fetch } as unknown as BackendSrv;
}
