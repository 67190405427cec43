// The Alertmanager webhook: a real Alertmanager delivers pages to the backend listening on loopback,
// on SQLite and PostgreSQL; concurrent deliveries of one group make exactly one incident.
import type { Incident, TimelineEntry } from '@opsdeck/common';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, STORE_KINDS, TOKENS, type TestApp } from './support/app';
import { eventually } from './support/eventually';

const WEBHOOK = '/api/v1/integrations/alertmanager';

/** Every alert to opsdeck's webhook, grouped by alert name and service, re-sent every second. */
const amConfig = (port: number) => `route:
  receiver: opsdeck
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1s
receivers:
  - name: opsdeck
    webhook_configs:
      - url: http://127.0.0.1:${port}${WEBHOOK}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${TOKENS.editor}
`;

const payload = (groupKey: string, alerts: Array<Record<string, unknown>>, status = 'firing') => ({
  version: '4',
  groupKey,
  truncatedAlerts: 0,
  status,
  receiver: 'opsdeck',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts,
});
const alert = (labels: Record<string, string>, status = 'firing') => ({
  status,
  labels,
  annotations: {},
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph',
  fingerprint: Object.values(labels).join('-'),
});

describe.each(STORE_KINDS)('Alertmanager webhook on %s', (kind) => {
  let t: TestApp;
  const post = (body: unknown, role: keyof typeof TOKENS = 'editor') =>
    t.app.inject({ method: 'POST', url: WEBHOOK, headers: auth(role), payload: body as object });
  const incidents = async (): Promise<Incident[]> =>
    (
      await t.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=500', headers: auth('viewer') })
    ).json().items;
  const timeline = async (id: string): Promise<TimelineEntry[]> =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/timeline`, headers: auth('viewer') })
    ).json().items;

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t.close());

  describe('delivered by a real Alertmanager', () => {
    let am: AlertmanagerServer;
    beforeAll(async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as { port: number }).port;
      am = await startAlertmanager({ config: amConfig(port) });
    });
    afterAll(async () => am?.remove());

    /** Alertmanager's own count of webhook notifications, sent and failed. */
    const notifications = async () => {
      const text = await (await fetch(`${am.url}/metrics`)).text();
      const value = (name: string) =>
        Number(new RegExp(`^${name}\\{[^}]*integration="webhook"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return {
        sent: value('alertmanager_notifications_total'),
        failed: value('alertmanager_notifications_failed_total'),
      };
    };

    it('turns a page into exactly one incident through repeats and new alerts, and notes its resolution', async () => {
      const group = { alertname: 'ApiDown', service: `api-${kind}` };
      await am.postAlerts([
        { ...group, severity: 'page', instance: 'a' },
        { ...group, severity: 'page', instance: 'b' },
        { alertname: 'DiskFilling', service: `api-${kind}`, severity: 'S3' },
      ]);
      const incident = await eventually(async () => {
        const found = (await incidents()).filter((i) => i.service === group.service);
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(incident).toMatchObject({
        severity: 'S2',
        title: `ApiDown on ${group.service}`,
        tags: ['alertmanager'],
        source: { alert: 'ApiDown' },
        createdBy: 'editor',
      });
      expect(incident.source?.alertGroup).toContain('alertname="ApiDown"');

      // Repeats every second, and a third alert joining the group, land on the same incident.
      const before = (await notifications()).sent;
      await am.postAlerts([{ ...group, severity: 'page', instance: 'c' }]);
      await eventually(async () => expect((await notifications()).sent).toBeGreaterThanOrEqual(before + 4));
      expect((await notifications()).failed).toBe(0);
      expect((await incidents()).filter((i) => i.service === group.service)).toHaveLength(1);

      // Resolving the alerts (endsAt now) sends the resolved notification onto its timeline.
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          ['a', 'b', 'c'].map((instance) => ({
            labels: { ...group, severity: 'page', instance },
            startsAt: new Date(Date.now() - 120_000).toISOString(),
            endsAt: new Date().toISOString(),
          })),
        ),
      });
      expect(res.ok).toBe(true);
      const note = await eventually(async () => {
        const entry = (await timeline(incident.id)).find((e) =>
          e.text.includes('every alert of the group resolved'),
        );
        expect(entry).toBeDefined();
        return entry!;
      });
      expect(note).toMatchObject({ kind: 'note', author: 'editor', data: { source: 'alertmanager' } });
      expect((await incidents()).filter((i) => i.service === group.service)).toHaveLength(1);
    }, 60_000);
  });

  it('declares one incident when many deliveries of one group arrive at once', async () => {
    const groupKey = `{}:{alertname="Storm", run="${kind}"}`;
    const body = payload(
      groupKey,
      Array.from({ length: 50 }, (_, i) =>
        alert({ alertname: 'Storm', service: 'storm', severity: 'S1', i: `${i}` }),
      ),
    );
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(25).fill(200));
    const ids = new Set(answers.map((a) => a.json().incidentId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.json().action === 'created')).toHaveLength(1);
    const stored = (await incidents()).filter((i) => i.source?.alertGroup === groupKey);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ severity: 'S1', service: 'storm' });
  });

  it('opens a new incident for the group once the last one is resolved, and will not reopen a second', async () => {
    const body = payload(`{}:{alertname="Flappy", run="${kind}"}`, [
      alert({ alertname: 'Flappy', severity: 'S2' }),
    ]);
    const first = (await post(body)).json();
    expect(first.action).toBe('created');
    const resolve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${first.incidentId}/resolve`,
      headers: auth('editor'),
      payload: {},
    });
    expect(resolve.statusCode).toBe(200);
    const second = (await post(body)).json();
    expect(second).toMatchObject({ action: 'created' });
    expect(second.incidentId).not.toBe(first.incidentId);
    expect((await post(body)).json()).toEqual({ action: 'existing', incidentId: second.incidentId });
    const reopen = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${first.incidentId}/status`,
      headers: auth('editor'),
      payload: { status: 'investigating' },
    });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json()).toMatchObject({
      error: 'alert_group_open',
      details: [{ field: 'source.alertGroup' }],
    });
  });

  it.each([
    ['S3', null],
    ['ticket', null],
    ['page', 'S2'],
  ])('a firing %s alert declares %s', async (severity, declared) => {
    const res = await post(
      payload(`{}:{sev="${severity}", run="${kind}"}`, [alert({ alertname: 'X', severity })]),
    );
    expect(res.statusCode).toBe(200);
    if (declared === null) {
      expect(res.json()).toMatchObject({
        action: 'ignored',
        incidentId: null,
        reason: expect.stringMatching(/S1 or S2/),
      });
    } else {
      const incident = await t.app.inject({
        method: 'GET',
        url: `/api/v1/incidents/${res.json().incidentId}`,
        headers: auth('viewer'),
      });
      expect(incident.json().severity).toBe(declared);
    }
  });

  it('never declares an incident from its own escalation alerts', async () => {
    const res = await post(
      payload(`{}:{alertname="OpsdeckIncidentAckOverdue", run="${kind}"}`, [
        alert({ alertname: 'OpsdeckIncidentAckOverdue', severity: 'S1', escalation: 'L1' }),
      ]),
    );
    expect(res.json()).toMatchObject({ action: 'ignored' });
  });

  it.each([
    ['no version', { version: undefined }, 'body.version', /is required/],
    ['version 3', { version: '3' }, 'body.version', /version 4/],
    ['no groupKey', { groupKey: undefined }, 'body.groupKey', /is required/],
    ['a bad status', { status: 'burning' }, 'body.status', /./],
    ['alerts not a list', { alerts: {} }, 'body.alerts', /./],
    [
      'a label that is not text',
      { alerts: [{ ...alert({ a: 'b' }), labels: { a: 1 } }] },
      'body.alerts.0.labels.a',
      /./,
    ],
    [
      'a bad startsAt',
      { alerts: [{ ...alert({ a: 'b' }), startsAt: 'yesterday' }] },
      'body.alerts.0.startsAt',
      /./,
    ],
  ])('refuses a payload with %s, naming the field', async (_label, change, field, message) => {
    const res = await post({ ...payload('{}:{}', [alert({ severity: 'S1' })]), ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('notes a resolution once, however often Alertmanager retries the notification', async () => {
    const groupKey = `{}:{alertname="Retried", run="${kind}"}`;
    const firingOne = alert({ alertname: 'Retried', severity: 'S1' });
    const created = (await post(payload(groupKey, [firingOne]))).json();
    const resolved = payload(
      groupKey,
      [{ ...firingOne, status: 'resolved', endsAt: new Date().toISOString() }],
      'resolved',
    );
    for (let i = 0; i < 3; i++) expect((await post(resolved)).json()).toMatchObject({ action: 'existing' });
    const notes = (await timeline(created.incidentId)).filter((e) => e.text.includes('resolved'));
    expect(notes).toHaveLength(1);
  });

  it('refuses viewers and callers without a token', async () => {
    const body = payload('{}:{viewer}', [alert({ severity: 'S1' })]);
    expect((await post(body, 'viewer')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: WEBHOOK, payload: body })).statusCode).toBe(401);
    expect((await incidents()).filter((i) => i.source?.alertGroup === '{}:{viewer}')).toHaveLength(0);
  });
});
