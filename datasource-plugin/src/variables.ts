// Template variables: services, SLOs or severities, answered by the backend's `variable-values` kind
// as text/value frames, which Grafana turns into variable options.
import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import type { Observable } from 'rxjs';
import type { DataSource } from './datasource';
import type { OpsdeckQuery } from './types';
import { VariableQueryEditor } from './VariableQueryEditor';

export const VARIABLE_REF_ID = 'opsdeck-variable';

/** What a variable stores: which list (`variable`), and optionally a service to narrow SLOs to. */
export type OpsdeckVariableQuery = OpsdeckQuery;

export class OpsdeckVariableSupport extends CustomVariableSupport<DataSource, OpsdeckVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
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
    return this.datasource.query({ ...request, targets: [query] });
  }
}
