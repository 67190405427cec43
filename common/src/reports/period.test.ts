import {
  parseReportPeriod,
  previousReportPeriod,
  type ReportPeriod,
  reportPeriodAt,
  reportPeriodRange,
} from './period';

const range = (text: string, zone = 'UTC') => {
  const p = parseReportPeriod(text) as ReportPeriod;
  const r = reportPeriodRange(p, zone);
  return [r.start.toISOString(), r.end.toISOString()];
};

describe('parseReportPeriod and reportPeriodRange', () => {
  it.each([
    ['2026-01', 'UTC', ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']],
    ['2026-02', 'UTC', ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']],
    ['2024-02', 'UTC', ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']],
    ['2026-12', 'UTC', ['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']],
    // a calendar in Berlin: midnight local, across the switch to summer time (March has 743 hours)
    ['2026-03', 'Europe/Berlin', ['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']],
    ['2026-Q1', 'UTC', ['2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']],
    ['2026-Q4', 'UTC', ['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']],
    // ISO weeks start on Monday; week 1 holds the year's first Thursday
    ['2026-W01', 'UTC', ['2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z']],
    ['2026-W05', 'UTC', ['2026-01-26T00:00:00.000Z', '2026-02-02T00:00:00.000Z']],
    ['2026-W53', 'UTC', ['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']],
    ['2020-W53', 'UTC', ['2020-12-28T00:00:00.000Z', '2021-01-04T00:00:00.000Z']],
  ])('%s in %s', (text, zone, expected) => {
    expect(range(text, zone)).toEqual(expected);
  });

  it.each([
    ['2026-13', 'month 13 does not exist'],
    ['2026-00', 'month 00 does not exist'],
    ['2026-Q5', 'quarter Q5 does not exist'],
    ['2026-Q0', 'quarter Q0 does not exist'],
    ['2025-W53', 'week W53 does not exist in 2025: use W01 to W52'],
    ['2026-W00', 'week W00 does not exist'],
    ['2026-1', 'is not a period'],
    ['26-01', 'is not a period'],
    ['2026-01-01', 'is not a period'],
    ['2026-w05', 'is not a period'],
    ['', 'is not a period'],
    ['1969-12', 'before 1970'],
  ])('refuses %p', (text, message) => {
    const parsed = parseReportPeriod(text);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(message);
  });
});

describe('previousReportPeriod', () => {
  it.each([
    ['2026-01', 1, '2025-12'],
    ['2026-03', 3, '2025-12'],
    ['2026-Q1', 1, '2025-Q4'],
    ['2026-Q3', 2, '2026-Q1'],
    ['2026-W01', 1, '2025-W52'],
    ['2021-W01', 1, '2020-W53'],
    ['2026-W10', 5, '2026-W05'],
  ])('%s less %d is %s', (text, n, expected) => {
    expect(previousReportPeriod(parseReportPeriod(text) as ReportPeriod, n).label).toBe(expected);
  });
});

describe('reportPeriodAt', () => {
  it.each([
    ['month', '2026-02-20T00:00:00Z', '2026-02'],
    ['quarter', '2026-02-20T00:00:00Z', '2026-Q1'],
    ['week', '2026-02-20T00:00:00Z', '2026-W08'],
    ['week', '2027-01-01T12:00:00Z', '2026-W53'],
    ['month', '2026-12-31T23:59:59Z', '2026-12'],
  ] as const)('the %s holding %s is %s', (kind, at, expected) => {
    expect(reportPeriodAt(kind, new Date(at)).label).toBe(expected);
  });
});
