import type { Approval, Change } from '../api/change';
import { APPROVAL_MATRIX, PRE_DEPLOY_CHECKLIST } from './matrix';
import {
  approvalProblem,
  changeFailureRate,
  checkCanaryStep,
  checkChangeTransition,
  checkComplete,
  checkStart,
  checkWindow,
  missingApprovals,
  missingChecklist,
  nextCanaryStage,
} from './rules';
import { highRiskOccurrences } from './windows';

const approval = (role: Approval['role'], approver: string): Approval => ({
  role,
  approver,
  at: '2026-11-30T00:00:00Z',
  comment: null,
});
const allTicked = Object.fromEntries(PRE_DEPLOY_CHECKLIST.map((i) => [i.id, true]));

type Facts = Pick<
  Change,
  'status' | 'risk' | 'owner' | 'approvals' | 'checklist' | 'rollbackPlan' | 'plannedEnd' | 'canary'
>;
const change = (over: Partial<Facts> = {}): Facts => ({
  status: 'approved',
  risk: 'Low',
  owner: 'ana',
  approvals: [],
  checklist: allTicked,
  rollbackPlan: '',
  plannedEnd: null,
  canary: [],
  ...over,
});

describe('approval matrix', () => {
  test.each([
    ['Low', [], ['self']],
    ['Low', [approval('self', 'ana')], []],
    ['Med', [], ['peer', 'oncall']],
    ['Med', [approval('peer', 'bo')], ['oncall']],
    ['Med', [approval('peer', 'bo'), approval('oncall', 'cy')], []],
    ['High', [], ['em', 'oncall']],
    ['High', [approval('oncall', 'cy')], ['em']],
    ['High', [approval('em', 'di'), approval('oncall', 'cy')], []],
  ] as const)('%s with %j misses %j', (risk, approvals, missing) => {
    expect(missingApprovals({ risk, approvals: [...approvals] })).toEqual(missing);
  });

  test('the matrix is the guide: Low self, Med peer + on-call, High EM + on-call', () => {
    expect(APPROVAL_MATRIX).toEqual({ Low: ['self'], Med: ['peer', 'oncall'], High: ['em', 'oncall'] });
  });

  test.each([
    ['Low', 'self', 'ana', [], null],
    ['Low', 'self', 'bo', [], /"self" approval is the owner's \(ana\)/],
    ['Low', 'peer', 'bo', [], /Low risk change needs self \(owner\), not peer/],
    ['Med', 'peer', 'ana', [], /owner \(ana\) cannot give the peer approval/],
    ['Med', 'oncall', 'bo', [approval('peer', 'bo')], /bo already approved as peer/],
    ['Med', 'peer', 'cy', [approval('peer', 'bo')], /already given by bo/],
    ['High', 'em', 'di', [], null],
    ['High', 'self', 'ana', [], /needs engineering manager \+ on-call/],
  ] as const)('%s: %s by %s → %s', (risk, role, approver, approvals, problem) => {
    const result = approvalProblem({ owner: 'ana', risk, approvals: [...approvals] }, role, approver);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toMatch(problem);
  });
});

describe('pre-deploy checklist', () => {
  test('names each missing item; a written rollback plan counts', () => {
    expect(missingChecklist({ checklist: {}, rollbackPlan: '' })).toEqual(
      PRE_DEPLOY_CHECKLIST.map((i) => i.id),
    );
    expect(
      missingChecklist({ checklist: { 'tests-green': true, backups: true }, rollbackPlan: 'helm rollback' }),
    ).toEqual(['health-checks', 'comms-drafted']);
    expect(missingChecklist({ checklist: allTicked, rollbackPlan: '' })).toEqual([]);
  });

  test('start refusal names missing approvals and checklist fields', () => {
    const refusal = checkStart(
      change({
        status: 'proposed',
        risk: 'Med',
        approvals: [approval('peer', 'bo')],
        checklist: { 'tests-green': true },
      }),
      [],
      new Date(),
    );
    expect(refusal?.reason).toBe('rule');
    expect(refusal?.details?.map((d) => d.field)).toEqual([
      'approvals',
      'checklist.health-checks',
      'checklist.backups',
      'checklist.comms-drafted',
      'checklist.rollback-plan',
    ]);
    expect(refusal?.message).toContain('missing on-call approval');
  });
});

describe('High risk only inside the default Tue/Thu 02:00–04:00 UTC window', () => {
  const high = change({ risk: 'High', approvals: [approval('em', 'di'), approval('oncall', 'cy')] });
  // 2026-12-01 is a Tuesday, 2026-12-03 a Thursday.
  test.each([
    ['2026-12-01T01:59:59Z', false, '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T02:00:00Z', true, null],
    ['2026-12-01T03:59:59Z', true, null],
    ['2026-12-01T04:00:00Z', false, '2026-12-03T02:00:00.000Z'],
    ['2026-12-02T03:00:00Z', false, '2026-12-03T02:00:00.000Z'], // Wednesday
    ['2026-12-03T02:30:00Z', true, null],
    ['2026-12-03T04:00:01Z', false, '2026-12-08T02:00:00.000Z'], // Thursday after → next Tuesday
    ['2026-12-05T03:00:00Z', false, '2026-12-08T02:00:00.000Z'], // Saturday
    // Non-UTC offsets denote the same instants: Monday 21:30 in New York is Tuesday 02:30 UTC.
    ['2026-11-30T21:30:00-05:00', true, null],
    ['2026-11-30T20:59:00-05:00', false, '2026-12-01T02:00:00.000Z'],
    // Tuesday 03:30 in Berlin is Tuesday 02:30 UTC; Tuesday 05:30 in Berlin is 04:30 UTC, too late.
    ['2026-12-01T03:30:00+01:00', true, null],
    ['2026-12-01T05:30:00+01:00', false, '2026-12-03T02:00:00.000Z'],
    // Thursday 07:45 in Kolkata (+05:30) is 02:15 UTC.
    ['2026-12-03T07:45:00+05:30', true, null],
  ])('start at %s allowed %s', (at, allowed, next) => {
    const now = new Date(at);
    const refusal = checkStart(high, highRiskOccurrences([], now), now);
    if (allowed) {
      expect(refusal).toBeNull();
    } else {
      expect(refusal?.reason).toBe('rule');
      expect(refusal?.message).toContain('only inside a maintenance window');
      expect(refusal?.message).toContain(`next allowed slot is ${next}`);
      expect(refusal?.nextSlot?.start).toBe(next);
    }
  });

  test('Low and Med risk are not restricted to windows', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(checkWindow({ risk: 'Med', plannedEnd: null }, highRiskOccurrences([], now), now)).toEqual({
      ok: true,
      occurrence: null,
    });
  });

  test('a planned end past the window close is refused', () => {
    const now = new Date('2026-12-01T03:00:00Z');
    const r = checkWindow(
      { risk: 'High', plannedEnd: '2026-12-01T04:30:00Z' },
      highRiskOccurrences([], now),
      now,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('after the current window closes at 2026-12-01T04:00:00.000Z');
  });
});

describe('High risk with stored windows in a non-UTC time zone', () => {
  // Tuesdays and Thursdays 02:00–04:00 in New York: 07:00–09:00 UTC in winter, 06:00–08:00 in summer.
  const ny = {
    id: 'ny',
    timeZone: 'America/New_York',
    schedule: {
      kind: 'weekly' as const,
      days: ['TU' as const, 'TH' as const],
      startTime: '02:00',
      durationMinutes: 120,
    },
  };
  test.each([
    ['2026-12-01T02:30:00Z', false, '2026-12-01T07:00:00.000Z'], // the UTC default would allow this
    ['2026-12-01T07:00:00Z', true, null],
    ['2026-12-01T08:59:59Z', true, null],
    ['2026-12-01T09:00:00Z', false, '2026-12-03T07:00:00.000Z'],
    ['2026-12-01T02:30:00-05:00', true, null],
    ['2026-07-07T06:30:00Z', true, null], // summer time (EDT, UTC−4)
    ['2026-07-07T08:30:00Z', false, '2026-07-09T06:00:00.000Z'],
  ])('start at %s allowed %s', (at, allowed, next) => {
    const now = new Date(at);
    const r = checkWindow({ risk: 'High', plannedEnd: null }, highRiskOccurrences([ny], now), now);
    expect(r.ok).toBe(allowed);
    if (!r.ok) expect(r.nextSlot?.start).toBe(next);
  });
});

describe('status transitions', () => {
  test.each([
    ['proposed', 'approved', true],
    ['proposed', 'cancelled', true],
    ['proposed', 'in-progress', false],
    ['approved', 'in-progress', true],
    ['approved', 'cancelled', true],
    ['approved', 'completed', false],
    ['in-progress', 'completed', true],
    ['in-progress', 'rolled-back', true],
    ['in-progress', 'failed', true],
    ['in-progress', 'cancelled', false],
    ['completed', 'rolled-back', false],
    ['failed', 'in-progress', false],
    ['cancelled', 'approved', false],
    ['rolled-back', 'completed', false],
  ] as const)('%s → %s legal: %s', (from, to, legal) => {
    expect(checkChangeTransition(from, to) === null).toBe(legal);
  });

  test('final states say so', () => {
    expect(checkChangeTransition('completed', 'failed')?.message).toBe(
      'cannot go from completed to failed; completed is final',
    );
  });
});

describe('canary', () => {
  const stage = (percent: number, decision: 'proceed' | 'halt' = 'proceed') => ({
    percent,
    decision,
    at: '2026-12-01T02:00:00Z',
    reasons: [],
  });
  test.each([
    [[], 5],
    [[stage(5)], 25],
    [[stage(5), stage(25, 'halt')], 25],
    [[stage(5), stage(25), stage(50)], 100],
    [[stage(5), stage(25), stage(50), stage(100)], null],
  ])('after %j the next stage is %s', (canary, next) => {
    expect(nextCanaryStage(canary)).toBe(next);
  });

  test.each([
    ['in-progress', [], 5, null],
    ['in-progress', [], 25, /next canary stage is 5 %, not 25 %/],
    ['in-progress', [stage(5)], 30, /30 is not one/],
    ['approved', [], 5, /while the change is in-progress; it is approved/],
    ['in-progress', [stage(5), stage(25), stage(50), stage(100)], 100, /already reached 100 %/],
  ] as const)('%s with %j asking %i → %s', (status, canary, percent, problem) => {
    const r = checkCanaryStep({ status, canary: [...canary] }, percent);
    if (problem === null) expect(r).toBeNull();
    else expect(r?.message).toMatch(problem);
  });

  test('completion waits for 100 % once a canary started', () => {
    expect(checkComplete({ status: 'in-progress', canary: [stage(5)] })?.message).toContain(
      'not reached 100 %',
    );
    expect(
      checkComplete({ status: 'in-progress', canary: [stage(5), stage(25), stage(50), stage(100)] }),
    ).toBeNull();
    expect(checkComplete({ status: 'in-progress', canary: [] })).toBeNull();
  });
});

test.each([
  [{}, null],
  [{ completed: 3, 'rolled-back': 1 }, 0.25],
  [{ completed: 1, failed: 1, 'rolled-back': 2, cancelled: 5 }, 0.75],
])('change failure rate of %j is %s', (counts, rate) => {
  expect(changeFailureRate(counts)).toBe(rate);
});
