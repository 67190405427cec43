// Grafana's plugin proxy as the app sees it, for tests: the shared emulation in
// .config/test-support/grafana-proxy.ts with the app's /api/plugin-proxy/<app id>/ prefix and routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type GrafanaRole,
  type ProxiedCall,
  grafanaProxy,
  proxyRequest,
} from '../../../.config/test-support/grafana-proxy';
import { PLUGIN_ID } from '../constants';
import pluginJson from '../plugin.json';

export type { GrafanaRole, ProxiedCall };

export interface AppSettings {
  jsonData: { backendUrl?: string };
  secureJsonData: { token?: string };
  role: GrafanaRole;
  login?: string;
}

const withRoutes = (settings: AppSettings) => ({
  ...settings,
  prefix: `/api/plugin-proxy/${PLUGIN_ID}/`,
  routes: pluginJson.routes,
});

/** Answers a page's /api/plugin-proxy/<app id>/… request as Grafana's server would. */
export const proxyAppRequest = (req: IncomingMessage, res: ServerResponse, settings: AppSettings) =>
  proxyRequest(req, res, withRoutes(settings));

export const appProxy = (settings: AppSettings, calls?: ProxiedCall[]) =>
  grafanaProxy(withRoutes(settings), calls);
