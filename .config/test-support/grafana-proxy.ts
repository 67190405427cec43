// A stand-in for Grafana's two plugin proxies, behaviour by behaviour as read from grafana/grafana's source
// (docs/grafana-contract.md names the file each behaviour comes from): the app proxy
// (/api/plugin-proxy/<app id>/…) and the data source proxy (/api/datasources/proxy/uid/<uid>/…).
import { type IncomingMessage, type ServerResponse, request as httpRequest } from 'node:http';
import { posix } from 'node:path';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';
// roletype.RoleType.Includes: Admin includes Editor includes Viewer.
const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/** A route as plugin.json declares it. */
export interface PluginRoute {
  path: string;
  url?: string;
  method?: string;
  reqRole?: string;
  reqAction?: string;
  headers?: ReadonlyArray<{ name: string; content: string }>;
}

/** The signed-in user, as Grafana's context handler builds it (user.SignedInUser). */
export interface SignedInUser {
  login: string;
  role: GrafanaRole;
  isGrafanaAdmin?: boolean;
  isAnonymous?: boolean;
  /** RBAC actions the user holds, checked against a route's reqAction */
  actions?: readonly string[];
  userId?: number;
  orgId?: number;
  name?: string;
  email?: string;
}

interface CommonSettings {
  routes: readonly PluginRoute[];
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, unknown>;
  user: SignedInUser;
  /** `[dataproxy] send_user_header` (GF_DATAPROXY_SEND_USER_HEADER); off by default, as in Grafana */
  sendUserHeader?: boolean;
  /** the browser's address, which Grafana appends to X-Forwarded-For */
  remoteAddr?: string;
}

export interface AppProxySettings extends CommonSettings {
  kind: 'app';
  pluginId: string;
}

export interface DataSourceProxySettings extends CommonSettings {
  kind: 'datasource';
  uid: string;
  /** the data source's own URL field: where paths that match no route are sent, without route headers */
  url?: string;
}

export type ProxySettings = AppProxySettings | DataSourceProxySettings;

/** What the stand-in forwarded, for tests that look at the backend's side of the seam. */
export interface ProxiedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Grafana either forwards the request or answers it itself (JsonApiErr: `{"message": …}`). */
export type Resolved =
  | { forward: true; target: URL; headers: Record<string, string>; rewrite401: boolean }
  | { forward: false; status: number; body?: { message: string } };

export const prefixOf = (s: ProxySettings) =>
  s.kind === 'app' ? `/api/plugin-proxy/${s.pluginId}` : `/api/datasources/proxy/uid/${s.uid}`;

// Go's text/template prints a missing map key as "<no value>" (option missingkey=default).
const NO_VALUE = '<no value>';
function fill(template: string, s: ProxySettings): string {
  const lookup = (data: Record<string, unknown>, key: string) =>
    key in data && data[key] !== undefined ? String(data[key]) : NO_VALUE;
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) => lookup(s.jsonData, k))
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) => lookup(s.secureJsonData, k));
}

/** util.JoinURLFragments: one slash between the two parts; an empty right part leaves the left as is. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) return a;
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) return a + b.slice(1);
  if (!aSlash && !bSlash) return `${a}/${b}`;
  return a + b;
}

const unescape = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/**
 * web.NewTree().Add(pattern) then Match(path), for the pattern forms plugin routes use: static segments
 * and a trailing `*`. The remainder `*` captured (unescaped) is returned; undefined when nothing matches.
 */
export function matchRouteTree(pattern: string, path: string): { rest: string } | undefined {
  const segments = pattern.replace(/\/+$/, '').replace(/^\/+/, '').split('/');
  if (segments.some((s, i) => /[:(]/.test(s) || (s.includes('*') && (s !== '*' || i < segments.length - 1))))
    throw new Error(`route path "${pattern}": the stand-in models static segments and a trailing * only`);
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  const wildcard = segments[segments.length - 1] === '*';
  const fixed = wildcard ? segments.slice(0, -1) : segments;
  for (let i = 0; i < fixed.length; i++) {
    if (i >= parts.length || unescape(parts[i]!) !== fixed[i]) return undefined;
  }
  if (!wildcard) return parts.length === fixed.length ? { rest: '' } : undefined;
  // The match-all leaf needs at least one segment of its own: `opsdeck/*` does not match `opsdeck`.
  if (parts.length === fixed.length && fixed.length > 0) return undefined;
  const rest = unescape(parts.slice(fixed.length).join('/'));
  return rest === undefined ? undefined : { rest };
}

/** util.CleanRelativePath: rooted, cleaned, then made relative again (no `.`, `..` or `//`). */
const cleanRelativePath = (p: string) => posix.relative('/', posix.normalize(posix.join('/', p)));

const methodMatches = (route: PluginRoute, method: string) =>
  !route.method || route.method === '*' || route.method === method;

function hasAccess(route: PluginRoute, user: SignedInUser): boolean {
  if (route.reqAction) return (user.actions ?? []).includes(route.reqAction);
  const role = route.reqRole as GrafanaRole | undefined;
  if (role && role in RANK) return user.isGrafanaAdmin === true || RANK[user.role] >= RANK[role];
  return true;
}

const denied = {
  forward: false,
  status: 403,
  body: { message: 'plugin proxy route access denied' },
} as const;

/** json.Marshal(SignedInUser): Go field names as keys. */
function contextHeader(user: SignedInUser): string {
  return JSON.stringify({
    UserID: user.userId ?? 1,
    OrgID: user.orgId ?? 1,
    OrgName: 'Main Org.',
    OrgRole: user.role,
    Login: user.login,
    Name: user.name ?? user.login,
    Email: user.email ?? `${user.login}@example.com`,
    IsGrafanaAdmin: user.isGrafanaAdmin ?? false,
    IsAnonymous: user.isAnonymous ?? false,
    IsServiceAccount: false,
    Teams: [],
  });
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
];

/** The browser's headers as Grafana passes them on, before the proxy-specific changes. */
function incomingHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || HOP_BY_HOP.includes(name.toLowerCase())) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  // wrapDirector: the headers Grafana authenticated the browser with (Authorization always) are removed.
  delete out.authorization;
  return out;
}

