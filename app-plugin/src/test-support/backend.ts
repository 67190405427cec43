// The real opsdeck backend for page tests (started as the data source tests start it), the app
// wired to it through the plugin proxy emulation, and seeding over its HTTP API.
import { request as httpRequest } from 'node:http';
import { OrgRole } from '@grafana/data';
import { config, locationService, setBackendSrv } from '@grafana/runtime';
import { configure } from '@testing-library/react';
import {
  APP_TOKEN,
  EDITOR_TOKEN,
  type Running,
  freePort,
  startBackend,
} from '../../../datasource-plugin/src/test-support/opsdeck-stack';
import { type GrafanaRole, type ProxiedCall, appProxy } from './app-proxy';

export { EDITOR_TOKEN, startBackend, type Running };

// Grafana's components re-render slowly in jsdom and every page waits on real HTTP.
configure({ asyncUtilTimeout: 8000 });
export { startPrometheus } from '../../../datasource-plugin/src/test-support/opsdeck-stack';

/** A URL where nothing listens: the backend then reports Prometheus as unreachable. */
export async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** Points the app at `backendUrl` as a user with `role`; returns the calls the proxy forwarded. */
export function useApp(backendUrl: string, role: GrafanaRole = 'Editor', login = 'alice'): ProxiedCall[] {
  const calls: ProxiedCall[] = [];
  setBackendSrv(
    appProxy({ jsonData: { backendUrl }, secureJsonData: { token: APP_TOKEN }, role, login }, calls),
  );
  const user = { ...config.bootData.user, login, orgRole: OrgRole[role], isGrafanaAdmin: false };
  config.bootData = { ...config.bootData, user };
  locationService.push('/a/opsdeck-sre-app');
  return calls;
}

/** Calls the backend directly with the editor token (test set-up, not the UI under test). */
export function seed<T>(backendUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      new URL(path, backendUrl),
      {
        method,
        headers: {
          authorization: `Bearer ${EDITOR_TOKEN}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve(JSON.parse(text) as T)
            : reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
