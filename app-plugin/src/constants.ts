// Where the app lives in Grafana: its page URLs and the plugin proxy route that reaches the backend.
import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const APP_BASE = `/a/${PLUGIN_ID}`;
/** plugin.json `routes[].path`: Grafana's server forwards it to jsonData.backendUrl with the token. */
export const PROXY_ROUTE = 'opsdeck';
export const PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}/${PROXY_ROUTE}`;

/** App page URLs; query strings carry filters and the runbook drawer (?runbook=, ?service=, ?alert=). */
export const pages = {
  slos: `${APP_BASE}/slos`,
  slo: (id: string) => `${APP_BASE}/slos/${encodeURIComponent(id)}`,
  sloRules: `${APP_BASE}/slos/rules`,
  sloImport: `${APP_BASE}/slos/import`,
  incidents: `${APP_BASE}/incidents`,
  declare: `${APP_BASE}/incidents/new`,
  incident: (id: string) => `${APP_BASE}/incidents/${encodeURIComponent(id)}`,
  postmortem: (id: string) => `${APP_BASE}/incidents/${encodeURIComponent(id)}/postmortem`,
  changes: `${APP_BASE}/changes`,
  proposeChange: `${APP_BASE}/changes/new`,
  change: (id: string) => `${APP_BASE}/changes/${encodeURIComponent(id)}`,
  maintenance: `${APP_BASE}/maintenance`,
  newWindow: `${APP_BASE}/maintenance/new`,
  window: (id: string) => `${APP_BASE}/maintenance/${encodeURIComponent(id)}`,
  editWindow: (id: string) => `${APP_BASE}/maintenance/${encodeURIComponent(id)}/edit`,
  compliance: `${APP_BASE}/compliance`,
  runbooks: `${APP_BASE}/runbooks`,
  runbook: (id: string) => `${APP_BASE}/runbooks/${encodeURIComponent(id)}`,
};