/** proxyutil.PrepareProxyRequest, applied after every director. */
function prepareProxyRequest(h: Record<string, string>, remoteAddr: string | undefined): void {
  h['x-grafana-referer'] = h.referer ?? '';
  for (const name of ['origin', 'referer', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto'])
    delete h[name];
  if (remoteAddr)
    h['x-forwarded-for'] = h['x-forwarded-for'] ? `${h['x-forwarded-for']}, ${remoteAddr}` : remoteAddr;
}

/** proxyutil.ApplyUserHeader: X-Grafana-User is removed, then set only with send_user_header on. */
function applyUserHeader(h: Record<string, string>, s: ProxySettings): void {
  delete h['x-grafana-user'];
  if (s.sendUserHeader && !s.user.isAnonymous) h['x-grafana-user'] = s.user.login;
}

function routeTarget(route: PluginRoute, rest: string, query: string, s: ProxySettings): URL {
  const base = new URL(fill(route.url ?? '', s));
  const target = new URL(base.origin);
  target.pathname = joinUrlFragments(base.pathname, rest);
  target.search = query;
  return target;
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q) };
}

/** pkg/api/plugin_proxy.go + pkg/api/pluginproxy/pluginproxy.go. */
function resolveApp(url: string, method: string, raw: Record<string, string>, s: AppProxySettings): Resolved {
  const { path, query } = splitUrl(url);
  const proxyPath = posix.join('/', path.replace(/^\/api\/plugin-proxy\/[\w-]+\/?/, ''));
  for (const route of s.routes) {
    if (!methodMatches(route, method)) continue;
    const match = matchRouteTree(route.path, proxyPath);
    if (!match) continue;
    // The first route whose method and path match decides: a later route is never tried.
    if (!hasAccess(route, s.user)) return denied;
    const headers = { ...raw };
    delete headers.cookie;
    delete headers['set-cookie'];
    headers['x-grafana-context'] = contextHeader(s.user);
    applyUserHeader(headers, s);
    for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = fill(h.content, s);
    prepareProxyRequest(headers, s.remoteAddr);
    return { forward: true, target: routeTarget(route, match.rest, query, s), headers, rewrite401: false };
  }
  return { forward: false, status: 404, body: { message: 'plugin route match not found' } };
}

/** pkg/services/datasourceproxy/datasourceproxy.go + pkg/api/pluginproxy/ds_proxy.go. */
function resolveDataSource(
  url: string,
  method: string,
  raw: Record<string, string>,
  s: DataSourceProxySettings,
): Resolved {
  const { path, query } = splitUrl(url);
  const proxyPath = path.replace(/^\/api\/datasources\/proxy\/(\d+|uid\/[\w-]+)\/?/, '');
  let matched: PluginRoute | undefined;
  for (const route of s.routes) {
    if (!methodMatches(route, method)) continue;
    // A plain string prefix of the cleaned paths: `opsdeck` also covers `opsdeckx/…`.
    if (!cleanRelativePath(proxyPath).startsWith(cleanRelativePath(route.path))) continue;
    if (!hasAccess(route, s.user)) return denied;
    matched = route;
    break;
  }
  const headers = { ...raw };
  const dsAuthorization = headers['x-ds-authorization'];
  if (dsAuthorization) {
    delete headers['x-ds-authorization'];
    headers.authorization = dsAuthorization;
  }
  applyUserHeader(headers, s);
  // ClearCookieHeader: only the cookies the data source lists in jsonData.keepCookies pass.
  const keep = Array.isArray(s.jsonData.keepCookies) ? (s.jsonData.keepCookies as string[]) : [];
  const cookies = (headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && keep.includes(c.split('=')[0]!));
  if (cookies.length) headers.cookie = cookies.join('; ');
  else delete headers.cookie;
  headers['user-agent'] = 'Grafana/13.1.0';
  let target: URL;
  if (matched) {
    for (const h of matched.headers ?? []) headers[h.name.toLowerCase()] = fill(h.content, s);
    target = routeTarget(
      matched,
      proxyPath.startsWith(matched.path) ? proxyPath.slice(matched.path.length) : proxyPath,
      query,
      s,
    );
  } else {
    // No route: the data source's own URL and the whole proxy path, with none of the routes' headers.
    if (!s.url) return { forward: false, status: 502 };
    const base = new URL(s.url);
    target = new URL(base.origin);
    target.pathname = joinUrlFragments(base.pathname, proxyPath);
    target.search = query;
  }
  prepareProxyRequest(headers, s.remoteAddr);
  return { forward: true, target, headers, rewrite401: true };
}

