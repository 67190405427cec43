// Grafana's plugin proxy as the app sees it, for tests: a BackendSrv whose fetch maps
// /api/plugin-proxy/<app id>/<route path>/… to the route from plugin.json (matching method and
// reqRole like Grafana), fills {{ .JsonData.* }} / {{ .SecureJsonData.* }} and calls the real backend.
import { request as httpRequest } from 'node:http';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';
import { PLUGIN_ID } from '../constants';
import pluginJson from '../plugin.json';

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';
const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

export interface AppSettings {
  jsonData: { backendUrl?: string };
  secureJsonData: { token?: string };
  /** the signed-in user's org role, which Grafana checks against each route's reqRole */
  role: GrafanaRole;
  /** with Grafana's send_user_header on, the proxy names the signed-in user in X-Grafana-User */
  login?: string;
}

export interface ProxiedCall {
  method: string;
  url: string;
  body: unknown;
}

function fill(template: string, settings: AppSettings): string {
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((settings.jsonData as Record<string, unknown>)[k] ?? ''),
    )
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((settings.secureJsonData as Record<string, unknown>)[k] ?? ''),
    );
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

export type Resolved = { target: URL; headers: Record<string, string> } | { status: number; message: string };

/** What Grafana's plugin proxy does with `<method> /api/plugin-proxy/<app id>/<rest>`: the route, the role check, the filled URL and headers. */
export function resolveRoute(url: string, method: string, settings: AppSettings): Resolved {
  const prefix = `/api/plugin-proxy/${PLUGIN_ID}/`;
  if (!url.startsWith(prefix)) return { status: 404, message: 'Not found' };
  const after = url.slice(prefix.length);
  const route = pluginJson.routes.find(
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

export function appProxy(settings: AppSettings, calls: ProxiedCall[] = []): BackendSrv {
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
      calls.push({ method, url: target.toString(), body: options.data });
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
        // Grafana answers 502 Bad Gateway when the backend URL does not answer.
        () => fail(502, { message: 'Bad Gateway' }),
      );
      return undefined;
    });
  return { fetch } as unknown as BackendSrv;
}
