// Incident lifecycle over HTTP on SQLite and PostgreSQL: every action, the illegal ones, computed
// flags with a pinned clock, status page, postmortems and concurrent timeline appends.
import { STORE_KINDS, useTestApp } from './support/app';

// 2026-12-01 is a Tuesday.
const T0 = '2026-12-01T10:00:00.000Z';
const MIN = 60_000;

describe.each(STORE_KINDS)('incidents on %s', (kind) => {
  const { clock, t, call } = useTestApp(kind, T0);

  const declare = async (body: Record<string, unknown> = {}) => {
    const res = await call('POST', '/incidents', {
      title: 'Checkout 5xx',
      severity: 'S1',
      service: 'checkout',
      ...body,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; version: number };
  };

  const detail = async (id: string) => {
    const res = await call('GET', `/incidents/${id}/detail`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  test('ack overdue at 5:01, not at 4:59; acknowledging clears it and twice is a 409', async () => {
    const { id } = await declare();
    clock.set(new Date(Date.parse(T0) + 4 * MIN + 59_000));
    expect((await detail(id)).computed.flags.ackOverdue).toBe(false);
    clock.set(new Date(Date.parse(T0) + 5 * MIN + 1000));
    expect((await detail(id)).computed.flags).toMatchObject({
      ackOverdue: true,
      ackDueAt: '2026-12-01T10:05:00.000Z',
    });

    const ack = await call('POST', `/incidents/${id}/acknowledge`, undefined, 'ana');
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedAt).toBe('2026-12-01T10:05:01.000Z');
    const d = await detail(id);
    expect(d.computed.flags.ackOverdue).toBe(false);
    expect(d.computed.checklist.items[0]).toMatchObject({ id: 'acknowledge', done: true, by: 'ana' });

    const again = await call('POST', `/incidents/${id}/acknowledge`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: 'already_acknowledged',
      message: expect.stringContaining('already acknowledged at 2026-12-01T10:05:01.000Z'),
    });
  });

  test('every status move, the illegal ones answered 409, reopen after 72 h 422', async () => {
    const { id } = await declare({ severity: 'S2' });
    const status = (s: string, text?: string) =>
      call('POST', `/incidents/${id}/status`, { status: s, ...(text ? { text } : {}) });

    clock.set(new Date(Date.parse(T0) + 3 * MIN));
    const identified = await status('identified', 'Bad deploy of checkout v42');
    expect(identified.statusCode).toBe(200);
    expect(identified.json()).toMatchObject({
      status: 'identified',
      acknowledgedAt: '2026-12-01T10:03:00.000Z',
      mitigatedAt: null,
    });

    const same = await status('identified');
    expect(same.statusCode).toBe(409);
    expect(same.json()).toMatchObject({
      error: 'illegal_transition',
      message: 'the incident is already identified',
    });

    clock.set(new Date(Date.parse(T0) + 20 * MIN));
    expect((await status('monitoring')).json()).toMatchObject({
      status: 'monitoring',
      mitigatedAt: '2026-12-01T10:20:00.000Z',
    });
    expect((await status('investigating')).statusCode).toBe(200); // the fix did not hold
    expect((await status('monitoring')).json().mitigatedAt).toBe('2026-12-01T10:20:00.000Z');

    clock.set(new Date(Date.parse(T0) + 40 * MIN));
    const resolved = await call('POST', `/incidents/${id}/resolve`, { text: 'Error rate normal for 20 min' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-12-01T10:40:00.000Z' });

    const skipBack = await status('monitoring');
    expect(skipBack.statusCode).toBe(409);
    expect(skipBack.json().message).toBe(
      'cannot go from resolved to monitoring; from resolved go to investigating',
    );
    expect(skipBack.json().details).toEqual([{ field: 'body.status', message: skipBack.json().message }]);

    const resolveTwice = await call('POST', `/incidents/${id}/resolve`, {});
    expect(resolveTwice.statusCode).toBe(409);

    clock.set(new Date(Date.parse(T0) + 40 * MIN + 72 * 60 * MIN + 1000));
    const lateReopen = await status('investigating');
    expect(lateReopen.statusCode).toBe(422);
    expect(lateReopen.json()).toMatchObject({
      error: 'rule_refused',
      message: expect.stringContaining('reopen only within 72 h'),
    });

    clock.set(new Date(Date.parse(T0) + 60 * MIN));
    const reopen = await status('investigating');
    expect(reopen.json()).toMatchObject({ status: 'investigating', resolvedAt: null });

    const bad = await call('POST', `/incidents/${id}/status`, { status: 'fixed' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.status');

    const timeline = (await call('GET', `/incidents/${id}/timeline`)).json().items;
    expect(
      timeline.filter((e: { kind: string }) => e.kind === 'status').map((e: { text: string }) => e.text),
    ).toEqual([
      'Bad deploy of checkout v42',
      'Status: monitoring',
      'Status: investigating',
      'Status: monitoring',
      'Error rate normal for 20 min',
      'Reopened: investigating',
    ]);
  });

  test('PATCH refuses status with 400 naming body.status and pointing to POST /status', async () => {
    const { id } = await declare();
    const res = await call('PATCH', `/incidents/${id}`, { status: 'resolved', title: 'renamed', version: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'validation_failed',
      details: [
        { field: 'body.status', message: expect.stringContaining(`POST /api/v1/incidents/:id/status`) },
      ],
    });
    // Nothing was written: the status move belongs to the action, which keeps the timeline.
    const after = (await call('GET', `/incidents/${id}`)).json();
    expect(after).toMatchObject({ status: 'investigating', title: 'Checkout 5xx', version: 1 });
    expect((await call('GET', `/incidents/${id}/timeline`)).json().items).toEqual([]);
  });

  describe('PATCH corrects times in step with the status', () => {
    const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MIN).toISOString();
    const patch = (id: string, body: Record<string, unknown>) =>
      call('PATCH', `/incidents/${id}`, body, 'ana');
    const refused = async (
      id: string,
      body: Record<string, unknown>,
      field: string,
      ...messages: RegExp[]
    ) => {
      const before = (await call('GET', `/incidents/${id}`)).json();
      const res = await patch(id, { ...body, version: before.version });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'validation_failed' });
      expect(res.json().details).toEqual(messages.map((m) => ({ field, message: expect.stringMatching(m) })));
      expect((await call('GET', `/incidents/${id}`)).json()).toEqual(before);
    };

    test('resolvedAt is set and cleared only by the status actions', async () => {
      const { id } = await declare();
      await refused(
        id,
        { resolvedAt: at(0) },
        'body.resolvedAt',
        /^is set by resolving \(POST \/api\/v1\/incidents\/:id\/resolve\); the incident is investigating$/,
      );
      clock.set(at(30));
      expect((await call('POST', `/incidents/${id}/resolve`, {})).statusCode).toBe(200);
      await refused(
        id,
        { resolvedAt: null },
        'body.resolvedAt',
        /^cannot be cleared while the incident is resolved; reopen it with POST \/api\/v1\/incidents\/:id\/status$/,
      );
    });

    test('a corrected resolution stays after the other times and before now, and moves the postmortem', async () => {
      // Resolved Monday 2026-12-07 10:00, so due Monday 2026-12-14; truly resolved Friday 2026-12-04.
      const { id } = await declare({
        startedAt: '2026-12-01T09:00:00.000Z',
        detectedAt: '2026-12-01T09:05:00.000Z',
      });
      clock.set('2026-12-04T12:00:00Z');
      await call('POST', `/incidents/${id}/status`, { status: 'monitoring' });
      clock.set('2026-12-07T10:00:00Z');
      await call('POST', `/incidents/${id}/resolve`, {});
      expect((await call('GET', `/incidents/${id}/postmortem`)).json().dueAt).toBe(
        '2026-12-14T23:59:59.999Z',
      );

      await refused(
        id,
        { resolvedAt: '2026-12-04T11:00:00.000Z' },
        'body.resolvedAt',
        /^must not be before acknowledgedAt \(2026-12-04T12:00:00.000Z\)$/,
        /^must not be before mitigatedAt \(2026-12-04T12:00:00.000Z\)$/,
      );
      await refused(
        id,
        { resolvedAt: '2026-12-07T10:00:01.000Z' },
        'body.resolvedAt',
        /^must not be in the future/,
      );

      const res = await patch(id, { resolvedAt: '2026-12-04T15:00:00.000Z', version: 3 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'resolved', resolvedAt: '2026-12-04T15:00:00.000Z' });
      expect((await call('GET', `/incidents/${id}/postmortem`)).json().dueAt).toBe(
        '2026-12-11T23:59:59.999Z',
      );
    });

    test('start, detection and acknowledgement stay in order', async () => {
      const { id } = await declare({ startedAt: at(-10), detectedAt: at(-5) });
      await refused(id, { detectedAt: at(-11) }, 'body.detectedAt', /^must not be before startedAt/);
      await refused(id, { startedAt: at(-4) }, 'body.startedAt', /^must not be after detectedAt \(/);
      await refused(
        id,
        { detectedAt: at(1) },
        'body.detectedAt',
        /^must not be in the future \(the server's clock says 2026-12-01T10:00:00.000Z\)$/,
      );
      const moved = await patch(id, { startedAt: at(-20), detectedAt: at(-12), version: 1 });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({ startedAt: at(-20), detectedAt: at(-12) });

      await call('POST', `/incidents/${id}/acknowledge`);
      await refused(id, { acknowledgedAt: at(-13) }, 'body.acknowledgedAt', /^must not be before detectedAt/);
      expect((await patch(id, { acknowledgedAt: at(-2), version: 3 })).json().acknowledgedAt).toBe(at(-2));
    });

    test('acknowledging belongs to its action; mitigation stays while monitoring', async () => {
      const { id } = await declare({ startedAt: at(-10) });
      await refused(
        id,
        { acknowledgedAt: at(-1) },
        'body.acknowledgedAt',
        /^is set by acknowledging \(POST \/api\/v1\/incidents\/:id\/acknowledge\)/,
      );
      const mitigated = await patch(id, { mitigatedAt: at(-3), version: 1 });
      expect(mitigated.json()).toMatchObject({ status: 'investigating', mitigatedAt: at(-3) });
      await call('POST', `/incidents/${id}/status`, { status: 'monitoring' });
      await refused(id, { acknowledgedAt: null }, 'body.acknowledgedAt', /^cannot be cleared/);
      await refused(
        id,
        { mitigatedAt: null },
        'body.mitigatedAt',
        /^cannot be cleared while the incident is monitoring/,
      );
      await refused(id, { mitigatedAt: at(-11) }, 'body.mitigatedAt', /^must not be before startedAt/);
    });

    test('declaring refuses times out of order or in the future, naming the field', async () => {
      for (const [body, field] of [
        [{ startedAt: at(-10), detectedAt: at(-11) }, 'body.detectedAt'],
        [{ startedAt: at(-10), acknowledgedAt: at(-20), detectedAt: at(-15) }, 'body.acknowledgedAt'],
        [{ startedAt: at(5) }, 'body.startedAt'],
      ] as const) {
        const res = await call('POST', '/incidents', { title: 'x', severity: 'S2', service: 'api', ...body });
        expect(res.statusCode).toBe(400);
        expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });

    test('raising a resolved incident to S1 schedules its postmortem', async () => {
      const { id } = await declare({ severity: 'S3' });
      await call('POST', `/incidents/${id}/resolve`, {});
      expect((await call('GET', `/incidents/${id}/postmortem`)).statusCode).toBe(404);
      expect((await patch(id, { severity: 'S1', version: 2 })).statusCode).toBe(200);
      expect((await call('GET', `/incidents/${id}/postmortem`)).json()).toMatchObject({
        status: 'draft',
        dueAt: '2026-12-08T23:59:59.999Z',
      });
    });
  });

  test('unknown incidents are 404 for every action', async () => {
    for (const [m, url, body] of [
      ['POST', '/incidents/nope/acknowledge', undefined],
      ['POST', '/incidents/nope/status', { status: 'identified' }],
      ['POST', '/incidents/nope/roles', { ic: 'ana' }],
      ['POST', '/incidents/nope/timeline', { text: 'x' }],
      ['GET', '/incidents/nope/status-page', undefined],
      ['PUT', '/incidents/nope/postmortem', {}],
    ] as const) {
      const res = await call(m, url, body);
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toContain('"nope" does not exist');
    }
  });

  test('roles: assign, unassign, no-op 409, empty 400; all four tick the checklist', async () => {
    const { id } = await declare();
    const res = await call('POST', `/incidents/${id}/roles`, { ic: 'ana', ops: 'bo', comms: 'cy' });
    expect(res.json().roles).toEqual({ ic: 'ana', ops: 'bo', comms: 'cy' });
    expect(
      (await detail(id)).computed.checklist.items.find((i: { id: string }) => i.id === 'assign-roles').done,
    ).toBe(false);
    await call('POST', `/incidents/${id}/roles`, { scribe: 'di' });
    expect(
      (await detail(id)).computed.checklist.items.find((i: { id: string }) => i.id === 'assign-roles'),
    ).toMatchObject({ done: true, source: 'auto' });
    expect((await call('POST', `/incidents/${id}/roles`, { ic: 'ana' })).statusCode).toBe(409);
    expect((await call('POST', `/incidents/${id}/roles`, { ops: null })).json().roles.ops).toBeNull();
    const empty = await call('POST', `/incidents/${id}/roles`, {});
    expect(empty.statusCode).toBe(400);
    const unknown = await call('POST', `/incidents/${id}/roles`, { boss: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('boss');
    const timeline = (await call('GET', `/incidents/${id}/timeline`)).json().items;
    expect(timeline.map((e: { text: string }) => e.text)).toEqual([
      'IC: ana; Ops: bo; Comms: cy',
      'Scribe: di',
      'Ops: unassigned',
    ]);
  });

  test('checklist: tick, untick, no-op 409, unknown 404, S2+ items refused on S3 with 422', async () => {
    const { id } = await declare({ severity: 'S3' });
    const tick = await call('POST', `/incidents/${id}/checklist/stabilize`, { done: true });
    expect(tick.json().checklist.stabilize).toMatchObject({ done: true, by: 'editor' });
    expect((await call('POST', `/incidents/${id}/checklist/stabilize`, {})).statusCode).toBe(409);
    expect(
      (await call('POST', `/incidents/${id}/checklist/stabilize`, { done: false })).json().checklist.stabilize
        .done,
    ).toBe(false);
    const unknown = await call('POST', `/incidents/${id}/checklist/pray`, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toContain('use one of acknowledge, channel-and-status-page');
    const s2only = await call('POST', `/incidents/${id}/checklist/channel-and-status-page`, {});
    expect(s2only.statusCode).toBe(422);
    expect(s2only.json().message).toContain('applies to S1 and S2 incidents; this one is S3');
    const ackByTick = await call('POST', `/incidents/${id}/checklist/acknowledge`, {});
    expect(ackByTick.json().acknowledgedAt).toBe(T0);
  });

  test('comms cadence: due 30 min after start for S1/S2, reset by a comms entry, none for S3', async () => {
    const s1 = await declare();
    const s3 = await declare({ severity: 'S3' });
    clock.set(new Date(Date.parse(T0) + 31 * MIN));
    expect((await detail(s1.id)).computed.flags).toMatchObject({
      nextCommsDueAt: '2026-12-01T10:30:00.000Z',
      commsOverdue: true,
    });
    expect((await detail(s3.id)).computed.flags).toMatchObject({ nextCommsDueAt: null, commsOverdue: false });
    const posted = await call('POST', `/incidents/${s1.id}/timeline`, {
      kind: 'comms',
      text: 'We are investigating elevated errors at checkout',
    });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toMatchObject({ kind: 'comms', author: 'editor', at: '2026-12-01T10:31:00.000Z' });
    expect((await detail(s1.id)).computed.flags).toMatchObject({
      nextCommsDueAt: '2026-12-01T11:01:00.000Z',
      commsOverdue: false,
    });
    const system = await call('POST', `/incidents/${s1.id}/timeline`, { kind: 'status', text: 'sneaky' });
    expect(system.statusCode).toBe(400);
    expect(system.json().details[0].field).toBe('body.kind');
  });

  test('RTO breach per severity', async () => {
    const s1 = await declare();
    const s2 = await declare({ severity: 'S2' });
    clock.set(new Date(Date.parse(T0) + 31 * MIN));
    expect((await detail(s1.id)).computed.flags).toMatchObject({
      rtoBreached: true,
      rtoDueAt: '2026-12-01T10:30:00.000Z',
    });
    expect((await detail(s2.id)).computed.flags).toMatchObject({
      rtoBreached: false,
      rtoDueAt: '2026-12-01T12:00:00.000Z',
    });
  });

  test('status page for S2+ as JSON and markdown; S3 is refused', async () => {
    const { id } = await declare({
      severity: 'S2',
      statusPage: {
        summary: 'Checkout failing for some',
        impact: '8% of payments fail',
        mitigation: 'Rolled back v42',
        nextSteps: 'Monitor for 1 h',
      },
    });
    await call('POST', `/incidents/${id}/timeline`, { kind: 'note', text: 'internal hunch' });
    clock.set(new Date(Date.parse(T0) + 10 * MIN));
    await call('POST', `/incidents/${id}/status`, {
      status: 'identified',
      text: 'Cause identified: deploy v42',
    });
    await call('POST', `/incidents/${id}/timeline`, { kind: 'comms', text: 'Rollback under way' });
    const json = await call('GET', `/incidents/${id}/status-page`);
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      summary: 'Checkout failing for some',
      impact: '8% of payments fail',
      mitigation: 'Rolled back v42',
      nextSteps: 'Monitor for 1 h',
      timeline: [
        { kind: 'status', text: 'Cause identified: deploy v42' },
        { kind: 'comms', text: 'Rollback under way' },
      ],
    });
    const md = await call('GET', `/incidents/${id}/status-page.md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body).toContain('## Impact\n\n8% of payments fail');
    expect(md.body).toContain('- **2026-12-01T10:10:00.000Z** — Cause identified: deploy v42');
    expect(md.body).not.toContain('internal hunch');
    const s3 = await declare({ severity: 'S3' });
    const refused = await call('GET', `/incidents/${s3.id}/status-page.md`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toContain('for S1 and S2 incidents; this one is S3');
  });

  test('postmortem: scheduled on resolve 5 business days later, written, overdue lists', async () => {
    // Resolved Friday 2026-12-04 → due Friday 2026-12-11 end of day.
    clock.set('2026-12-04T15:00:00Z');
    const { id } = await declare();
    await call('POST', `/incidents/${id}/resolve`, {});
    const pm = await call('GET', `/incidents/${id}/postmortem`);
    expect(pm.json()).toMatchObject({
      status: 'draft',
      dueAt: '2026-12-11T23:59:59.999Z',
      version: 1,
      actionItems: [],
    });
    expect((await detail(id)).computed.checklist.items.at(-1)).toMatchObject({
      id: 'resolve-and-postmortem',
      done: true,
    });

    const written = await call('PUT', `/incidents/${id}/postmortem`, {
      version: 1,
      impact: '8% of checkouts failed for 40 minutes',
      rootCause: 'Connection pool exhausted by v42',
      actionItems: [
        { title: 'Alert on pool saturation', owner: 'bo', dueDate: '2026-12-09' },
        { title: 'Load test before release', owner: 'cy', dueDate: '2026-12-20' },
      ],
    });
    expect(written.statusCode).toBe(200);
    expect(written.json()).toMatchObject({ version: 2, rootCause: 'Connection pool exhausted by v42' });
    const stale = await call('PUT', `/incidents/${id}/postmortem`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toBe('version_conflict');
    // Without a version, a PUT would have replaced the postmortem and its action items blind.
    const blind = await call('PUT', `/incidents/${id}/postmortem`, {
      impact: 'overwritten',
      actionItems: [],
    });
    expect(blind.statusCode).toBe(428);
    expect(blind.json()).toMatchObject({
      error: 'version_required',
      details: [{ field: 'body.version', message: expect.stringContaining('If-Match') }],
    });
    expect((await call('GET', `/incidents/${id}/postmortem`)).json()).toMatchObject({
      version: 2,
      impact: '8% of checkouts failed for 40 minutes',
      actionItems: [{ title: 'Alert on pool saturation' }, { title: 'Load test before release' }],
    });

    clock.set('2026-12-11T23:00:00Z');
    const early = (await call('GET', '/postmortems?overdue=true'))
      .json()
      .items.map((p: { incidentId: string }) => p.incidentId);
    expect(early).not.toContain(id);
    const items = (await call('GET', '/action-items?overdue=true')).json().items;
    expect(
      items.filter((i: { incidentId: string }) => i.incidentId === id).map((i: { title: string }) => i.title),
    ).toEqual(['Alert on pool saturation']);

    clock.set('2026-12-12T00:00:01Z');
    const late = (await call('GET', '/postmortems?overdue=true'))
      .json()
      .items.find((p: { incidentId: string }) => p.incidentId === id);
    expect(late).toMatchObject({ overdue: true, status: 'draft', severity: 'S1' });

    const itemIds = written.json().actionItems.map((a: { id: string }) => a.id);
    await call('PUT', `/incidents/${id}/postmortem`, {
      version: 2,
      status: 'published',
      actionItems: [
        {
          id: itemIds[0],
          title: 'Alert on pool saturation',
          owner: 'bo',
          dueDate: '2026-12-09',
          status: 'done',
        },
        { id: itemIds[1], title: 'Load test before release', owner: 'cy', dueDate: '2026-12-20' },
      ],
    });
    const after = (await call('GET', '/postmortems?overdue=true'))
      .json()
      .items.map((p: { incidentId: string }) => p.incidentId);
    expect(after).not.toContain(id);
    const open = (await call('GET', '/action-items?overdue=true'))
      .json()
      .items.map((i: { incidentId: string }) => i.incidentId);
    expect(open).not.toContain(id);
    const closed = (await call('GET', `/incidents/${id}/postmortem`)).json().actionItems[0];
    expect(closed).toMatchObject({ status: 'done', closedAt: '2026-12-12T00:00:01.000Z' });
  });

  test('S3 resolution schedules no postmortem', async () => {
    const { id } = await declare({ severity: 'S3' });
    await call('POST', `/incidents/${id}/resolve`, {});
    expect((await call('GET', `/incidents/${id}/postmortem`)).statusCode).toBe(404);
    expect((await detail(id)).computed.flags.postmortemRequired).toBe(false);
  });

  test('recent changes on the same service within 2 h before the start', async () => {
    const mk = async (service: string, minutesBefore: number, title: string) => {
      const res = await call('POST', '/changes', {
        title,
        kind: 'deploy',
        risk: 'Low',
        service,
        plannedStart: new Date(Date.parse(T0) - minutesBefore * MIN).toISOString(),
      });
      expect(res.statusCode).toBe(201);
    };
    await mk('payments', 30, 'payments v7');
    await mk('payments', 150, 'payments v6');
    await mk('search', 10, 'search v3');
    const { id } = await declare({ service: 'payments' });
    const recent = (await detail(id)).computed.recentChanges;
    expect(recent.map((c: { title: string }) => c.title)).toEqual(['payments v7']);
  });

  test('concurrent timeline appends and actions lose nothing', async () => {
    const { id } = await declare();
    const N = 40;
    const results = await Promise.all([
      ...Array.from({ length: N }, (_, i) =>
        call('POST', `/incidents/${id}/timeline`, { kind: 'note', text: `note ${i}` }, `user${i}`),
      ),
      call('POST', `/incidents/${id}/status`, { status: 'identified' }),
      call('POST', `/incidents/${id}/roles`, { ic: 'ana' }),
      call('POST', `/incidents/${id}/checklist/stabilize`, {}),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([...Array(N).fill(201), 200, 200, 200]);
    const timeline = (await call('GET', `/incidents/${id}/timeline`)).json().items;
    const notes = timeline
      .filter((e: { kind: string }) => e.kind === 'note')
      .map((e: { text: string }) => e.text);
    expect(notes.sort()).toEqual(Array.from({ length: N }, (_, i) => `note ${i}`).sort());
    expect(timeline).toHaveLength(N + 3);
    const doc = (await call('GET', `/incidents/${id}`)).json();
    expect(doc).toMatchObject({
      status: 'identified',
      roles: { ic: 'ana' },
      checklist: { stabilize: { done: true } },
    });
  });

  test('metrics: open by severity, MTTA and MTTR histograms, RTO breaches', async () => {
    const scrape = async () => (await t().app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    const start = await scrape();
    const { id } = await declare({ severity: 'S2', service: 'metrics-demo' });
    const opened = await scrape();
    expect(value(opened, 'opsdeck_incidents_open{severity="S2"}')).toBe(
      value(start, 'opsdeck_incidents_open{severity="S2"}') + 1,
    );

    clock.set(new Date(Date.parse(T0) + 4 * MIN));
    await call('POST', `/incidents/${id}/acknowledge`);
    clock.set(new Date(Date.parse(T0) + 150 * MIN));
    const breaching = await scrape();
    expect(value(breaching, 'opsdeck_incidents_rto_breached{severity="S2"}')).toBeGreaterThanOrEqual(1);
    await call('POST', `/incidents/${id}/resolve`, {});
    const end = await scrape();
    const delta = (series: string) => value(end, series) - value(start, series);
    expect(delta('opsdeck_incident_time_to_acknowledge_seconds_count{severity="S2"}')).toBe(1);
    expect(delta('opsdeck_incident_time_to_acknowledge_seconds_sum{severity="S2"}')).toBe(240);
    expect(delta('opsdeck_incident_time_to_acknowledge_seconds_bucket{le="300",severity="S2"}')).toBe(1);
    expect(delta('opsdeck_incident_time_to_acknowledge_seconds_bucket{le="120",severity="S2"}')).toBe(0);
    expect(delta('opsdeck_incident_time_to_resolve_seconds_sum{severity="S2"}')).toBe(9000);
    expect(delta('opsdeck_incident_rto_breaches_total{severity="S2"}')).toBe(1);
    expect(value(end, 'opsdeck_incidents_open{severity="S2"}')).toBe(
      value(start, 'opsdeck_incidents_open{severity="S2"}'),
    );
    expect(end).toMatch(/^opsdeck_postmortems_overdue \d+$/m);
    expect(end).toMatch(/^opsdeck_action_items_overdue \d+$/m);
  });
});
