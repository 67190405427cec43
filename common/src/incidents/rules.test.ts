import type { IncidentFacts } from './rules';
import {
  actionItemOverdue,
  checkIncidentTransition,
  checklistState,
  incidentFlags,
  incidentTimestampProblems,
  postmortemDueAt,
  postmortemDueDate,
  postmortemOverdue,
  statusPageEntry,
  statusPageMarkdown,
  statusTimestamps,
} from './rules';
import { addBusinessDays, isBusinessTime, nextBusinessTime } from './business-hours';

// 2026-11-30 is a Monday.
const START = '2026-11-30T10:00:00.000Z';
const at = (minutes: number, seconds = 0) => new Date(Date.parse(START) + minutes * 60_000 + seconds * 1000);

const incident = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  severity: 'S1',
  status: 'investigating',
  startedAt: START,
  detectedAt: null,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  roles: {},
  checklist: {},
  ...over,
});

describe('ack overdue', () => {
  test.each([
    ['S1', 4, 59, false],
    ['S1', 5, 0, false],
    ['S1', 5, 1, true],
    ['S2', 4, 59, false],
    ['S2', 5, 1, true],
    ['S3', 5, 1, true], // Monday 10:00 UTC is business time
    ['S4', 60, 0, false], // tracked only: no page, no ack due
  ] as const)('%s at %i:%i → %s', (severity, m, s, overdue) => {
    expect(incidentFlags(incident({ severity }), [], at(m, s)).ackOverdue).toBe(overdue);
  });

  test('counts from detection when recorded', () => {
    const i = incident({ detectedAt: at(10).toISOString() });
    expect(incidentFlags(i, [], at(14, 59)).ackOverdue).toBe(false);
    expect(incidentFlags(i, [], at(15, 1)).ackOverdue).toBe(true);
  });

  test('never overdue once acknowledged or resolved', () => {
    expect(incidentFlags(incident({ acknowledgedAt: at(7).toISOString() }), [], at(60)).ackOverdue).toBe(
      false,
    );
    expect(
      incidentFlags(incident({ status: 'resolved', resolvedAt: at(3).toISOString() }), [], at(60)).ackOverdue,
    ).toBe(false);
  });

  test('S3 outside business hours is due 5 minutes after the next opening', () => {
    // Saturday 2026-12-05 22:00 UTC → Monday 2026-12-07 09:05 UTC.
    const i = incident({ severity: 'S3', startedAt: '2026-12-05T22:00:00Z' });
    const flags = incidentFlags(i, [], new Date('2026-12-07T09:04:59Z'));
    expect(flags.ackDueAt).toBe('2026-12-07T09:05:00.000Z');
    expect(flags.ackOverdue).toBe(false);
    expect(incidentFlags(i, [], new Date('2026-12-07T09:05:01Z')).ackOverdue).toBe(true);
  });

  test('S3 business hours follow the given time zone', () => {
    // 07:30 UTC on Monday is 08:30 in Berlin (UTC+1 in winter): opening at 09:00 Berlin = 08:00 UTC.
    const i = incident({ severity: 'S3', startedAt: '2026-11-30T07:30:00Z' });
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' };
    expect(incidentFlags(i, [], at(0), { businessHours: hours }).ackDueAt).toBe('2026-11-30T08:05:00.000Z');
  });
});

describe('comms cadence', () => {
  test.each([
    ['S1', 29, false, '2026-11-30T10:30:00.000Z'],
    ['S1', 31, true, '2026-11-30T10:30:00.000Z'],
    ['S2', 31, true, '2026-11-30T10:30:00.000Z'],
    ['S3', 31, false, null],
    ['S4', 31, false, null],
  ] as const)('%s after %i min without comms: overdue %s', (severity, minutes, overdue, due) => {
    const flags = incidentFlags(incident({ severity }), [], at(minutes));
    expect(flags.nextCommsDueAt).toBe(due);
    expect(flags.commsOverdue).toBe(overdue);
  });

  test('counts from the latest comms entry, not notes', () => {
    const timeline = [
      { kind: 'comms' as const, at: at(20).toISOString() },
      { kind: 'note' as const, at: at(40).toISOString() },
      { kind: 'comms' as const, at: at(10).toISOString() },
    ];
    const flags = incidentFlags(incident(), timeline, at(45));
    expect(flags.nextCommsDueAt).toBe(at(50).toISOString());
    expect(flags.commsOverdue).toBe(false);
    expect(incidentFlags(incident(), timeline, at(51)).commsOverdue).toBe(true);
  });

  test('no comms due once resolved', () => {
    const flags = incidentFlags(
      incident({ status: 'resolved', resolvedAt: at(20).toISOString() }),
      [],
      at(90),
    );
    expect(flags.nextCommsDueAt).toBeNull();
    expect(flags.commsOverdue).toBe(false);
  });
});

