import { toDataFrame } from '@grafana/data';
import { complianceHistory } from './compliance-rows';
import { complianceFrame } from './test-support/slo-frames';

describe('complianceHistory', () => {
  it('lines up every SLO on the periods of the data, oldest first, with gaps where a period has no row', () => {
    const frame = complianceFrame([
      {
        period: '2026-02',
        start: Date.UTC(2026, 1, 1),
        id: 'search',
        name: 'Search',
        sli: 0.9995,
        met: true,
        complete: false,
      },
      {
        period: '2026-01',
        start: Date.UTC(2026, 0, 1),
        id: 'checkout',
        name: 'Checkout',
        sli: 0.998,
        met: false,
      },
      {
        period: '2026-02',
        start: Date.UTC(2026, 1, 1),
        id: 'checkout',
        name: 'Checkout',
        sli: null,
        met: null,
        complete: false,
      },
    ]);
    const { periods, rows } = complianceHistory([frame]);
    expect(periods).toEqual(['2026-01', '2026-02']);
    expect(rows.map((r) => r.name)).toEqual(['Checkout', 'Search']);
    expect(rows[0]!.periods).toEqual([
      { period: '2026-01', sli: 0.998, met: false, budgetConsumed: expect.closeTo(2, 9), complete: true },
      { period: '2026-02', sli: null, met: null, budgetConsumed: null, complete: false },
    ]);
    expect(rows[1]!.periods[0]).toBeNull();
    expect(rows[1]!.periods[1]).toMatchObject({ met: true, complete: false });
  });

  it('ignores frames of other kinds', () => {
    const other = toDataFrame({ name: 'opsdeck-slo-status', fields: [{ name: 'id', values: ['x'] }] });
    expect(complianceHistory([other])).toEqual({ periods: [], rows: [] });
  });
});
