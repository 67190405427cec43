import { toDataFrame } from '@grafana/data';
import { DataFrameJson } from '@opsdeck/common';
import { isSloStatusFrame, sloRows, sortRows } from './slo-rows';
import { statusFrame, statusFrameJson } from './test-support/slo-frames';

describe('sloRows', () => {
  it('reads every field of the status frame, burn rates in window order', () => {
    const [row] = sloRows([
      statusFrame([
        {
          id: 'checkout',
          name: 'Checkout availability',
          sli: 0.9991,
          budgetRemaining: 0.1,
          burn: { '5m': 20, '1h': 15 },
          alert: 'page',
          exhaustionSeconds: 3600,
          burndown: [
            [1, 1],
            [2, 0.4],
          ],
        },
      ]),
    ]);
    expect(row).toMatchObject({
      id: 'checkout',
      name: 'Checkout availability',
      service: 'api',
      objective: 0.999,
      sli: 0.9991,
      window: '30d',
      budgetRemaining: 0.1,
      alert: 'page',
      exhaustionSeconds: 3600,
      burndown: [
        [1, 1],
        [2, 0.4],
      ],
    });
    expect(row!.burnRates.map((b) => b.window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(row!.burnRates.find((b) => b.window === '1h')!.value).toBe(15);
  });

  it('keeps "no data" as null rather than zero', () => {
    const [row] = sloRows([
      statusFrame([{ id: 'quiet', sli: null, budgetRemaining: null, exhaustionSeconds: null }]),
    ]);
    expect(row).toMatchObject({ sli: null, budgetRemaining: null, exhaustionSeconds: null });
  });

  it('ignores frames that are not SLO status frames, and an unknown alert word reads as ok', () => {
    const other = toDataFrame({
      fields: [
        { name: 'time', values: [1] },
        { name: 'value', values: [2] },
      ],
    });
    expect(isSloStatusFrame(other)).toBe(false);
    const json = statusFrameJson([{ id: 'a' }]);
    const alertIndex = json.schema.fields.findIndex((f) => f.name === 'alert');
    json.data.values[alertIndex] = ['paging?'];
    expect(DataFrameJson.safeParse(json).success).toBe(true);
    const frame = statusFrame([{ id: 'a' }]);
    frame.fields.find((f) => f.name === 'alert')!.values[0] = 'paging?';
    expect(sloRows([other, frame]).map((r) => [r.id, r.alert])).toEqual([['a', 'ok']]);
  });
});

describe('sortRows', () => {
  const rows = sloRows([
    statusFrame([
      { id: 'b', name: 'Beta', budgetRemaining: 0.8, alert: 'ticket' },
      { id: 'a', name: 'Alpha', budgetRemaining: null },
      { id: 'c', name: 'Gamma', budgetRemaining: 0.2 },
      { id: 'd', name: 'Delta', budgetRemaining: 0.9, alert: 'page' },
    ]),
  ]);
  it.each([
    ['budget', ['c', 'b', 'd', 'a']],
    ['alert', ['d', 'b', 'c', 'a']],
    ['name', ['a', 'b', 'd', 'c']],
  ] as const)('by %s', (order, ids) => {
    expect(sortRows(rows, order).map((r) => r.id)).toEqual(ids);
  });
});