describe('RTO', () => {
  test.each([
    ['S1', 29, false],
    ['S1', 30, true], // the guide says RTO < 30m: reaching 30 minutes is a breach
    ['S1', 31, true],
    ['S2', 119, false],
    ['S2', 121, true],
    ['S3', 600, false],
    ['S4', 600, false],
  ] as const)('%s open after %i min: breached %s', (severity, minutes, breached) => {
    expect(incidentFlags(incident({ severity }), [], at(minutes)).rtoBreached).toBe(breached);
  });

  test('recovery is mitigation; later clock does not matter', () => {
    const i = incident({ status: 'monitoring', mitigatedAt: at(25).toISOString() });
    expect(incidentFlags(i, [], at(300)).rtoBreached).toBe(false);
    const late = incident({ severity: 'S2', status: 'resolved', resolvedAt: at(130).toISOString() });
    expect(incidentFlags(late, [], at(131)).rtoBreached).toBe(true);
    expect(incidentFlags(late, [], at(131)).rtoDueAt).toBe(at(120).toISOString());
  });
});

describe('lifecycle', () => {
  test.each([
    ['investigating', 'identified', true],
    ['investigating', 'monitoring', true],
    ['investigating', 'resolved', true],
    ['identified', 'monitoring', true],
    ['identified', 'investigating', true],
    ['monitoring', 'resolved', true],
    ['monitoring', 'investigating', true],
    ['resolved', 'investigating', true],
    ['resolved', 'identified', false],
    ['resolved', 'monitoring', false],
    ['investigating', 'investigating', false],
    ['resolved', 'resolved', false],
  ] as const)('%s → %s legal: %s', (from, to, ok) => {
    const r = checkIncidentTransition(
      { status: from, resolvedAt: from === 'resolved' ? START : null },
      to,
      at(60),
    );
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toBe('illegal');
  });

  test('reopen is refused after 72 h with the deadline in the message', () => {
    const r = checkIncidentTransition(
      { status: 'resolved', resolvedAt: START },
      'investigating',
      at(72 * 60 + 1),
    );
    expect(r).toEqual({
      ok: false,
      reason: 'rule',
      message: expect.stringContaining('2026-12-03T10:00:00.000Z'),
    });
    expect(
      checkIncidentTransition({ status: 'resolved', resolvedAt: START }, 'investigating', at(72 * 60)).ok,
    ).toBe(true);
  });

  test('status changes stamp acknowledgement, mitigation and resolution', () => {
    expect(statusTimestamps({ acknowledgedAt: null, mitigatedAt: null }, 'identified', at(3))).toEqual({
      acknowledgedAt: at(3).toISOString(),
      resolvedAt: null,
    });
    expect(statusTimestamps({ acknowledgedAt: START, mitigatedAt: null }, 'monitoring', at(20))).toEqual({
      mitigatedAt: at(20).toISOString(),
      resolvedAt: null,
    });
    expect(
      statusTimestamps({ acknowledgedAt: START, mitigatedAt: at(20).toISOString() }, 'resolved', at(40)),
    ).toEqual({
      resolvedAt: at(40).toISOString(),
    });
  });
});

