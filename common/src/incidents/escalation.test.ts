import {
  DEFAULT_ESCALATION_LADDER,
  ESCALATION_ALERTS,
  actionItemEscalation,
  escalationLadderProblem,
  incidentEscalations,
  postmortemEscalation,
} from './escalation';
import type { IncidentFacts } from './rules';

// 2026-11-30 is a Monday.
const START = '2026-11-30T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000);
const incident = (over: Partial<IncidentFacts> = {}) => ({
  id: 'inc-1',
  title: 'Checkout down',
  service: 'checkout',
  severity: 'S1' as const,
  status: 'investigating' as const,
  startedAt: START,
  detectedAt: null,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  roles: {},
  checklist: {},
  ...over,
});
const names = (alerts: { labels: Record<string, string> }[]) =>
  alerts.map((a) => `${a.labels.alertname}${a.labels.escalation ? `/${a.labels.escalation}` : ''}`);

describe('the acknowledgement ladder', () => {
  test.each([
    ['S1', 4, []],
    ['S1', 5, []], // due at 5 minutes: overdue only after it
    ['S1', 6, ['L1']],
    ['S1', 10, ['L1', 'L2']],
    ['S1', 19, ['L1', 'L2']],
    ['S1', 20, ['L1', 'L2', 'EM']],
    ['S1', 29, ['L1', 'L2', 'EM']],
    ['S2', 25, ['L1', 'L2', 'EM']],
    ['S2', 45, ['L1', 'L2', 'EM', 'Director']],
    ['S3', 45, ['L1']], // business-hours incidents stay with the on-call
    ['S4', 45, []],
  ] as const)('%s unacknowledged after %i min → %j', (severity, minutes, levels) => {
    const alerts = incidentEscalations(incident({ severity }), [], at(minutes));
    const ack = alerts.filter((a) => a.labels.alertname === ESCALATION_ALERTS.ackOverdue);
    expect(ack.map((a) => a.labels.escalation)).toEqual(levels);
  });

  test('each level starts when it was reached, labelled for routing, with the acknowledge link', () => {
    const alerts = incidentEscalations(incident(), [], at(31));
    expect(alerts.filter((a) => a.labels.escalation)).toEqual([
      expect.objectContaining({ startsAt: at(5).toISOString(), acknowledge: true }),
      expect.objectContaining({ startsAt: at(10).toISOString() }),
      expect.objectContaining({ startsAt: at(20).toISOString() }),
      expect.objectContaining({
        startsAt: at(30).toISOString(),
        labels: {
          alertname: 'OpsdeckIncidentAckOverdue',
          incident: 'inc-1',
          severity: 'S1',
          service: 'checkout',
          escalation: 'Director',
        },
      }),
    ]);
  });

  test('counts from detection and follows a configured ladder', () => {
    const detected = incident({ detectedAt: at(10).toISOString() });
    const ladder = { L2: 6, EM: 8, Director: 60 };
    expect(names(incidentEscalations(detected, [], at(15), ladder))).toEqual([]);
    expect(names(incidentEscalations(detected, [], at(18), ladder))).toEqual([
      'OpsdeckIncidentAckOverdue/L1',
      'OpsdeckIncidentAckOverdue/L2',
      'OpsdeckIncidentAckOverdue/EM',
    ]);
  });

  test('acknowledging or resolving ends every escalation', () => {
    const acked = incident({ acknowledgedAt: at(7).toISOString() });
    expect(names(incidentEscalations(acked, [], at(29)))).toEqual([]);
    const resolved = incident({ status: 'resolved', resolvedAt: at(50).toISOString() });
    expect(incidentEscalations(resolved, [], at(60))).toEqual([]);
  });

  test.each([
    [{ L2: 10, EM: 20, Director: 30 }, null],
    [{ L2: 5, EM: 20, Director: 30 }, 'L2 (5 min) must come after the acknowledgement deadline (5 min)'],
    [{ L2: 10, EM: 10, Director: 30 }, 'EM (10 min) must come after L2 (10 min)'],
    [{ L2: 10, EM: 20, Director: Number.NaN }, 'Director (NaN min) must come after EM (20 min)'],
  ])('ladder %j: %s', (ladder, problem) => {
    expect(escalationLadderProblem(ladder)).toBe(problem);
  });
  test('the default ladder is valid', () =>
    expect(escalationLadderProblem(DEFAULT_ESCALATION_LADDER)).toBeNull());
});

