// Grafana's data source proxy as the plugin sees it, for tests: a BackendSrv whose fetch maps
// `<instance url>/<route path>/…` to the route's URL from jsonData and adds the route's bearer header
// from secureJsonData, as plugin.json's `routes` tell Grafana to, then calls the real backend over HTTP.
import { request as httpRequest } from 'node:http';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';
import pluginJson from '../plugin.json';

export interface ProxiedInstance {
  /** Grafana's proxy path for the instance, e.g. /api/datasources/proxy/uid/opsdeck */
  instanceUrl: string;
  jsonData: { url?: string };
  secureJsonData: { token?: string };
}

export interface ProxiedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Fills a route template such as `Bearer {{ .SecureJsonData.token }}` the way Grafana does. */
function fillTemplate(template: string, instance: ProxiedInstance): string {
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((instance.jsonData as Record<string, unknown>)[k] ?? ''),
    )
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((instance.secureJsonData as Record<string, unknown>)[k] ?? ''),
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

export function grafanaProxy(instance: ProxiedInstance, calls: ProxiedCall[] = []): BackendSrv {
  const fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    new Observable((subscriber) => {
      const route = pluginJson.routes.find(
        (r) =>
          options.url.startsWith(`${instance.instanceUrl}/${r.path}/`) ||
          options.url === `${instance.instanceUrl}/${r.path}`,
      );
      if (!route) {
        subscriber.error({ status: 404, data: { message: 'Not found' }, config: options } as FetchError);
        return;
      }
      const rest = options.url.slice(`${instance.instanceUrl}/${route.path}`.length);
      const target = new URL(fillTemplate(route.url, instance).replace(/\/+$/, '') + rest);
      const headers: Record<string, string> = { accept: 'application/json' };
      for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = fillTemplate(h.content, instance);
      const method = (options.method ?? 'GET').toUpperCase();
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      if (body !== undefined) headers['content-type'] = 'application/json';
      calls.push({ method, url: target.toString(), headers, body: options.data });
      send(target, method, headers, body).then(
        ({ status, text }) => {
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: passed on as text, as Grafana does
          }
          const response = {
            status,
            data,
            ok: status < 300,
            statusText: String(status),
            redirected: false,
            type: 'basic',
            url: options.url,
            config: options,
          } as unknown as FetchResponse<T>;
          if (status >= 300)
            subscriber.error({ status, data, statusText: String(status), config: options } as FetchError);
          else {
            subscriber.next(response);
            subscriber.complete();
          }
        },
        // Grafana answers 502 Bad Gateway when the data source URL does not answer.
        () =>
          subscriber.error({
            status: 502,
            data: { message: 'Bad Gateway' },
            statusText: 'Bad Gateway',
            config: options,
          } as FetchError),
      );
    });
  return { fetch } as unknown as BackendSrv;
}