describe('timestamps an edit may write', () => {
  const t = (minutes: number) => at(minutes).toISOString();
  const now = at(60);
  const resolved = incident({
    status: 'resolved',
    detectedAt: t(2),
    acknowledgedAt: t(5),
    mitigatedAt: t(20),
    resolvedAt: t(40),
  });

  test.each([
    [
      'a resolution time on an open incident',
      'resolvedAt',
      incident(),
      { resolvedAt: t(30) },
      /^is set by resolving/,
    ],
    [
      'clearing the resolution of a resolved one',
      'resolvedAt',
      resolved,
      { resolvedAt: null },
      /^cannot be cleared while the incident is resolved/,
    ],
    [
      'resolution before mitigation',
      'resolvedAt',
      resolved,
      { resolvedAt: t(10) },
      /^must not be before mitigatedAt/,
    ],
    ['start after detection', 'startedAt', resolved, { startedAt: t(3) }, /^must not be after detectedAt/],
    [
      'acknowledgement before detection',
      'acknowledgedAt',
      resolved,
      { acknowledgedAt: t(1) },
      /^must not be before detectedAt/,
    ],
    [
      'acknowledgement after resolution',
      'acknowledgedAt',
      resolved,
      { acknowledgedAt: t(41) },
      /^must not be after resolvedAt/,
    ],
    [
      'detection in the future',
      'detectedAt',
      incident(),
      { detectedAt: t(61) },
      /^must not be in the future/,
    ],
    [
      'acknowledging by an edit',
      'acknowledgedAt',
      incident(),
      { acknowledgedAt: t(5) },
      /^is set by acknowledging/,
    ],
    [
      'clearing an acknowledgement',
      'acknowledgedAt',
      resolved,
      { acknowledgedAt: null },
      /^cannot be cleared/,
    ],
    [
      'clearing mitigation while monitoring',
      'mitigatedAt',
      incident({ status: 'monitoring', mitigatedAt: t(20) }),
      { mitigatedAt: null },
      /^cannot be cleared while the incident is monitoring/,
    ],
  ] as const)('refuses %s, naming %s', (_label, field, before, edit, message) => {
    expect(incidentTimestampProblems(before, { ...before, ...edit }, now)).toEqual([
      { field, message: expect.stringMatching(message) },
    ]);
  });

  test.each([
    ['a corrected resolution', resolved, { resolvedAt: t(25) }],
    ['times moved together', resolved, { startedAt: t(-30), detectedAt: t(-25) }],
    ['mitigation while investigating', incident(), { mitigatedAt: t(10) }],
    ['mitigation cleared while investigating', incident({ mitigatedAt: t(10) }), { mitigatedAt: null }],
    ['a time equal to now', incident(), { detectedAt: t(60) }],
  ] as const)('accepts %s', (_label, before, edit) => {
    expect(incidentTimestampProblems(before, { ...before, ...edit }, now)).toEqual([]);
  });

  test('judges only rules that touch a changed field, so an old inconsistency does not block an edit', () => {
    const old = incident({ detectedAt: t(-5), acknowledgedAt: t(-6) });
    expect(incidentTimestampProblems(old, old, now)).toEqual([]);
    expect(incidentTimestampProblems(old, { ...old, acknowledgedAt: t(-7) }, now)).toEqual([
      { field: 'acknowledgedAt', message: `must not be before startedAt (${START})` },
      { field: 'acknowledgedAt', message: `must not be before detectedAt (${t(-5)})` },
    ]);
  });

  test('on creation every given time is judged, the later of two named', () => {
    expect(
      incidentTimestampProblems(undefined, incident({ detectedAt: t(-1), acknowledgedAt: t(61) }), now),
    ).toEqual([
      { field: 'acknowledgedAt', message: expect.stringMatching(/^must not be in the future/) },
      { field: 'detectedAt', message: `must not be before startedAt (${START})` },
    ]);
  });
});

describe('postmortem due date skips weekends', () => {
  test.each([
    ['2026-11-30T15:00:00Z', 'S1', '2026-12-07'], // Monday → next Monday
    ['2026-12-02T09:00:00Z', 'S2', '2026-12-09'], // Wednesday → next Wednesday
    ['2026-12-04T15:00:00Z', 'S1', '2026-12-11'], // Friday → next Friday
    ['2026-12-05T12:00:00Z', 'S1', '2026-12-11'], // Saturday → Friday
    ['2026-12-06T12:00:00Z', 'S2', '2026-12-11'], // Sunday → Friday
    ['2026-12-03T12:00:00Z', 'S1', '2026-12-10'], // Thursday → next Thursday
    ['2026-12-03T12:00:00Z', 'S3', null],
    ['2026-12-03T12:00:00Z', 'S4', null],
  ] as const)('resolved %s (%s) → %s', (resolvedAt, severity, due) => {
    expect(postmortemDueDate({ severity, resolvedAt })).toBe(due);
  });

  test('the local date decides in other time zones', () => {
    // Friday 23:30 UTC is already Saturday in Tokyo → due the following Friday there.
    expect(addBusinessDays(new Date('2026-12-04T23:30:00Z'), 5, 'Asia/Tokyo')).toBe('2026-12-11');
    // Saturday 02:00 UTC is still Friday in New York → next Friday.
    expect(addBusinessDays(new Date('2026-12-05T02:00:00Z'), 5, 'America/New_York')).toBe('2026-12-11');
    expect(addBusinessDays(new Date('2026-12-03T23:30:00Z'), 5, 'Asia/Tokyo')).toBe('2026-12-11');
  });

  test('due at the end of the day; overdue after it unless published', () => {
    const dueAt = postmortemDueAt({ severity: 'S1', resolvedAt: '2026-12-04T15:00:00Z' });
    expect(dueAt).toBe('2026-12-11T23:59:59.999Z');
    expect(postmortemOverdue(dueAt, 'draft', new Date('2026-12-11T23:59:59Z'))).toBe(false);
    expect(postmortemOverdue(dueAt, 'draft', new Date('2026-12-12T00:00:00Z'))).toBe(true);
    expect(postmortemOverdue(dueAt, null, new Date('2026-12-12T00:00:00Z'))).toBe(true);
    expect(postmortemOverdue(dueAt, 'published', new Date('2026-12-20T00:00:00Z'))).toBe(false);
    expect(postmortemOverdue(null, null, new Date('2027-12-20T00:00:00Z'))).toBe(false);
  });
});

