import { AlertmanagerWebhook, type WebhookAlert } from '../api/alertmanager-webhook';
import { describeAlert, pageIncident, pageSeverity, resolvedNote, serviceFromLabel } from './page-intake';

const NOW = new Date('2026-12-04T12:00:00Z');
const firing = (labels: Record<string, string>, over: Partial<WebhookAlert> = {}) => ({
  status: 'firing',
  labels,
  annotations: {},
  startsAt: '2026-12-04T11:58:00.123456789Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
  fingerprint: 'f1',
  ...over,
});
const payload = (alerts: unknown[], over: Record<string, unknown> = {}) =>
  AlertmanagerWebhook.parse({
    version: '4',
    groupKey: '{}/{severity=~"S1|S2|page"}:{alertname="ApiDown", service="api"}',
    status: 'firing',
    receiver: 'opsdeck',
    groupLabels: { alertname: 'ApiDown' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
    ...over,
  });

describe('which alerts page', () => {
  test.each([
    [{ severity: 'S1' }, {}, 'S1'],
    [{ severity: 'S2' }, {}, 'S2'],
    [{ severity: 'S3' }, {}, null],
    [{ severity: 'S4' }, {}, null],
    [{ severity: 'page' }, {}, 'S2'],
    [{ severity: 'ticket' }, {}, null],
    [{ severity: 'critical' }, {}, null],
    [{ severity: 'critical' }, { critical: 'S1' }, 'S1'],
    [{ severity: 'page' }, { page: 'S1' }, 'S1'],
    [{ severity: 'warning' }, { warning: 'S3' }, null], // maps below the paging severities
    [{ severity: 'S3' }, { S3: 'S1' }, null], // S1–S4 are taken as they are
    [{ severity: 'toString' }, {}, null], // no prototype keys
    [{}, {}, null],
    [{ severity: 'S1', alertname: 'OpsdeckIncidentAckOverdue' }, {}, null], // never our own escalations
  ] as const)('%j with map %j → %s', (labels, map, severity) => {
    expect(pageSeverity(labels, Object.keys(map).length ? map : undefined)).toBe(severity);
  });
});

describe('the incident a page declares', () => {
  test('from the common labels and annotations, at the highest severity, from the first start', () => {
    const p = payload(
      [
        firing({ alertname: 'ApiDown', service: 'api', severity: 'page', slo: 'api-availability' }),
        firing(
          { alertname: 'ApiDown', service: 'api-eu', severity: 'S1' },
          { startsAt: '2026-12-04T11:50:00Z', generatorURL: 'http://prom/graph' },
        ),
        firing({ alertname: 'ApiDown', service: 'api', severity: 'S3' }),
      ],
      {
        commonLabels: { alertname: 'ApiDown' },
        commonAnnotations: {
          summary: 'API is down',
          description: 'All API replicas fail health checks.',
          runbook_url: 'https://runbooks.example/api-down',
          __dashboardUid__: 'api-overview',
          __panelId__: '4',
        },
      },
    );
    expect(pageIncident(p, NOW)).toEqual({
      title: 'API is down',
      severity: 'S1',
      service: 'api-eu',
      services: ['api'],
      sloIds: ['api-availability'],
      tags: ['alertmanager'],
      description: [
        'All API replicas fail health checks.',
        'Paged by Alertmanager (receiver opsdeck): 2 alerts firing.',
        '- ApiDown{service="api-eu", severity="S1"}',
        '- ApiDown{service="api", severity="page", slo="api-availability"}',
        'Runbook: https://runbooks.example/api-down',
      ].join('\n'),
      source: {
        alert: 'ApiDown',
        alertGroup: p.groupKey,
        url: 'http://prom/graph',
        runbookUrl: 'https://runbooks.example/api-down',
        dashboardUid: 'api-overview',
        panelId: 4,
      },
      startedAt: '2026-12-04T11:50:00.000Z',
      detectedAt: '2026-12-04T11:50:00.000Z',
    });
  });

  test('falls back to job, then "unknown"; a title from the alert name; never starts after now', () => {
    const p = payload([
      firing(
        { alertname: 'Down', job: 'node exporter', severity: 'S2' },
        { startsAt: '2027-01-01T00:00:00Z' },
      ),
    ]);
    expect(pageIncident(p, NOW)).toMatchObject({
      title: 'Down on node-exporter',
      service: 'node-exporter',
      startedAt: NOW.toISOString(),
    });
    const bare = payload([firing({ severity: 'S2' })]);
    expect(pageIncident(bare, NOW)).toMatchObject({ title: 'alert on unknown', service: 'unknown' });
  });

  test('says how many alerts Alertmanager left out (max_alerts)', () => {
    const p = payload([firing({ alertname: 'A', severity: 'S1' })], { truncatedAlerts: 40 });
    expect(pageIncident(p, NOW)?.description).toContain(
      'Paged by Alertmanager (receiver opsdeck): 1 alert firing, 40 more left out of the notification (max_alerts).',
    );
  });

  test('nothing when no firing alert pages', () => {
    expect(pageIncident(payload([firing({ severity: 'S3' })]), NOW)).toBeNull();
    expect(pageIncident(payload([{ ...firing({ severity: 'S1' }), status: 'resolved' }]), NOW)).toBeNull();
  });

  test('hostile labels stay inside the incident schema', () => {
    const long = 'x'.repeat(5000);
    const p = payload(
      [firing({ alertname: long, service: `../${long}`, severity: 'S1', slo: 'Not A Slug' })],
      {
        commonAnnotations: { summary: long, runbook_url: 'javascript:alert(1)' },
      },
    );
    const i = pageIncident(p, NOW)!;
    expect(i.title).toHaveLength(200);
    expect(i.service).toHaveLength(100);
    expect(i.source.alert).toHaveLength(200);
    expect(i.source.runbookUrl).toBeUndefined();
    expect(i.sloIds).toEqual([]);
  });

  test.each([
    ['api', 'api'],
    ['payments/eu-1', 'payments/eu-1'],
    ['my service', 'my-service'],
    ['--api', 'api'],
    ['***', undefined],
    ['', undefined],
  ])('service label %j → %j', (label, service) => expect(serviceFromLabel(label)).toBe(service));
});

describe('resolved notifications', () => {
  test.each([
    [
      'resolved',
      [{ status: 'resolved' }, { status: 'resolved' }],
      'Alertmanager: every alert of the group resolved (2)',
    ],
    [
      'firing',
      [{ status: 'resolved' }, { status: 'firing' }],
      'Alertmanager: 1 alert resolved, others still firing',
    ],
  ] as const)('group %s', (status, alerts, head) => {
    const p = payload(
      alerts.map((a, i) => ({
        ...firing({ alertname: 'ApiDown', severity: 'S1', i: String(i) }),
        ...a,
        fingerprint: `f${i}`,
      })),
      { status },
    );
    const note = resolvedNote(p)!;
    expect(note.text.split('\n')[0]).toBe(head);
    expect(note.text).toContain('- ApiDown{severity="S1", i="0"}');
  });
  test('the key names each resolution, so a retry matches and a later resolution does not', () => {
    const resolved = (endsAt: string) =>
      payload([{ ...firing({ alertname: 'A', severity: 'S1' }), status: 'resolved', endsAt }], {
        status: 'resolved',
      });
    const first = resolvedNote(resolved('2026-12-04T12:00:00Z'))!;
    expect(first.key).toBe('f1@2026-12-04T12:00:00Z');
    expect(resolvedNote(resolved('2026-12-04T12:00:00Z'))!.key).toBe(first.key);
    expect(resolvedNote(resolved('2026-12-04T13:00:00Z'))!.key).not.toBe(first.key);
  });
  test('none when nothing resolved', () =>
    expect(resolvedNote(payload([firing({ severity: 'S1' })]))).toBeNull());
  test('alert names render with their labels', () =>
    expect(describeAlert({ labels: { alertname: 'A', b: 'c' } })).toBe('A{b="c"}'));
});
