// Escalation alerts pushed to a real Alertmanager, on SQLite and PostgreSQL: an unacknowledged S1
// climbs the ladder, acknowledging ends it, and an Alertmanager that was down catches up by itself.
import { DEFAULT_ESCALATION_LADDER } from '@opsdeck/common';
import { Registry } from 'prom-client';
import { ManualClock } from '../src/clock';
import { EscalationPusher } from '../src/escalation/pusher';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, STORE_KINDS, type TestApp } from './support/app';
import { eventually } from './support/eventually';

const MINUTE = 60_000;
const APP_URL = 'https://grafana.example/a/opsdeck-sre-app';

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  startsAt: string;
}

describe.each(STORE_KINDS)('escalation on %s', (kind) => {
  let am: AlertmanagerServer;
  let t: TestApp;
  // Alertmanager judges endsAt on its own clock, so the test clock starts in the real past and
  // reaches the real now when the ladder has climbed; a long interval keeps pushed alerts firing.
  const clock = new ManualClock(new Date(Date.now() - 11 * MINUTE));
  const start = clock.now().getTime();
  const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: auth(method === 'GET' ? 'viewer' : 'editor'),
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const escalations = async (incident: string): Promise<AmAlert[]> => {
    const res = await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent(`incident="${incident}"`)}`);
    return ((await res.json()) as AmAlert[]).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  };
  const levels = async (incident: string) =>
    (await escalations(incident))
      .filter((a) => a.labels.alertname === 'OpsdeckIncidentAckOverdue')
      .map((a) => a.labels.escalation);
  const metric = async (pattern: RegExp) =>
    Number(pattern.exec((await t.app.inject({ method: 'GET', url: '/metrics' })).body)?.[1] ?? NaN);

  beforeAll(async () => {
    am = await startAlertmanager();
    t = await createTestApp(kind, {
      clock,
      env: { ALERTMANAGER_URLS: am.url, ESCALATION_INTERVAL_SECONDS: '900', OPSDECK_APP_URL: APP_URL },
    });
  });
  afterAll(async () => {
    await t?.close();
    await am?.remove();
  });

  it('climbs L1 → L2 for an unacknowledged S1, links to the one-click acknowledge, and ends on acknowledge', async () => {
    const created = await call('POST', '/incidents', {
      title: 'Checkout down',
      severity: 'S1',
      service: 'checkout',
    });
    const id = created.json().id as string;

    clock.set(new Date(start + 4 * MINUTE));
    await t.app.escalation.runCycle();
    expect(await levels(id)).toEqual([]);

    clock.set(new Date(start + 6 * MINUTE));
    const report = await t.app.escalation.runCycle();
    expect(report.targets).toEqual([expect.objectContaining({ target: am.url, ok: true })]);
    const [l1] = await eventually(async () => {
      const alerts = await escalations(id);
      expect(alerts.map((a) => a.labels.escalation)).toEqual(['L1']);
      return alerts;
    });
    expect(l1).toMatchObject({
      labels: {
        alertname: 'OpsdeckIncidentAckOverdue',
        incident: id,
        severity: 'S1',
        service: 'checkout',
        escalation: 'L1',
      },
      annotations: { incident_url: `${APP_URL}/incidents/${id}?action=acknowledge` },
      generatorURL: `${APP_URL}/incidents/${id}?action=acknowledge`,
    });
    expect(Date.parse(l1!.startsAt)).toBe(start + 5 * MINUTE);

    clock.set(new Date(start + 11 * MINUTE));
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await levels(id)).toEqual(['L1', 'L2']));

    expect((await call('POST', `/incidents/${id}/acknowledge`)).statusCode).toBe(200);
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await escalations(id)).toEqual([]));
    expect(
      await metric(/^opsdeck_escalation_pushes_total\{target="[^"]+",result="ok"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(3);
  });

  it('raises comms due and RTO breached for an S1 open past 30 minutes, each linking to the incident', async () => {
    clock.set(new Date(start + 11 * MINUTE));
    const created = await call('POST', '/incidents', {
      title: 'Payments failing',
      severity: 'S1',
      service: 'payments',
      startedAt: new Date(start - 25 * MINUTE).toISOString(),
    });
    const id = created.json().id as string;
    await call('POST', `/incidents/${id}/acknowledge`);
    await t.app.escalation.runCycle();
    const alerts = await eventually(async () => {
      const found = await escalations(id);
      expect(found.map((a) => a.labels.alertname).sort()).toEqual([
        'OpsdeckIncidentCommsDue',
        'OpsdeckIncidentRtoBreached',
      ]);
      return found;
    });
    for (const a of alerts) expect(a.annotations.incident_url).toBe(`${APP_URL}/incidents/${id}`);
    expect(
      await metric(/^opsdeck_escalation_alerts\{alertname="OpsdeckIncidentRtoBreached"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(1);

    // A comms entry resets the cadence: the comms alert ends, the RTO alert stays until mitigation.
    await call('POST', `/incidents/${id}/timeline`, {
      kind: 'comms',
      text: 'Investigating elevated payment errors',
    });
    await t.app.escalation.runCycle();
    await eventually(async () =>
      expect((await escalations(id)).map((a) => a.labels.alertname)).toEqual(['OpsdeckIncidentRtoBreached']),
    );
    await call('POST', `/incidents/${id}/status`, { status: 'monitoring' });
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await escalations(id)).toEqual([]));
  });

  it('logs and counts a push to an Alertmanager that is down, and heals once it is back', async () => {
    clock.set(new Date(start + 11 * MINUTE));
    const incident = async (service: string) =>
      (
        await call('POST', '/incidents', {
          title: `${service} slow`,
          severity: 'S2',
          service,
          startedAt: new Date(start + 4 * MINUTE).toISOString(),
        })
      ).json().id as string;
    const [acked, open] = [await incident('search'), await incident('web')];
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await levels(acked)).toEqual(['L1']));

    await am.stop();
    const errors = () => metric(/^opsdeck_escalation_pushes_total\{target="[^"]+",result="error"\} (\d+)/m);
    const errorsBefore = await errors();
    await call('POST', `/incidents/${acked}/acknowledge`);
    const down = await t.app.escalation.runCycle();
    expect(down.targets[0]).toMatchObject({ ok: false, error: expect.stringContaining(am.url) });
    expect(await metric(/^opsdeck_escalation_target_up\{target="[^"]+"\} (\d+)/m)).toBe(0);
    expect(await errors()).toBe((Number.isNaN(errorsBefore) ? 0 : errorsBefore) + 1);

    // Alertmanager keeps no alerts across a restart: the next cycle sends what still holds.
    await am.start();
    expect(await levels(open)).toEqual([]);
    const up = await t.app.escalation.runCycle();
    expect(up.targets[0]).toMatchObject({ ok: true });
    await eventually(async () => expect(await levels(open)).toEqual(['L1']));
    expect(await escalations(acked)).toEqual([]);
    expect(await metric(/^opsdeck_escalation_target_up\{target="[^"]+"\} (\d+)/m)).toBe(1);
  });

  it('after a restart, ends at once what stopped while it was down', async () => {
    clock.set(new Date(start + 11 * MINUTE));
    const created = await call('POST', '/incidents', {
      title: 'Cache cold',
      severity: 'S2',
      service: 'cache',
      startedAt: new Date(start + 4 * MINUTE).toISOString(),
    });
    const id = created.json().id as string;
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await levels(id)).toEqual(['L1']));
    await call('POST', `/incidents/${id}/acknowledge`);

    // A new process knows nothing of what the last one sent: it reads it from Alertmanager.
    const restarted = new EscalationPusher({
      store: t.store,
      incidents: t.app.repos.incidents,
      clock,
      targets: t.app.escalation.targets,
      intervalMs: 900_000,
      requestTimeoutMs: 2000,
      ladder: DEFAULT_ESCALATION_LADDER,
      appUrl: APP_URL,
      registry: new Registry(),
    });
    try {
      const report = await restarted.runCycle();
      expect(report.targets[0]).toMatchObject({ ok: true, ended: expect.any(Number) });
      expect(report.targets[0]!.ended).toBeGreaterThanOrEqual(1);
      await eventually(async () => expect(await escalations(id)).toEqual([]));
    } finally {
      await restarted.stop();
    }
  });

  it('finds overdue postmortems and action items in the store', async () => {
    clock.set(new Date(start + 11 * MINUTE));
    const created = await call('POST', '/incidents', {
      title: 'Queue stuck',
      severity: 'S2',
      service: 'queue',
    });
    const id = created.json().id as string;
    await call('POST', `/incidents/${id}/resolve`, {});
    const pm = await call('GET', `/incidents/${id}/postmortem`);
    const dueDate = new Date(start + 12 * MINUTE).toISOString().slice(0, 10);
    await t.app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${id}/postmortem`,
      headers: auth('editor'),
      payload: {
        version: pm.json().version,
        actionItems: [{ title: 'Alert on queue age', owner: 'dana', dueDate }],
      },
    });
    const names = async (at: number) =>
      (await t.app.escalation.desired(new Date(at)))
        .filter((a) => a.incidentId === id)
        .map((a) => a.labels.alertname)
        .sort();
    expect(await names(start + 12 * MINUTE)).toEqual([]);
    // Ten days later both the postmortem (5 business days) and the action item are overdue.
    expect(await names(start + 10 * 24 * 60 * MINUTE)).toEqual([
      'OpsdeckActionItemOverdue',
      'OpsdeckPostmortemOverdue',
    ]);
  });
});
