// Turns Grafana's DataQueryRequest into the body of the backend's POST /api/v1/query: template
// variables replaced, hidden targets dropped, the time range and resolution passed along.
import type { DataQueryRequest, ScopedVars } from '@grafana/data';
import type { QueryRequest, OpsdeckQuery as WireQuery } from '@opsdeck/common';
import type { OpsdeckQuery } from './types';

/** The part of Grafana's TemplateSrv this module needs, so tests can hand in a real-shaped stand-in. */
export interface TemplateReplacer {
  replace(target?: string, scopedVars?: ScopedVars, format?: string): string;
}

const FILTERS = ['service', 'slo', 'severity', 'risk', 'status'] as const;

/** Replaces variables in the filters; a multi-value variable becomes a comma-separated list. */
export function interpolateQuery(
  query: OpsdeckQuery,
  templateSrv: TemplateReplacer,
  scopedVars?: ScopedVars,
): OpsdeckQuery {
  const out: OpsdeckQuery = { ...query };
  for (const key of FILTERS) {
    const value = query[key];
    if (value !== undefined) out[key] = templateSrv.replace(value, scopedVars, 'csv');
  }
  if (query.period !== undefined) out.period = templateSrv.replace(query.period, scopedVars);
  return out;
}

export function toWireQuery(
  query: OpsdeckQuery,
  request: Pick<DataQueryRequest, 'maxDataPoints' | 'intervalMs'>,
): WireQuery {
  const wire: WireQuery = { refId: query.refId, kind: query.kind ?? 'slo-status' };
  for (const key of FILTERS) {
    if (query[key]) wire[key] = query[key];
  }
  if (query.annotationSources?.length) wire.annotationSources = query.annotationSources;
  if (query.variable) wire.variable = query.variable;
  if (query.burndownPoints !== undefined) wire.burndownPoints = query.burndownPoints;
  if (query.limit !== undefined) wire.limit = query.limit;
  if (query.period) wire.period = query.period;
  if (query.periodKind) wire.periodKind = query.periodKind;
  if (query.periods !== undefined) wire.periods = query.periods;
  if (request.maxDataPoints) wire.maxDataPoints = Math.round(request.maxDataPoints);
  if (request.intervalMs) wire.intervalMs = request.intervalMs;
  return wire;
}

/** The backend request for a panel's targets, or null when every target is hidden. */
export function buildQueryRequest(
  request: DataQueryRequest<OpsdeckQuery>,
  templateSrv: TemplateReplacer,
): QueryRequest | null {
  const queries = request.targets
    .filter((t) => !t.hide)
    .map((t) => toWireQuery(interpolateQuery(t, templateSrv, request.scopedVars), request));
  if (queries.length === 0) return null;
  return { from: request.range.from.toISOString(), to: request.range.to.toISOString(), queries };
}
