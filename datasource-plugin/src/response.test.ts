import { FieldType, LoadingState } from '@grafana/data';
import { type DataFrameJson, FRAME_NAMES, QueryResponse } from '@opsdeck/common';
import { toDataQueryResponse } from './response';

const incidents: DataFrameJson = {
  schema: {
    name: FRAME_NAMES.incidents,
    refId: 'A',
    fields: [
      { name: 'title', type: 'string', config: { displayName: 'Title' } },
      { name: 'severity', type: 'string' },
      { name: 'startedAt', type: 'time' },
    ],
  },
  data: {
    values: [
      ['Checkout 5xx', 'Search slow'],
      ['S1', 'S3'],
      [1771545600000, 1771549200000],
    ],
  },
};

describe('toDataQueryResponse', () => {
  it('converts frames without reshaping: names, types, config and values survive', () => {
    const body = QueryResponse.parse({ results: { A: { frames: [incidents] } } });
    const res = toDataQueryResponse(body);
    expect(res.state).toBe(LoadingState.Done);
    expect(res.errors).toBeUndefined();
    const [frame] = res.data;
    expect(frame.name).toBe(FRAME_NAMES.incidents);
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(2);
    expect(frame.fields.map((f: { name: string; type: FieldType }) => [f.name, f.type])).toEqual([
      ['title', FieldType.string],
      ['severity', FieldType.string],
      ['startedAt', FieldType.time],
    ]);
    expect(frame.fields[0].config.displayName).toBe('Title');
    expect(frame.fields[2].values).toEqual([1771545600000, 1771549200000]);
  });

  it('keeps a failed target’s error beside the frames of the others, naming its refId', () => {
    const body = QueryResponse.parse({
      results: {
        A: { frames: [incidents] },
        B: { frames: [], error: 'Prometheus at http://prom:9090 is unavailable: refused', status: 503 },
      },
    });
    const res = toDataQueryResponse(body);
    expect(res.data).toHaveLength(1);
    expect(res.state).toBe(LoadingState.Error);
    expect(res.errors).toEqual([
      { refId: 'B', message: 'Prometheus at http://prom:9090 is unavailable: refused', status: 503 },
    ]);
    expect(res.error?.refId).toBe('B');
  });
});
