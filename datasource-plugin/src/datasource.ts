// The opsdeck data source: every call goes through Grafana's data source proxy route, which adds the
// backend URL and the bearer token server-side, so the browser never holds the token.
import {
  DataSourceApi,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  LoadingState,
} from '@grafana/data';
import { type FetchError, getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import type { QueryResponse } from '@opsdeck/common';
import { type Observable, catchError, lastValueFrom, map, of } from 'rxjs';
import { annotationSupport } from './annotations';
import { type HealthResult, healthResult, type ReadyzOutcome } from './health';
import { buildQueryRequest, type TemplateReplacer } from './request';
import { toDataQueryResponse } from './response';
import { DEFAULT_QUERY, type OpsdeckOptions, type OpsdeckQuery, PROXY_ROUTE } from './types';
import { OpsdeckVariableSupport } from './variables';

export class DataSource extends DataSourceApi<OpsdeckQuery, OpsdeckOptions> {
  /** `<Grafana>/api/datasources/proxy/uid/<uid>/opsdeck`: the backend as Grafana proxies it. */
  readonly proxyUrl: string;
  readonly backendUrl?: string;

  constructor(
    instanceSettings: DataSourceInstanceSettings<OpsdeckOptions>,
    private readonly templateSrv: TemplateReplacer = getTemplateSrv(),
  ) {
    super(instanceSettings);
    this.proxyUrl = `${instanceSettings.url ?? ''}/${PROXY_ROUTE}`;
    this.backendUrl = instanceSettings.jsonData.url;
    this.annotations = annotationSupport;
    this.variables = new OpsdeckVariableSupport((request) => this.query(request));
  }

  override getDefaultQuery(): Partial<OpsdeckQuery> {
    return DEFAULT_QUERY;
  }

  override filterQuery(query: OpsdeckQuery): boolean {
    return !query.hide;
  }

  query(request: DataQueryRequest<OpsdeckQuery>): Observable<DataQueryResponse> {
    const body = buildQueryRequest(request, this.templateSrv);
    if (!body) return of({ data: [], state: LoadingState.Done });
    return getBackendSrv()
      .fetch<QueryResponse>({
        url: `${this.proxyUrl}/api/v1/query`,
        method: 'POST',
        data: body,
        requestId: request.requestId,
      })
      .pipe(
        map((response) => toDataQueryResponse(response.data)),
        catchError((err: FetchError) => of(failedResponse(err))),
      );
  }

  async testDatasource(): Promise<HealthResult> {
    if (!this.backendUrl) return healthResult({ status: 0 }, this.backendUrl);
    const [ready, authenticated] = await Promise.all([
      this.probe(`${this.proxyUrl}/readyz`),
      // /readyz is public: an authenticated read is what proves the token.
      this.probe(`${this.proxyUrl}/api/v1/slos?limit=1`),
    ]);
    return healthResult(ready, this.backendUrl, authenticated);
  }

  private async probe(url: string): Promise<ReadyzOutcome> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch({ url, method: 'GET', showErrorAlert: false }),
      );
      return { status: response.status, data: response.data };
    } catch (err) {
      const failure = err as Partial<FetchError>;
      return { status: failure.status ?? 0, data: failure.data };
    }
  }
}

/** A whole-request failure (proxy down, 4xx on the body) as an error response with the API's message. */
function failedResponse(err: Partial<FetchError>): DataQueryResponse {
  const body = (err.data ?? {}) as { message?: string; details?: { field: string; message: string }[] };
  const details = body.details?.map((d) => `${d.field}: ${d.message}`).join('; ');
  const message = [body.message ?? err.statusText ?? 'opsdeck API request failed', details]
    .filter(Boolean)
    .join(' — ');
  return {
    data: [],
    error: { message, status: err.status },
    errors: [{ message, status: err.status }],
    state: LoadingState.Error,
  };
}
