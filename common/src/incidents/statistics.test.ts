import { ackOverdue } from './rules';
import {
  type StatisticsFacts,
  incidentStatistics,
  secondsToAcknowledge,
  secondsToResolve,
} from './statistics';

const incident = (over: Partial<StatisticsFacts> = {}): StatisticsFacts => ({
  severity: 'S1',
  status: 'investigating',
  startedAt: '2026-12-01T10:00:00Z',
  detectedAt: null,
  acknowledgedAt: null,
  resolvedAt: null,
  ...over,
});
const now = new Date('2026-12-01T10:10:00Z');

describe('secondsToAcknowledge and secondsToResolve', () => {
  it.each<[string, Partial<StatisticsFacts>, number | null, number | null]>([
    ['open and unacknowledged', {}, null, null],
    ['acknowledged, from the start', { acknowledgedAt: '2026-12-01T10:04:00Z' }, 240, null],
    [
      'acknowledged, from detection',
      { detectedAt: '2026-12-01T10:02:00Z', acknowledgedAt: '2026-12-01T10:04:30Z' },
      150,
      null,
    ],
    [
      'resolved, from the start (not detection)',
      {
        status: 'resolved',
        detectedAt: '2026-12-01T10:30:00Z',
        acknowledgedAt: '2026-12-01T10:31:00Z',
        resolvedAt: '2026-12-01T11:30:00Z',
      },
      60,
      5400,
    ],
    [
      'an acknowledgement recorded before detection counts as 0',
      { detectedAt: '2026-12-01T10:05:00Z', acknowledgedAt: '2026-12-01T10:04:00Z' },
      0,
      null,
    ],
  ])('%s', (_name, over, tta, ttr) => {
    expect(secondsToAcknowledge(incident(over))).toBe(tta);
    expect(secondsToResolve(incident(over))).toBe(ttr);
  });
});

describe('ackOverdue', () => {
  it.each<[string, Partial<StatisticsFacts>, Date, boolean]>([
    ['S1 unacknowledged past 5 minutes', {}, now, true],
    ['S1 at exactly 5:00 is on time', {}, new Date('2026-12-01T10:05:00Z'), false],
    ['S1 5 minutes after detection, not the start', { detectedAt: '2026-12-01T10:06:00Z' }, now, false],
    ['S1 acknowledged', { acknowledgedAt: '2026-12-01T10:08:00Z' }, now, false],
    ['S1 resolved unacknowledged', { status: 'resolved', resolvedAt: '2026-12-01T10:09:00Z' }, now, false],
    ['S4 is tracked, never due', { severity: 'S4' }, now, false],
    // Tuesday 10:00 UTC is inside the default business hours, so S3's 5 minutes run at once.
    ['S3 in business hours', { severity: 'S3' }, now, true],
    // Saturday: S3's 5 minutes run from Monday's opening.
    [
      'S3 on a Saturday',
      { severity: 'S3', startedAt: '2026-12-05T10:00:00Z' },
      new Date('2026-12-05T12:00:00Z'),
      false,
    ],
  ])('%s', (_name, over, at, overdue) => {
    expect(ackOverdue(incident(over), at)).toBe(overdue);
  });
});

describe('incidentStatistics', () => {
  const resolved = (
    minutesToAck: number,
    minutesToResolve: number,
    severity: StatisticsFacts['severity'] = 'S1',
  ) =>
    incident({
      severity,
      status: 'resolved',
      acknowledgedAt: new Date(Date.parse('2026-12-01T10:00:00Z') + minutesToAck * 60_000).toISOString(),
      resolvedAt: new Date(Date.parse('2026-12-01T10:00:00Z') + minutesToResolve * 60_000).toISOString(),
    });

  it.each<[string, StatisticsFacts[], StatisticsFacts[], ReturnType<typeof incidentStatistics>]>([
    [
      'nothing',
      [],
      [],
      { incidents: 0, open: 0, resolved: 0, ackOverdue: 0, mttaSeconds: null, mttrSeconds: null },
    ],
    [
      'two resolved',
      [resolved(2, 30), resolved(4, 90)],
      [],
      { incidents: 2, open: 0, resolved: 2, ackOverdue: 0, mttaSeconds: 180, mttrSeconds: 3600 },
    ],
    [
      'S4 counts toward MTTR but not MTTA',
      [resolved(2, 30), resolved(60, 120, 'S4')],
      [],
      { incidents: 2, open: 0, resolved: 2, ackOverdue: 0, mttaSeconds: 120, mttrSeconds: 4500 },
    ],
    [
      'open ones: unacknowledged S1 overdue, S4 not, acknowledged S2 not',
      [resolved(1, 10), incident()],
      [
        incident(),
        incident({ severity: 'S4' }),
        incident({ severity: 'S2', acknowledgedAt: '2026-12-01T10:01:00Z' }),
      ],
      { incidents: 2, open: 3, resolved: 1, ackOverdue: 1, mttaSeconds: 60, mttrSeconds: 600 },
    ],
    [
      'acknowledged but open in range: MTTA only',
      [incident({ acknowledgedAt: '2026-12-01T10:03:00Z' })],
      [],
      { incidents: 1, open: 0, resolved: 0, ackOverdue: 0, mttaSeconds: 180, mttrSeconds: null },
    ],
  ])('%s', (_name, inRange, open, expected) => {
    expect(incidentStatistics(inRange, open, now)).toEqual(expected);
  });
});
