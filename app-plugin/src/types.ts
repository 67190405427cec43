// The app's settings as Grafana stores them (plugin settings jsonData / secureJsonData).

export interface AppJsonData {
  /** where Grafana's server reaches the opsdeck backend, e.g. http://opsdeck-backend:3001 */
  backendUrl?: string;
}

export interface AppSecureJsonData {
  /** an opsdeck editor token (OPSDECK_TOKENS); Grafana's proxy adds it, browsers never see it */
  token?: string;
}
