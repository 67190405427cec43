import { dateTime, type DataQueryRequest, type ScopedVars } from '@grafana/data';
import { QueryRequest } from '@opsdeck/common';
import { buildQueryRequest, interpolateQuery, type TemplateReplacer } from './request';
import type { OpsdeckQuery } from './types';

/** Replaces $name / ${name} like Grafana's TemplateSrv, joining multi-values as the 'csv' format does. */
class Variables implements TemplateReplacer {
  constructor(private readonly values: Record<string, string | string[]>) {}
  replace(target?: string, scopedVars?: ScopedVars, format?: string): string {
    return (target ?? '').replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
      const value = scopedVars?.[name]?.value ?? this.values[name];
      if (value === undefined) return whole;
      if (Array.isArray(value)) return format === 'csv' ? value.join(',') : `{${value.join(',')}}`;
      return String(value);
    });
  }
}

function request(
  targets: OpsdeckQuery[],
  extra: Partial<DataQueryRequest<OpsdeckQuery>> = {},
): DataQueryRequest<OpsdeckQuery> {
  const from = dateTime('2026-02-19T00:00:00Z');
  const to = dateTime('2026-02-20T00:00:00Z');
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 1440,
    range: { from, to, raw: { from: 'now-24h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    ...extra,
  };
}

describe('buildQueryRequest', () => {
  const vars = new Variables({ service: ['checkout', 'search'], severity: 'S1' });

  it('sends the range as RFC 3339, the resolution, and each visible target with variables replaced', () => {
    const body = buildQueryRequest(
      request([
        { refId: 'A', kind: 'incidents', service: '$service', severity: '${severity}', status: '' },
        { refId: 'B', kind: 'slo-status', slo: 'api-availability', hide: true },
        { refId: 'C', kind: 'slo-status', burndownPoints: 0 },
      ]),
      vars,
    );
    expect(body).toEqual({
      from: '2026-02-19T00:00:00.000Z',
      to: '2026-02-20T00:00:00.000Z',
      queries: [
        {
          refId: 'A',
          kind: 'incidents',
          service: 'checkout,search',
          severity: 'S1',
          maxDataPoints: 1440,
          intervalMs: 60_000,
        },
        { refId: 'C', kind: 'slo-status', burndownPoints: 0, maxDataPoints: 1440, intervalMs: 60_000 },
      ],
    });
    expect(QueryRequest.safeParse(body).success).toBe(true);
  });

  it('uses panel-scoped variables (repeated panels) before dashboard ones', () => {
    const q = interpolateQuery({ refId: 'A', kind: 'slo-status', service: '$service' }, vars, {
      service: { text: 'payments', value: 'payments' },
    });
    expect(q.service).toBe('payments');
  });

  it('sends nothing when every target is hidden', () => {
    expect(buildQueryRequest(request([{ refId: 'A', kind: 'changes', hide: true }]), vars)).toBeNull();
  });

  it('defaults a target without a kind to SLO status and passes annotation and variable fields', () => {
    const body = buildQueryRequest(
      request(
        [
          { refId: 'A' } as OpsdeckQuery,
          { refId: 'B', kind: 'annotations', annotationSources: ['change'], risk: 'High' },
          { refId: 'C', kind: 'variable-values', variable: 'slos' },
        ],
        { maxDataPoints: undefined, intervalMs: 0 },
      ),
      vars,
    );
    expect(body!.queries).toEqual([
      { refId: 'A', kind: 'slo-status' },
      { refId: 'B', kind: 'annotations', annotationSources: ['change'], risk: 'High' },
      { refId: 'C', kind: 'variable-values', variable: 'slos' },
    ]);
  });

  it('passes a compliance target with its period replaced, its kind and how many periods', () => {
    const body = buildQueryRequest(
      request([
        { refId: 'A', kind: 'slo-compliance', period: '$period', periods: 6, slo: '$slo' },
        { refId: 'B', kind: 'slo-compliance', periodKind: 'week' },
      ]),
      new Variables({ period: '2026-01', slo: ['a', 'b'] }),
    );
    expect(QueryRequest.parse(body)).toEqual(body);
    expect(body!.queries).toEqual([
      {
        refId: 'A',
        kind: 'slo-compliance',
        period: '2026-01',
        periods: 6,
        slo: 'a,b',
        maxDataPoints: 1440,
        intervalMs: 60_000,
      },
      { refId: 'B', kind: 'slo-compliance', periodKind: 'week', maxDataPoints: 1440, intervalMs: 60_000 },
    ]);
  });
});
