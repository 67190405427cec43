// Converts the backend's query response (Grafana's backend response shape) into a DataQueryResponse:
// frames go through dataFrameFromJSON unchanged; a target's error becomes a query error naming its refId.
import { type DataQueryError, type DataQueryResponse, dataFrameFromJSON, LoadingState } from '@grafana/data';
import type { QueryResponse } from '@opsdeck/common';

export function toDataQueryResponse(body: QueryResponse): DataQueryResponse {
  const data = [];
  const errors: DataQueryError[] = [];
  for (const [refId, result] of Object.entries(body.results)) {
    for (const frame of result.frames) {
      const df = dataFrameFromJSON(frame as Parameters<typeof dataFrameFromJSON>[0]);
      df.refId = refId;
      data.push(df);
    }
    if (result.error) errors.push({ refId, message: result.error, status: result.status });
  }
  return {
    data,
    errors: errors.length ? errors : undefined,
    error: errors[0],
    state: errors.length ? LoadingState.Error : LoadingState.Done,
  };
}
