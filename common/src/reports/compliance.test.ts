import { compliance, complianceCsv, type ComplianceRow } from './compliance';

describe('compliance', () => {
  it.each([
    [
      'well within',
      { events: 1_000_000, badEvents: 100 },
      99.9,
      { sli: 0.9999, met: true, budgetConsumed: 0.1 },
    ],
    [
      'exactly at the objective',
      { events: 1000, badEvents: 1 },
      99.9,
      { sli: 0.999, met: true, budgetConsumed: 1 },
    ],
    ['one event over', { events: 1000, badEvents: 2 }, 99.9, { sli: 0.998, met: false, budgetConsumed: 2 }],
    ['no bad events', { events: 10, badEvents: 0 }, 95, { sli: 1, met: true, budgetConsumed: 0 }],
    ['no events', { events: 0, badEvents: 0 }, 99.9, { sli: null, met: null, budgetConsumed: null }],
    ['no data', { events: null, badEvents: null }, 99.9, { sli: null, met: null, budgetConsumed: null }],
  ])('%s', (_name, counts, objective, expected) => {
    const c = compliance(counts, objective);
    expect(c.met).toBe(expected.met);
    if (expected.sli === null) {
      expect(c).toEqual(expected);
    } else {
      expect(c.sli).toBeCloseTo(expected.sli, 12);
      expect(c.budgetConsumed).toBeCloseTo(expected.budgetConsumed!, 9);
    }
  });
});

describe('complianceCsv', () => {
  const row: ComplianceRow = {
    id: 'api-availability',
    name: 'API availability, "core"',
    service: 'api',
    objective: 0.999,
    sli: 0.9995,
    met: true,
    budgetConsumed: 0.5,
    events: 2000,
    badEvents: 1,
    excludedSeconds: 3600,
    incidents: [
      { id: 'i1', title: 'DB failover', severity: 'S2' },
      { id: 'i2', title: '=HYPERLINK("x")', severity: 'S3' },
    ],
    start: '2026-01-01T00:00:00.000Z',
    end: '2026-02-01T00:00:00.000Z',
  };

  it('writes a header and one RFC 4180 line per SLO, quoting what needs it', () => {
    expect(
      complianceCsv([
        row,
        {
          ...row,
          id: 'quiet',
          name: 'Quiet',
          sli: null,
          met: null,
          budgetConsumed: null,
          events: 0,
          badEvents: 0,
          incidents: [],
        },
      ]),
    ).toBe(
      'slo,name,service,objective,sli,met,budget_consumed,events,bad_events,excluded_seconds,incidents,start,end\r\n' +
        'api-availability,"API availability, ""core""",api,0.999,0.9995,true,0.5,2000,1,3600,"S2 DB failover; S3 =HYPERLINK(""x"")",2026-01-01T00:00:00.000Z,2026-02-01T00:00:00.000Z\r\n' +
        'quiet,Quiet,api,0.999,,,,0,0,3600,,2026-01-01T00:00:00.000Z,2026-02-01T00:00:00.000Z\r\n',
    );
  });

  it('defuses a cell a spreadsheet would run as a formula', () => {
    expect(complianceCsv([{ ...row, name: '=1+1', incidents: [] }]).split('\r\n')[1]).toContain(",'=1+1,");
  });
});
