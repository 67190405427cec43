// Template variables: services, SLOs or severities, answered by the backend's `variable-values` kind
// as text/value frames, which Grafana turns into variable options.
import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import type { Observable } from 'rxjs';
import type { OpsdeckDataSourceApi, OpsdeckQuery, OpsdeckVariableQuery } from './types';
import { VariableQueryEditor } from './VariableQueryEditor';

export const VARIABLE_REF_ID = 'opsdeck-variable';

/** How the data source runs targets (its own query), passed in so this module need not import it. */
export type RunQuery = (request: DataQueryRequest<OpsdeckQuery>) => Observable<DataQueryResponse>;

/** What a variable stores: which list (`variable`), and optionally a service to narrow SLOs to. */
export class OpsdeckVariableSupport extends CustomVariableSupport<
  OpsdeckDataSourceApi,
  OpsdeckVariableQuery
> {
  editor = VariableQueryEditor;

  constructor(private readonly runQuery: RunQuery) {
    super();
  }

  query(request: DataQueryRequest<OpsdeckVariableQuery>): Observable<DataQueryResponse> {
    const target = request.targets[0];
    const query: OpsdeckQuery = {
      refId: VARIABLE_REF_ID,
      kind: 'variable-values',
      variable: target?.variable ?? 'services',
      service: target?.service,
    };
    return this.runQuery({ ...request, targets: [query] });
  }
}