describe('action items', () => {
  test.each([
    ['2026-12-10', 'open', '2026-12-10T23:00:00Z', false],
    ['2026-12-10', 'open', '2026-12-11T00:00:01Z', true],
    ['2026-12-10', 'in-progress', '2026-12-11T00:00:01Z', true],
    ['2026-12-10', 'done', '2027-01-01T00:00:00Z', false],
    ['2026-12-10', 'wont-do', '2027-01-01T00:00:00Z', false],
  ] as const)('due %s, %s, at %s → overdue %s', (dueDate, status, now, overdue) => {
    expect(actionItemOverdue({ dueDate, status }, new Date(now))).toBe(overdue);
  });
});

describe('business hours', () => {
  test.each([
    ['2026-11-30T08:59:59Z', false],
    ['2026-11-30T09:00:00Z', true],
    ['2026-11-30T16:59:59Z', true],
    ['2026-11-30T17:00:00Z', false],
    ['2026-12-05T12:00:00Z', false],
  ])('%s → %s', (t, inside) => expect(isBusinessTime(new Date(t))).toBe(inside));

  test('next opening from Friday evening is Monday 09:00', () => {
    expect(nextBusinessTime(new Date('2026-12-04T18:00:00Z')).toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });
});

describe('checklist', () => {
  test('facts tick items; S3 has no status-page or comms item to do', () => {
    const i = incident({
      severity: 'S3',
      acknowledgedAt: at(2).toISOString(),
      roles: { ic: 'ana', ops: 'bo', comms: 'cy', scribe: 'di' },
      checklist: { stabilize: { done: true, at: at(9).toISOString(), by: 'bo' } },
    });
    const view = checklistState(i);
    const byId = Object.fromEntries(view.items.map((x) => [x.id, x]));
    expect(byId['acknowledge']).toMatchObject({ done: true, source: 'auto', at: at(2).toISOString() });
    expect(byId['assign-roles']).toMatchObject({ done: true, source: 'auto' });
    expect(byId['stabilize']).toMatchObject({ done: true, source: 'manual', by: 'bo' });
    expect(byId['channel-and-status-page']).toMatchObject({ applicable: false, done: false });
    expect(byId['comms-cadence']).toMatchObject({ applicable: false });
    expect(view).toMatchObject({ done: 3, applicable: 4 });
  });

  test('resolve-and-postmortem needs the postmortem for S1', () => {
    const i = incident({ status: 'resolved', resolvedAt: at(30).toISOString() });
    const item = (v: ReturnType<typeof checklistState>) =>
      v.items.find((x) => x.id === 'resolve-and-postmortem');
    expect(item(checklistState(i))?.done).toBe(false);
    expect(item(checklistState(i, { postmortemScheduled: true }))?.done).toBe(true);
    expect(checklistState(i).applicable).toBe(6);
  });
});

describe('status page', () => {
  test('public timeline holds status and comms only, in time order, with every section', () => {
    const view = statusPageEntry(
      {
        title: 'Checkout errors',
        severity: 'S2',
        status: 'monitoring',
        startedAt: START,
        resolvedAt: null,
        statusPage: {
          summary: 'Payments fail for some users',
          impact: 'About 8% of checkouts',
          mitigation: 'Rolled back v42',
          nextSteps: 'Watch error rate for 1 h',
        },
      },
      [
        { kind: 'comms', at: at(20).toISOString(), text: 'Fix deployed' },
        { kind: 'note', at: at(5).toISOString(), text: 'internal: suspect db' },
        { kind: 'status', at: at(10).toISOString(), text: 'Identified: bad deploy' },
      ],
    );
    expect(view.timeline.map((e) => e.text)).toEqual(['Identified: bad deploy', 'Fix deployed']);
    const md = statusPageMarkdown(view);
    for (const heading of ['## Summary', '## Impact', '## Timeline', '## Mitigation', '## Next steps']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('Rolled back v42');
    expect(md).not.toContain('suspect db');
    expect(md).toContain(`- **${at(10).toISOString()}** — Identified: bad deploy`);
  });
});
