// The data source's settings and query model; the query is the wire target from @opsdeck/common.
import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import type { OpsdeckQuery as WireQuery } from '@opsdeck/common';

/** A target as a dashboard stores it: the wire fields, before template variables are replaced. */
export type OpsdeckQuery = DataQuery & Omit<WireQuery, 'refId' | 'maxDataPoints' | 'intervalMs'>;

export const DEFAULT_QUERY: Partial<OpsdeckQuery> = { kind: 'slo-status' };

/** Settings stored in plain jsonData: where Grafana's proxy sends requests. */
export interface OpsdeckOptions extends DataSourceJsonData {
  url?: string;
}

/** Settings Grafana keeps encrypted and never returns to the browser. */
export interface OpsdeckSecureJsonData {
  token?: string;
}

/** Grafana's data source proxy route name from plugin.json: `<instance url>/opsdeck/...` reaches the backend. */
export const PROXY_ROUTE = 'opsdeck';
