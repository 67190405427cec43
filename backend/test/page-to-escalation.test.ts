// The whole loop against one real Alertmanager, on SQLite and PostgreSQL: a page it delivers becomes
// exactly one incident; unacknowledged, the incident comes back to Alertmanager as escalation alerts
// whose level climbs (and which, routed back to the webhook, declare nothing); acknowledging ends them.
import type { Incident } from '@opsdeck/common';
import { ManualClock } from '../src/clock';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, STORE_KINDS, TOKENS, type TestApp } from './support/app';
import { eventually } from './support/eventually';

const MINUTE = 60_000;

/** Everything, opsdeck's own escalation alerts included, goes to opsdeck's webhook. */
const amConfig = (port: number) => `route:
  receiver: opsdeck
  group_by: [alertname, service, escalation]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: opsdeck
    webhook_configs:
      - url: http://127.0.0.1:${port}/api/v1/integrations/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: ${TOKENS.editor}
`;

describe.each(STORE_KINDS)('page → incident → escalation on %s', (kind) => {
  let am: AlertmanagerServer;
  let t: TestApp;
  // Alertmanager ends alerts on its own clock: the test clock starts 11 minutes in the real past
  // and is moved to the real now, so the escalation ends when acknowledged.
  const realStart = Date.now();
  const clock = new ManualClock(new Date(realStart - 11 * MINUTE));

  beforeAll(async () => {
    am = await startAlertmanager({ config: amConfig(1) });
    t = await createTestApp(kind, {
      clock,
      env: { ALERTMANAGER_URLS: am.url, ESCALATION_INTERVAL_SECONDS: '900' },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    // The webhook URL needs the backend's port, the backend the Alertmanager's URL: restart it on its port.
    await am.start({ config: amConfig((t.app.server.address() as { port: number }).port) });
  });
  afterAll(async () => {
    await t?.close();
    await am?.remove();
  });

  const incidents = async (): Promise<Incident[]> =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: auth('viewer') })).json().items;
  const levels = async (id: string) =>
    (
      (await (
        await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent(`incident="${id}"`)}`)
      ).json()) as {
        labels: Record<string, string>;
      }[]
    )
      .map((a) => a.labels.escalation)
      .sort();
  const webhookNotifications = async () =>
    Number(
      /^alertmanager_notifications_total\{[^}]*integration="webhook"[^}]*\} (\d+)/m.exec(
        await (await fetch(`${am.url}/metrics`)).text(),
      )?.[1] ?? 0,
    );

  it('one incident, a climbing escalation that declares nothing, ended by the acknowledgement', async () => {
    await am.postAlerts([
      { alertname: 'CheckoutDown', service: 'checkout', severity: 'S1', instance: 'a' },
      { alertname: 'CheckoutDown', service: 'checkout', severity: 'S1', instance: 'b' },
    ]);
    const incident = await eventually(async () => {
      const found = await incidents();
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(incident).toMatchObject({ severity: 'S1', service: 'checkout', acknowledgedAt: null });

    const delivered = await webhookNotifications();
    clock.set(new Date(realStart));
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await levels(incident.id)).toEqual(['L1', 'L2']));

    // Alertmanager delivers the escalation alerts (one group per level) to the webhook too; they are not pages.
    await eventually(async () => expect(await webhookNotifications()).toBeGreaterThanOrEqual(delivered + 2));
    expect(await incidents()).toHaveLength(1);

    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/acknowledge`,
      headers: auth('editor'),
    });
    expect(ack.statusCode).toBe(200);
    await t.app.escalation.runCycle();
    await eventually(async () => expect(await levels(incident.id)).toEqual([]));
    expect(await incidents()).toHaveLength(1);
  }, 60_000);
});
