// Change lifecycle over HTTP on SQLite and PostgreSQL: approvals per risk, the checklist and
// window gates with the reasons they give, every status move (illegal ones 409), canary stages
// and the deploy webhooks.
import { PRE_DEPLOY_CHECKLIST } from '@opsdeck/common';
import { STORE_KINDS, auth, useTestApp } from './support/app';

const ALL_TICKED = Object.fromEntries(PRE_DEPLOY_CHECKLIST.map((i) => [i.id, true]));
// 2026-12-01 is a Tuesday, 2026-12-02 a Wednesday.
const WEDNESDAY_NOON = '2026-12-02T12:00:00.000Z';

describe.each(STORE_KINDS)('changes on %s', (kind) => {
  const { clock, t, call } = useTestApp(kind, WEDNESDAY_NOON);

  const propose = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/changes', {
      title: 'Deploy api v2',
      kind: 'deploy',
      risk: 'Low',
      service: 'api',
      owner: 'ana',
      checklist: ALL_TICKED,
      ...body,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string };
  };
  const approve = (id: string, role: string, user: string) =>
    call('POST', `/changes/${id}/approvals`, { role }, user);

  test('Low: start refused until the owner approves and the checklist is done; the 422 names each item', async () => {
    const { id } = await propose({ checklist: { 'tests-green': true } });
    const refused = await call('POST', `/changes/${id}/start`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('rule_refused');
    expect(refused.json().details.map((d: { field: string }) => d.field)).toEqual([
      'approvals',
      'checklist.health-checks',
      'checklist.backups',
      'checklist.comms-drafted',
      'checklist.rollback-plan',
    ]);
    expect(refused.json().message).toContain('missing self (owner) approval');
    expect(refused.json().message).toContain('not done: Backups / snapshots taken');

    const notOwner = await approve(id, 'self', 'bo');
    expect(notOwner.statusCode).toBe(422);
    expect(notOwner.json().message).toContain(`the "self" approval is the owner's (ana); bo cannot give it`);
    const approved = await approve(id, 'self', 'ana');
    expect(approved.json()).toMatchObject({
      status: 'approved',
      approvals: [{ role: 'self', approver: 'ana' }],
    });

    const readiness = (await call('GET', `/changes/${id}/readiness`)).json();
    expect(readiness).toMatchObject({ missingApprovals: [], windowRequired: false });
    expect(readiness.missingChecklist.map((i: { id: string }) => i.id)).toEqual([
      'health-checks',
      'backups',
      'comms-drafted',
      'rollback-plan',
    ]);

    const stillRefused = await call('POST', `/changes/${id}/start`);
    expect(stillRefused.statusCode).toBe(422);
    expect(stillRefused.json().details.map((d: { field: string }) => d.field)).not.toContain('approvals');

    await call('PATCH', `/changes/${id}`, { checklist: ALL_TICKED, version: 2 });
    const started = await call('POST', `/changes/${id}/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in-progress', startedAt: WEDNESDAY_NOON });
  });

  test('Med: peer + on-call, two people other than the owner', async () => {
    const { id } = await propose({ risk: 'Med' });
    expect((await approve(id, 'self', 'ana')).json().message).toContain(
      'Med risk change needs peer + on-call, not self (owner)',
    );
    expect((await approve(id, 'peer', 'ana')).json().message).toContain(
      'the owner (ana) cannot give the peer approval',
    );
    expect((await approve(id, 'peer', 'bo')).json().status).toBe('proposed');
    const twice = await approve(id, 'oncall', 'bo');
    expect(twice.statusCode).toBe(422);
    expect(twice.json().message).toContain('bo already approved as peer');
    const missing = await call('POST', `/changes/${id}/start`);
    expect(missing.json().details).toEqual([{ field: 'approvals', message: 'missing on-call approval' }]);
    expect((await approve(id, 'oncall', 'cy')).json().status).toBe('approved');
    expect((await approve(id, 'oncall', 'di')).statusCode).toBe(422);
    expect((await call('POST', `/changes/${id}/start`)).statusCode).toBe(200);
    const late = await approve(id, 'peer', 'di');
    expect(late.statusCode).toBe(409);
  });

  test('raising the risk voids approvals', async () => {
    const { id } = await propose();
    await approve(id, 'self', 'ana');
    const raised = await call('PATCH', `/changes/${id}`, { risk: 'Med', version: 2 });
    expect(raised.json()).toMatchObject({ status: 'proposed', approvals: [] });
  });

  describe('High risk only inside the maintenance window', () => {
    const highApproved = async (body: Record<string, unknown> = {}) => {
      const { id } = await propose({ risk: 'High', service: 'db', ...body });
      await approve(id, 'em', 'eve');
      expect((await approve(id, 'oncall', 'cy')).json().status).toBe('approved');
      return id;
    };

    test.each([
      ['Wednesday noon', WEDNESDAY_NOON, '2026-12-03T02:00:00.000Z'],
      ['Tuesday 01:59:59', '2026-12-01T01:59:59.000Z', '2026-12-01T02:00:00.000Z'],
      ['Tuesday 04:00, the window has closed', '2026-12-01T04:00:00.000Z', '2026-12-03T02:00:00.000Z'],
      ['Thursday 04:00:01 → next Tuesday', '2026-12-03T04:00:01.000Z', '2026-12-08T02:00:00.000Z'],
      [
        'Monday 20:59 in New York (Tuesday 01:59 UTC)',
        '2026-11-30T20:59:00-05:00',
        '2026-12-01T02:00:00.000Z',
      ],
    ])('refused at %s with the next slot', async (_label, now, next) => {
      const id = await highApproved();
      clock.set(now);
      const res = await call('POST', `/changes/${id}/start`);
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toContain('High risk changes run only inside a maintenance window');
      expect(res.json().message).toContain(`the next allowed slot is ${next}`);
      expect(
        res.json().details.find((d: { field: string }) => d.field === 'nextAllowedSlot').slot.start,
      ).toBe(next);
      expect((await call('GET', `/changes/${id}/readiness`)).json().nextAllowedSlot.start).toBe(next);
    });

    test.each([
      ['Tuesday 02:00', '2026-12-01T02:00:00.000Z'],
      ['Thursday 03:59', '2026-12-03T03:59:00.000Z'],
      ['Monday 21:30 in New York (Tuesday 02:30 UTC)', '2026-11-30T21:30:00-05:00'],
      ['Thursday 07:45 in Kolkata (02:15 UTC)', '2026-12-03T07:45:00+05:30'],
    ])('accepted at %s', async (_label, now) => {
      const id = await highApproved();
      clock.set(now);
      const res = await call('POST', `/changes/${id}/start`);
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('in-progress');
    });

    test('a stored window for the service in Europe/Berlin replaces the default', async () => {
      const win = await call('POST', '/maintenance-windows', {
        name: 'Berlin db window',
        service: 'db-berlin',
        timeZone: 'Europe/Berlin',
        schedule: { kind: 'weekly', days: ['WE'], startTime: '22:00', durationMinutes: 60 },
        matchers: [{ name: 'service', op: '=', value: 'db-berlin' }],
      });
      expect(win.statusCode).toBe(201);
      const id = await highApproved({ service: 'db-berlin', maintenanceWindowId: win.json().id });
      clock.set('2026-12-01T02:30:00Z'); // inside the guide default, outside the named window
      const refused = await call('POST', `/changes/${id}/start`);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().message).toContain('the next allowed slot is 2026-12-02T21:00:00.000Z');
      clock.set('2026-12-02T22:15:00+01:00');
      expect((await call('POST', `/changes/${id}/start`)).statusCode).toBe(200);
    });
  });

  test('status moves: complete, rollback, fail, cancel, and the illegal ones', async () => {
    const started = async () => {
      const { id } = await propose();
      await approve(id, 'self', 'ana');
      expect((await call('POST', `/changes/${id}/start`)).statusCode).toBe(200);
      return id;
    };
    const a = await started();
    expect((await call('POST', `/changes/${a}/start`)).json()).toMatchObject({
      error: 'illegal_transition',
      message: 'the change is already in-progress',
    });
    expect((await call('POST', `/changes/${a}/cancel`, {})).json().message).toBe(
      'cannot go from in-progress to cancelled; from in-progress go to completed, rolled-back, failed',
    );
    clock.set('2026-12-02T12:30:00Z');
    expect((await call('POST', `/changes/${a}/complete`)).json()).toMatchObject({
      status: 'completed',
      finishedAt: '2026-12-02T12:30:00.000Z',
    });
    const afterDone = await call('POST', `/changes/${a}/rollback`, { reason: 'too late' });
    expect(afterDone.statusCode).toBe(409);
    expect(afterDone.json().message).toBe('cannot go from completed to rolled-back; completed is final');
    expect((await call('PATCH', `/changes/${a}`, { title: 'rewrite history', version: 5 })).statusCode).toBe(
      409,
    );

    const b = await started();
    const noReason = await call('POST', `/changes/${b}/rollback`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].field).toBe('body.reason');
    expect(
      (await call('POST', `/changes/${b}/rollback`, { reason: 'p95 latency doubled' })).json(),
    ).toMatchObject({ status: 'rolled-back', rollbackReason: 'p95 latency doubled' });

    const c = await started();
    expect(
      (await call('POST', `/changes/${c}/fail`, { reason: 'migration timed out' })).json(),
    ).toMatchObject({ status: 'failed', outcomeNote: 'migration timed out' });

    const { id: d } = await propose();
    expect((await call('POST', `/changes/${d}/complete`)).statusCode).toBe(409);
    expect((await call('POST', `/changes/${d}/canary`, { percent: 5, decision: 'proceed' })).statusCode).toBe(
      409,
    );
    expect((await call('POST', `/changes/${d}/cancel`, { reason: 'superseded' })).json()).toMatchObject({
      status: 'cancelled',
      outcomeNote: 'superseded',
    });
    expect((await call('POST', `/changes/${d}/start`)).statusCode).toBe(409);
    expect((await approve(d, 'self', 'ana')).statusCode).toBe(409);
    expect((await call('POST', '/changes/nope/start')).statusCode).toBe(404);
  });

  test('canary 5 → 25 → 50 → 100 with a decision recorded at each; skipping is refused; halt rolls back', async () => {
    const { id } = await propose();
    await approve(id, 'self', 'ana');
    await call('POST', `/changes/${id}/start`);
    const canary = (percent: number, decision?: string, reasons: string[] = []) =>
      call('POST', `/changes/${id}/canary`, { percent, ...(decision ? { decision } : {}), reasons });
    const skip = await canary(25, 'proceed');
    expect(skip.statusCode).toBe(422);
    expect(skip.json().message).toBe('the next canary stage is 5 %, not 25 % (stages go 5 → 25 → 50 → 100)');
    const gated = await canary(5);
    expect(gated.statusCode).toBe(200);
    expect(gated.json().canary).toEqual([
      { percent: 5, decision: 'proceed', reasons: [], at: WEDNESDAY_NOON },
    ]);
    expect((await canary(25, 'proceed')).statusCode).toBe(200);
    const early = await call('POST', `/changes/${id}/complete`);
    expect(early.statusCode).toBe(422);
    expect(early.json().message).toContain('the canary has not reached 100 % (next stage 50 %)');
    expect((await canary(30, 'proceed')).json().message).toContain('30 is not one');
    await canary(50, 'proceed');
    const full = await canary(100, 'proceed');
    expect(
      full.json().canary.map((s: { percent: number; decision: string }) => `${s.percent}:${s.decision}`),
    ).toEqual(['5:proceed', '25:proceed', '50:proceed', '100:proceed']);
    expect((await canary(100, 'proceed')).statusCode).toBe(409);
    expect((await call('POST', `/changes/${id}/complete`)).json().status).toBe('completed');

    const { id: other } = await propose();
    await approve(other, 'self', 'ana');
    await call('POST', `/changes/${other}/start`);
    await call('POST', `/changes/${other}/canary`, { percent: 5, decision: 'proceed' });
    const halted = await call('POST', `/changes/${other}/canary`, {
      percent: 25,
      decision: 'halt',
      reasons: ['page burn 1h 16.2x > 14.4x'],
    });
    expect(halted.json()).toMatchObject({
      status: 'rolled-back',
      rollbackReason: 'canary halted at 25 %: page burn 1h 16.2x > 14.4x',
      canary: [
        { percent: 5, decision: 'proceed' },
        { percent: 25, decision: 'halt', reasons: ['page burn 1h 16.2x > 14.4x'] },
      ],
    });
  });

  test('the deploy gate halts a canary while an S1 incident is open on the service', async () => {
    const { id } = await propose({ service: 'billing' });
    await approve(id, 'self', 'ana');
    await call('POST', `/changes/${id}/start`);
    expect((await call('POST', `/changes/${id}/canary`, { percent: 5 })).json().canary[0].decision).toBe(
      'proceed',
    );
    const incident = await call('POST', '/incidents', {
      title: 'Invoices fail',
      severity: 'S1',
      service: 'billing',
    });
    expect(incident.statusCode).toBe(201);
    const halted = await call('POST', `/changes/${id}/canary`, {
      percent: 25,
      decision: 'proceed',
      reasons: ['analysis ok'],
    });
    expect(halted.json()).toMatchObject({
      status: 'rolled-back',
      canary: [{ decision: 'proceed' }, { percent: 25, decision: 'halt' }],
    });
    expect(halted.json().canary[1].reasons).toEqual([
      'gate: S1 incident "Invoices fail" (investigating) is open on billing',
      'analysis ok',
    ]);
    expect(halted.json().rollbackReason).toContain(
      'canary halted at 25 %: gate: S1 incident "Invoices fail"',
    );
  });

  test('when the gate cannot answer (Prometheus down) the caller decides, or gets a 503', async () => {
    const slo = await call('POST', '/slos', {
      id: 'ledger-availability',
      name: 'Ledger availability',
      service: 'ledger',
      objective: 99.9,
      window: '30d',
      indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
    });
    expect(slo.statusCode).toBe(201);
    const { id } = await propose({ service: 'ledger' });
    await approve(id, 'self', 'ana');
    await call('POST', `/changes/${id}/start`);
    const unavailable = await call('POST', `/changes/${id}/canary`, { percent: 5 });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json().message).toContain('the deploy gate for ledger did not answer');
    const own = await call('POST', `/changes/${id}/canary`, {
      percent: 5,
      decision: 'proceed',
      reasons: ['Flagger analysis passed'],
    });
    expect(own.json().canary).toEqual([
      { percent: 5, decision: 'proceed', reasons: ['Flagger analysis passed'], at: WEDNESDAY_NOON },
    ]);
  });

  test('deploy webhook records a CI run in one call and updates it by run id', async () => {
    const started = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.2',
      status: 'started',
      id: 'gh-run-991',
      environment: 'prod',
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({
      status: 'in-progress',
      kind: 'deploy',
      risk: 'Low',
      externalId: 'gh-run-991',
      title: 'Deploy web 1.4.2 to prod',
      startedAt: WEDNESDAY_NOON,
    });
    expect(started.json().tags).toEqual(expect.arrayContaining(['version:1.4.2', 'env:prod', 'source:ci']));
    clock.set('2026-12-02T12:07:00Z');
    const done = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.2',
      status: 'succeeded',
      id: 'gh-run-991',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      id: started.json().id,
      status: 'completed',
      finishedAt: '2026-12-02T12:07:00.000Z',
    });
    const replay = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.2',
      status: 'succeeded',
      id: 'gh-run-991',
    });
    expect(replay.statusCode).toBe(200);
    const contradiction = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.2',
      status: 'failed',
      id: 'gh-run-991',
    });
    expect(contradiction.statusCode).toBe(409);
    expect(contradiction.json().message).toContain('already recorded as completed');
    const bad = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.3',
      status: 'exploded',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.status');
    const rolled = await call('POST', '/webhooks/deploy', {
      service: 'web',
      version: '1.4.3',
      status: 'rolled-back',
      reason: 'SLO burn',
    });
    expect(rolled.json()).toMatchObject({
      status: 'rolled-back',
      rollbackReason: 'SLO burn',
      externalId: 'web@1.4.3',
    });
    const viewer = await t().app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/deploy',
      headers: { ...auth('viewer'), 'content-type': 'application/json' },
      payload: JSON.stringify({ service: 'web', version: '9', status: 'started' }),
    });
    expect(viewer.statusCode).toBe(403);
  });

  test('Argo CD webhook: flat template and the whole Application object', async () => {
    const flat = await call('POST', '/webhooks/argocd', {
      app: 'checkout',
      revision: 'a1b2c3d4e5f6a7b8',
      phase: 'Running',
      startedAt: '2026-12-02T11:58:00Z',
    });
    expect(flat.statusCode).toBe(201);
    expect(flat.json()).toMatchObject({
      service: 'checkout',
      status: 'in-progress',
      startedAt: '2026-12-02T11:58:00.000Z',
      externalId: 'checkout@a1b2c3d4e5f6a7b8',
    });
    const app = {
      metadata: { name: 'checkout', namespace: 'argocd' },
      spec: { source: { repoURL: 'https://git.example/checkout' } },
      status: {
        sync: { revision: 'a1b2c3d4e5f6a7b8', status: 'Synced' },
        health: { status: 'Healthy' },
        operationState: {
          phase: 'Succeeded',
          startedAt: '2026-12-02T11:58:00Z',
          finishedAt: '2026-12-02T12:01:00Z',
        },
      },
    };
    const full = await call('POST', '/webhooks/argocd', { app });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({
      id: flat.json().id,
      status: 'completed',
      finishedAt: '2026-12-02T12:01:00.000Z',
    });
    const noPhase = await call('POST', '/webhooks/argocd', { app: 'checkout', revision: 'ffff' });
    expect(noPhase.statusCode).toBe(400);
    expect(noPhase.json().details[0].field).toBe('body.phase');
  });

  test('concurrent webhook deliveries for one run record one change', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', '/webhooks/deploy', {
          service: 'queue',
          version: '3.0.0',
          status: 'started',
          id: 'run-concurrent',
        }),
      ),
    );
    expect(results.every((r) => r.statusCode === 200 || r.statusCode === 201)).toBe(true);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
  });

  test('metrics: finished changes by risk and outcome, change failure rate', async () => {
    const text = (await t().app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /opsdeck_changes_finished_total\{risk="Low",outcome="completed",kind="deploy"\} [1-9]/,
    );
    expect(text).toMatch(
      /opsdeck_changes_finished_total\{risk="Low",outcome="rolled-back",kind="deploy"\} [1-9]/,
    );
    const rate = Number(/^opsdeck_change_failure_rate (\S+)$/m.exec(text)?.[1]);
    const list = (await call('GET', '/changes?limit=500')).json().items as { status: string }[];
    const bad = list.filter((c) => c.status === 'failed' || c.status === 'rolled-back').length;
    const good = list.filter((c) => c.status === 'completed').length;
    expect(rate).toBeCloseTo(bad / (bad + good), 10);
  });
});