/** What Grafana does with `<method> <url>` sent by the browser with `headers`. */
export function resolveRoute(
  url: string,
  method: string,
  settings: ProxySettings,
  headers: Record<string, string | string[] | undefined> = {},
): Resolved {
  const prefix = prefixOf(settings);
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`))
    throw new Error(`${url} is not under ${prefix}: the stand-in answers only its own proxy path`);
  const raw = incomingHeaders(headers);
  return settings.kind === 'app'
    ? resolveApp(url, method, raw, settings)
    : resolveDataSource(url, method, raw, settings);
}

/** The upstream answer as the browser receives it through Grafana. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const AUTH_FAILED = 'Authentication to data source failed';

/** proxyutil's modifyResponse (and the data source proxy's 401 rewrite) applied to an upstream answer. */
function modifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  rewrite401: boolean,
): Answer {
  if (rewrite401 && status === 401) {
    return {
      status: 400,
      headers: { 'content-security-policy': 'sandbox', 'content-length': String(AUTH_FAILED.length) },
      body: AUTH_FAILED,
    };
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'set-cookie' || HOP_BY_HOP.includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  out['content-security-policy'] = 'sandbox';
  return { status, headers: out, body };
}

/** Sends the forwarded request; a connection failure is Grafana's bare 502 (errorHandler, no body). */
function send(
  resolved: Extract<Resolved, { forward: true }>,
  method: string,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = httpRequest(resolved.target, { method, headers: resolved.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve(modifyResponse(res.statusCode ?? 502, res.headers, text, resolved.rewrite401)),
      );
    });
    req.on('error', () => resolve({ status: 502, headers: {}, body: '' }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function answerOf(resolved: Extract<Resolved, { forward: false }>): Answer {
  // A data source without a URL fails in the transport: a bare 502 like any unreachable upstream.
  if (!resolved.body) return { status: resolved.status, headers: {}, body: '' };
  return {
    status: resolved.status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(resolved.body),
  };
}

/** Grafana's server answering a page's request under the proxy prefix, for the browser checks' hosts. */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, settings: ProxySettings): void {
  const method = (req.method ?? 'GET').toUpperCase();
  const client = { ...settings, remoteAddr: settings.remoteAddr ?? req.socket.remoteAddress };
  const resolved = resolveRoute(req.url ?? '/', method, client, req.headers);
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d: string) => (body += d));
  req.on('end', () => {
    const done = resolved.forward
      ? send(resolved, method, body === '' ? undefined : body)
      : Promise.resolve(answerOf(resolved));
    void done.then((a) => res.writeHead(a.status, a.headers).end(a.body));
  });
}

/** A BackendSrv whose fetch goes through the stand-in; each forwarded call lands in `calls`. */
export function grafanaProxy(settings: ProxySettings, calls: ProxiedCall[] = []): BackendSrv {
  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((subscriber) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      // What Grafana's frontend sends: JSON bodies and an accept header; the session cookie rides along.
      const browser: Record<string, string> = {
        accept: 'application/json, text/plain, */*',
        cookie: 'grafana_session=s',
      };
      if (body !== undefined) browser['content-type'] = 'application/json';
      let resolved: Resolved;
      try {
        resolved = resolveRoute(options.url, method, settings, { ...browser, ...options.headers });
      } catch (err) {
        subscriber.error(err);
        return undefined;
      }
      if (resolved.forward)
        calls.push({
          method,
          url: resolved.target.toString(),
          headers: resolved.headers,
          body: options.data,
        });
      const answered = resolved.forward ? send(resolved, method, body) : Promise.resolve(answerOf(resolved));
      void answered.then(({ status, body: text }) => {
        let data: unknown = text;
        if (options.responseType !== 'text') {
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON (Grafana's rewritten 400, a bare 502): handed on as text, as Grafana's BackendSrv does
          }
        }
        if (status >= 300)
          return subscriber.error({ status, data, statusText: String(status), config: options });
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
      });
      return undefined;
    });
  return { fetch } as unknown as BackendSrv;
}
