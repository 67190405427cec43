// The data source's settings and query model (the query is the wire target from @opsdeck/common), shared
// by the data source and its editors so the editors need not import the data source.
import type { DataQuery, DataSourceApi, DataSourceJsonData } from '@grafana/data';
import { ANNOTATION_SOURCES, type OpsdeckQuery as WireQuery } from '@opsdeck/common';

/** A target as a dashboard stores it: the wire fields, before template variables are replaced. */
export type OpsdeckQuery = DataQuery & Omit<WireQuery, 'refId' | 'maxDataPoints' | 'intervalMs'>;

export const DEFAULT_QUERY: Partial<OpsdeckQuery> = { kind: 'slo-status' };

/** A dashboard variable's query: a target of the variable-values kind. */
export type OpsdeckVariableQuery = OpsdeckQuery;

export const ANNOTATION_REF_ID = 'opsdeck-annotations';

/** The target an annotation runs: kind fixed to annotations, every source unless narrowed. */
export function annotationTarget(target?: Partial<OpsdeckQuery>): OpsdeckQuery {
  return {
    ...target,
    refId: target?.refId ?? ANNOTATION_REF_ID,
    kind: 'annotations',
    annotationSources: target?.annotationSources?.length ? target.annotationSources : [...ANNOTATION_SOURCES],
  };
}

/** Settings stored in plain jsonData: where Grafana's proxy sends requests. */
export interface OpsdeckOptions extends DataSourceJsonData {
  url?: string;
}

/** The data source as its editors see it (datasource.ts implements it). */
export type OpsdeckDataSourceApi = DataSourceApi<OpsdeckQuery, OpsdeckOptions>;

/** Settings Grafana keeps encrypted and never returns to the browser. */
export interface OpsdeckSecureJsonData {
  token?: string;
}

/** Grafana's data source proxy route name from plugin.json: `<instance url>/opsdeck/...` reaches the backend. */
export const PROXY_ROUTE = 'opsdeck';