describe('comms and RTO', () => {
  test.each([
    ['S1', 29, 'acknowledged', []],
    ['S1', 31, 'acknowledged', ['OpsdeckIncidentCommsDue', 'OpsdeckIncidentRtoBreached']],
    ['S2', 31, 'acknowledged', ['OpsdeckIncidentCommsDue']],
    ['S2', 121, 'acknowledged', ['OpsdeckIncidentCommsDue', 'OpsdeckIncidentRtoBreached']],
    ['S2', 121, 'mitigated', ['OpsdeckIncidentCommsDue']],
    ['S1', 90, 'mitigated late', ['OpsdeckIncidentCommsDue']],
    ['S3', 600, 'acknowledged', []],
  ] as const)('%s after %i min, %s → %j', (severity, minutes, state, expected) => {
    const i = incident({
      severity,
      acknowledgedAt: at(1).toISOString(),
      mitigatedAt:
        state === 'mitigated'
          ? at(60).toISOString()
          : state === 'mitigated late'
            ? at(80).toISOString()
            : null,
    });
    expect(names(incidentEscalations(i, [], at(minutes)))).toEqual(expected);
  });

  test('a comms entry resets the cadence; the alert starts when the update was due', () => {
    const i = incident({ acknowledgedAt: at(1).toISOString() });
    const comms = [{ kind: 'comms' as const, at: at(20).toISOString() }];
    expect(names(incidentEscalations(i, comms, at(45)))).toEqual(['OpsdeckIncidentRtoBreached']);
    const due = incidentEscalations(i, comms, at(51)).find((a) => a.labels.alertname.endsWith('CommsDue'));
    expect(due?.startsAt).toBe(at(50).toISOString());
    expect(due?.acknowledge).toBe(false);
  });
});

describe('postmortems and action items', () => {
  const resolved = incident({ status: 'resolved', resolvedAt: '2026-12-04T15:00:00Z' });
  test.each([
    ['2026-12-11T23:59:59Z', 'draft', false],
    ['2026-12-12T00:00:00Z', 'draft', true],
    ['2026-12-12T00:00:00Z', 'in-review', true],
    ['2026-12-20T00:00:00Z', 'published', false],
  ] as const)('postmortem at %s, %s → overdue %s', (now, status, overdue) => {
    const a = postmortemEscalation(resolved, { dueAt: '2026-12-11T23:59:59.999Z', status }, new Date(now));
    expect(a === null ? null : a.labels.alertname).toBe(overdue ? 'OpsdeckPostmortemOverdue' : null);
    if (a) expect(a.startsAt).toBe('2026-12-11T23:59:59.999Z');
  });

  test.each([
    ['2026-12-10T23:00:00Z', 'open', false],
    ['2026-12-11T00:00:01Z', 'open', true],
    ['2026-12-11T00:00:01Z', 'in-progress', true],
    ['2026-12-11T00:00:01Z', 'done', false],
    ['2026-12-11T00:00:01Z', 'wont-do', false],
  ] as const)('action item due 2026-12-10 at %s, %s → overdue %s', (now, status, overdue) => {
    const item = { id: 'ai-1', title: 'Add a canary', owner: 'dana', dueDate: '2026-12-10', status };
    const a = actionItemEscalation(resolved, item, new Date(now));
    expect(a?.labels ?? null).toEqual(
      overdue
        ? {
            alertname: 'OpsdeckActionItemOverdue',
            incident: 'inc-1',
            severity: 'S1',
            service: 'checkout',
            action_item: 'ai-1',
            owner: 'dana',
          }
        : null,
    );
    if (a) expect(a.startsAt).toBe('2026-12-11T00:00:00.000Z');
  });
});
