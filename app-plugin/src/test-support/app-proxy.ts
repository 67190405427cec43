// Grafana's plugin proxy as the app sees it, for tests: the shared emulation in
// .config/test-support/grafana-proxy.ts with the app's /api/plugin-proxy/<app id>/ prefix and routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type GrafanaRole,
  type ProxiedCall,
  type ProxySettings,
  grafanaProxy,
  proxyRequest,
} from '../../../.config/test-support/grafana-proxy';
import { PLUGIN_ID } from '../constants';
import pluginJson from '../plugin.json';

export type { GrafanaRole, ProxiedCall };

export interface AppSettings {
  jsonData: { backendUrl?: string };
  secureJsonData: { token?: string };
  /** the signed-in user's org role and login */
  role: GrafanaRole;
  login?: string;
  /** Grafana's [dataproxy] send_user_header; off by default, as in Grafana */
  sendUserHeader?: boolean;
}

const withRoutes = (settings: AppSettings): ProxySettings => ({
  kind: 'app',
  pluginId: PLUGIN_ID,
  routes: pluginJson.routes,
  jsonData: settings.jsonData,
  secureJsonData: settings.secureJsonData,
  user: { login: settings.login ?? 'admin', role: settings.role },
  sendUserHeader: settings.sendUserHeader,
});

/** Answers a page's /api/plugin-proxy/<app id>/… request as Grafana's server would. */
export const proxyAppRequest = (req: IncomingMessage, res: ServerResponse, settings: AppSettings) =>
  proxyRequest(req, res, withRoutes(settings));

export const appProxy = (settings: AppSettings, calls?: ProxiedCall[]) =>
  grafanaProxy(withRoutes(settings), calls);
