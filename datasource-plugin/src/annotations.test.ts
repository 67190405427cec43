import { dataFrameFromJSON } from '@grafana/data';
import { type DataFrameJson, FRAME_NAMES } from '@opsdeck/common';
import { lastValueFrom } from 'rxjs';
import { annotationEvents, annotationSupport } from './annotations';
import { annotationTarget } from './types';

const frameJson: DataFrameJson = {
  schema: {
    name: FRAME_NAMES.annotations,
    refId: 'anno',
    fields: [
      { name: 'time', type: 'time' },
      { name: 'timeEnd', type: 'time' },
      { name: 'title', type: 'string' },
      { name: 'text', type: 'string' },
      { name: 'tags', type: 'other' },
      { name: 'source', type: 'string' },
      { name: 'id', type: 'string' },
    ],
  },
  data: {
    values: [
      [1000, 5000, null],
      [9000, 5000, 7000],
      ['[S1] Checkout 5xx', 'deploy api: v2', 'broken'],
      ['S1 incident on checkout', 'Low risk deploy', ''],
      [['incident', 'S1'], ['change', 'deploy'], []],
      ['incident', 'change', 'incident'],
      ['incident:1', 'change:2', 'incident:3'],
    ],
  },
};

describe('annotationEvents', () => {
  it('turns annotation frames into events: regions where an end is later than the start', () => {
    const events = annotationEvents([dataFrameFromJSON(frameJson as never)]);
    expect(events).toEqual([
      {
        id: 'incident:1',
        time: 1000,
        timeEnd: 9000,
        isRegion: true,
        title: '[S1] Checkout 5xx',
        text: 'S1 incident on checkout',
        tags: ['incident', 'S1'],
      },
      {
        id: 'change:2',
        time: 5000,
        timeEnd: 5000,
        isRegion: false,
        title: 'deploy api: v2',
        text: 'Low risk deploy',
        tags: ['change', 'deploy'],
      },
    ]);
  });

  it('ignores frames that are not annotation frames', () => {
    const other = dataFrameFromJSON({
      ...frameJson,
      schema: { ...frameJson.schema, name: FRAME_NAMES.incidents },
    } as never);
    expect(annotationEvents([other])).toEqual([]);
  });
});

describe('annotationSupport', () => {
  it('runs every source by default and keeps the filters of a saved annotation', () => {
    expect(annotationTarget(undefined)).toEqual({
      refId: 'opsdeck-annotations',
      kind: 'annotations',
      annotationSources: ['incident', 'change', 'maintenance', 'exclusion'],
    });
    const prepared = annotationSupport.prepareAnnotation!({
      name: 'Deploys',
      enable: true,
      iconColor: 'blue',
      target: {
        refId: 'X',
        kind: 'annotations',
        annotationSources: ['change'],
        service: '$service',
        risk: 'High',
      },
    });
    expect(prepared.target).toEqual({
      refId: 'X',
      kind: 'annotations',
      annotationSources: ['change'],
      service: '$service',
      risk: 'High',
    });
    expect(annotationSupport.prepareQuery!(prepared)).toEqual(prepared.target);
  });

  it('processes the data source’s frames into events', async () => {
    const events = await lastValueFrom(
      annotationSupport.processEvents!({ name: 'x', enable: true, iconColor: 'red' }, [
        dataFrameFromJSON(frameJson as never),
      ]),
    );
    expect(events?.map((e) => e.id)).toEqual(['incident:1', 'change:2']);
  });
});
