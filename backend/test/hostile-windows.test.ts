// Hostile maintenance windows, URLs and overwrites (issue 14 items 3-7, 9), each against a real
// Alertmanager: what is refused answers 4xx naming the field, stores nothing and puts no silence in
// Alertmanager; what is accepted on purpose reaches Alertmanager and behaves there as stated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlertmanagerClient } from '../src/silencer/alertmanager-client';
import { loadProvisioning } from '../src/provisioning/loader';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, STORE_KINDS, type TestApp } from './support/app';

const HOUR = 3_600_000;
const every = (n: number) => Array.from({ length: n }, (_, i) => i).join(',');

/** A window open from a minute ago for an hour, unless the schedule is given. */
function windowBody(over: Record<string, unknown>) {
  const now = Date.now();
  return {
    name: 'hostile',
    schedule: {
      kind: 'once',
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + HOUR).toISOString(),
    },
    matchers: [{ name: 'service', op: '=', value: 'db' }],
    ...over,
  };
}
const rrule = (rule: string, durationMinutes: number) => ({
  kind: 'rrule',
  rrule: rule,
  start: '2026-01-05T02:00',
  durationMinutes,
});

/** [what, body, field named, message part] of windows an editor must not write. */
const REFUSED_WINDOWS: Array<[string, Record<string, unknown>, string, RegExp]> = [
  [
    'the recurrence bomb: every second of every hour',
    { schedule: rrule(`FREQ=HOURLY;BYMINUTE=${every(60)};BYSECOND=${every(60)}`, 1) },
    'body.schedule.rrule',
    /1 s apart .* an occurrence must end before the next starts/,
  ],
  [
    'every minute of every hour: 1,441 silences a day',
    { schedule: rrule(`FREQ=HOURLY;BYMINUTE=${every(60)}`, 1) },
    'body.schedule.rrule',
    /at least 501 silences .* at most 100/,
  ],
  [
    'daily occurrences lasting two days',
    { schedule: rrule('FREQ=DAILY', 2 * 24 * 60) },
    'body.schedule.durationMinutes',
    /1 day\(s\) apart .* each lasts 2 day\(s\)/,
  ],
  [
    'Monday and Tuesday for 36 hours',
    { schedule: { kind: 'weekly', days: ['MO', 'TU'], startTime: '02:00', durationMinutes: 36 * 60 } },
    'body.schedule.durationMinutes',
    /must end before the next starts/,
  ],
  [
    'a rule naming no real day (rrule walked to year 9999 for 30 s)',
    { schedule: rrule('FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30', 30) },
    'body.schedule.rrule',
    /finds no occurrence/,
  ],
  [
    'an hour the rule never reaches (rrule looped forever)',
    { schedule: rrule('FREQ=HOURLY;INTERVAL=2;BYHOUR=3', 30) },
    'body.schedule.rrule',
    /BYHOUR=3 is never reached/,
  ],
  [
    'alertname=~".+" alone silences every alert',
    { matchers: [{ name: 'alertname', op: '=~', value: '.+' }] },
    'body.matchers',
    /at least one equality matcher .* only an admin/,
  ],
  [
    'alertname!~"" alone silences every alert',
    { matchers: [{ name: 'alertname', op: '!~', value: '' }] },
    'body.matchers',
    /at least one equality matcher/,
  ],
  [
    'the same in Alertmanager’s matcher form',
    { matchers: [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }] },
    'body.matchers',
    /at least one equality matcher/,
  ],
  [
    'only regex and negative matchers',
    {
      matchers: [
        { name: 'service', op: '=~', value: 'db|cache' },
        { name: 'severity', op: '!=', value: 'page' },
      ],
    },
    'body.matchers',
    /at least one equality matcher/,
  ],
  [
    'a back-reference, which RE2 does not have',
    {
      matchers: [
        { name: 'service', op: '=', value: 'db' },
        { name: 'instance', op: '=~', value: '(a)\\1' },
      ],
    },
    'body.matchers.1.value',
    /not an RE2 regular expression .* invalid escape sequence/,
  ],
  [
    'a lookahead, which RE2 does not have',
    {
      matchers: [
        { name: 'service', op: '=', value: 'db' },
        { name: 'instance', op: '!~', value: '(?!db).*' },
      ],
    },
    'body.matchers.1.value',
    /Perl syntax/,
  ],
  [
    'a value that escapes Alertmanager’s anchoring group',
    {
      matchers: [
        { name: 'service', op: '=', value: 'db' },
        { name: 'instance', op: '=~', value: 'a)|(.*' },
      ],
    },
    'body.matchers.1.value',
    /unexpected \)/,
  ],
  [
    'op and isRegex in one matcher',
    { matchers: [{ name: 'service', op: '=', value: 'db', isRegex: true }] },
    'body.matchers.0.op',
    /either op or isRegex/,
  ],
];

describe.each(STORE_KINDS)('hostile maintenance windows on %s', (kind) => {
  let am: AlertmanagerServer;
  let client: AlertmanagerClient;
  let t: TestApp;

  const call = (role: 'viewer' | 'editor' | 'admin', method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, payload, headers: auth(role) });
  const liveSilences = async () => (await client.listSilences()).filter((s) => s.status.state !== 'expired');

  beforeAll(async () => {
    am = await startAlertmanager();
    client = new AlertmanagerClient({ name: am.url, apiUrl: `${am.url}/api/v2`, headers: {} }, 5000);
    t = await createTestApp(kind, { env: { ALERTMANAGER_URLS: am.url, SILENCER_INTERVAL_SECONDS: '3600' } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    client?.close();
    await am?.remove();
  });
  beforeEach(async () => {
    for (const s of await liveSilences()) await client.expireSilence(s.id);
    for (const w of (await call('admin', 'GET', '/maintenance-windows?limit=200')).json().items)
      await call('admin', 'DELETE', `/maintenance-windows/${w.id}`);
  });

  it.each(REFUSED_WINDOWS)('refuses %s with a 400 naming the field', async (_what, over, field, message) => {
    const res = await call('editor', 'POST', '/maintenance-windows', windowBody(over));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'validation_failed',
      message: expect.stringContaining(field),
      details: [{ field, message: expect.stringMatching(message) }],
    });
    expect((await call('viewer', 'GET', '/maintenance-windows')).json().items).toEqual([]);
    await t.app.silencer.runCycle();
    expect(await liveSilences()).toEqual([]);
  });

  it('agrees with Alertmanager: it refuses the back-reference itself, and accepts (?i)', async () => {
    const silence = (value: string) => ({
      matchers: [{ name: 'service', value, isRegex: true, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
      createdBy: 'test',
      comment: 'dialect check',
    });
    await expect(client.createSilence(silence('(a)\\1'))).rejects.toThrow(/answered 400/);
    const id = await client.createSilence(silence('(?i)api'));
    await client.expireSilence(id);
  });

  it('accepts (?i) as Alertmanager does, and the silence suppresses what RE2 matches', async () => {
    const res = await call(
      'editor',
      'POST',
      '/maintenance-windows',
      windowBody({
        matchers: [
          { name: 'maintenance', op: '=', value: 'allowed' },
          { name: 'service', op: '=~', value: '(?i)api' },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    await t.app.silencer.runCycle();
    const [s] = await liveSilences();
    expect(s!.matchers).toContainEqual({ name: 'service', value: '(?i)api', isRegex: true, isEqual: true });
    await am.postAlerts([
      { alertname: 'Down', maintenance: 'allowed', service: 'API' },
      { alertname: 'Down', maintenance: 'allowed', service: 'my-api' },
    ]);
    const byService = Object.fromEntries((await am.alerts()).map((a) => [a.labels.service, a.status.state]));
    expect(byService).toEqual({ API: 'suppressed', 'my-api': 'active' });
  });

  it('stores Alertmanager’s matcher form as op and sends Alertmanager the same matchers', async () => {
    const matchers = [
      { name: 'service', value: 'db', isRegex: false, isEqual: true },
      { name: 'severity', value: 'page', isRegex: false, isEqual: false },
      { name: 'instance', value: 'db-[0-9]+', isRegex: true },
      { name: 'env', value: 'dev|test', isRegex: true, isEqual: false },
    ];
    const res = await call('editor', 'POST', '/maintenance-windows', windowBody({ matchers }));
    expect(res.statusCode).toBe(201);
    expect(res.json().matchers).toEqual([
      { name: 'service', op: '=', value: 'db' },
      { name: 'severity', op: '!=', value: 'page' },
      { name: 'instance', op: '=~', value: 'db-[0-9]+' },
      { name: 'env', op: '!~', value: 'dev|test' },
    ]);
    await t.app.silencer.runCycle();
    const [s] = await liveSilences();
    expect(s!.matchers).toEqual(matchers.map((m) => ({ isEqual: true, ...m })));
  });

  it('lets an admin write a window that silences every alert, and an editor only narrow or disable it', async () => {
    const broad = windowBody({ id: 'everything', matchers: [{ name: 'alertname', op: '=~', value: '.+' }] });
    expect((await call('admin', 'POST', '/maintenance-windows', broad)).statusCode).toBe(201);
    await t.app.silencer.runCycle();
    expect((await liveSilences()).map((s) => s.matchers)).toEqual([
      [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }],
    ]);

    const patch = (body: object) =>
      call('editor', 'PATCH', '/maintenance-windows/everything', { ...body, version: current });
    let current = 1;
    const renamed = await patch({ name: 'Everything (admin)' });
    expect(renamed.statusCode).toBe(200);
    current = renamed.json().version;
    const widened = await patch({ matchers: [{ name: 'alertname', op: '!~', value: '' }] });
    expect(widened.statusCode).toBe(400);
    expect(widened.json().details).toEqual([
      { field: 'body.matchers', message: expect.stringContaining('only an admin') },
    ]);
    const extended = await call('editor', 'POST', '/maintenance-windows/everything/extend', { minutes: 600 });
    expect(extended.statusCode).toBe(403);
    expect(extended.json().details).toEqual([{ field: 'matchers', message: expect.any(String) }]);
    const disabled = await patch({ enabled: false });
    expect(disabled.statusCode).toBe(200);
    current = disabled.json().version;
    const enabled = await patch({ enabled: true });
    expect(enabled.statusCode).toBe(400);
    const narrowed = await patch({
      enabled: true,
      matchers: [
        { name: 'alertname', op: '=~', value: '.+' },
        { name: 'service', op: '=', value: 'db' },
      ],
    });
    expect(narrowed.statusCode).toBe(200);
  });

  it('takes broad windows and refuses bombs from provisioning files (an admin’s word), naming file and field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-hostile-'));
    fs.mkdirSync(path.join(dir, 'maintenance-windows'));
    const file = path.join(dir, 'maintenance-windows', 'windows.yaml');
    fs.writeFileSync(
      file,
      [
        'id: freeze',
        'name: Change freeze',
        'schedule: { kind: weekly, days: [SA], startTime: "00:00", durationMinutes: 60 }',
        'matchers: [{ name: alertname, op: "=~", value: ".+" }]',
        '---',
        'id: bomb',
        'name: Bomb',
        `schedule: { kind: rrule, rrule: "FREQ=HOURLY;BYMINUTE=${every(60)};BYSECOND=${every(60)}", start: "2026-01-05T02:00", durationMinutes: 1 }`,
        'matchers: [{ name: service, value: db }]',
        '',
      ].join('\n'),
    );
    try {
      const result = await loadProvisioning(t.app, dir);
      expect(result.created).toEqual(['maintenance window freeze']);
      expect(result.problems).toEqual([
        {
          file,
          line: 6,
          message: expect.stringMatching(/^schedule\.rrule: occurrences start as little as 1 s/),
        },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile URLs and overwrites', () => {
  let t: TestApp;
  const call = (method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url: `/api/v1${url}`, payload, headers: auth('editor') });

  beforeAll(async () => {
    t = await createTestApp('postgres');
  }, 60_000);
  afterAll(() => t?.close());

  const SCRIPT_URLS = [
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
  ];
  const slo = { id: 'api', name: 'API', service: 'api', objective: 99.9, window: '30d' };
  const indicator = {
    kind: 'ratio',
    errors: 'http_requests_total{code=~"5.."}',
    total: 'http_requests_total',
  };
  const CASES: Array<[string, string, (url: string) => object, string]> = [
    [
      'change rfcUrl',
      '/changes',
      (u) => ({ title: 'x', kind: 'deploy', risk: 'Low', service: 'api', rfcUrl: u }),
      'body.rfcUrl',
    ],
    ['SLO runbookUrl', '/slos', (u) => ({ ...slo, indicator, runbookUrl: u }), 'body.runbookUrl'],
    [
      'incident source.url',
      '/incidents',
      (u) => ({ title: 'x', severity: 'S3', service: 'api', source: { url: u } }),
      'body.source.url',
    ],
  ];

  it.each(
    CASES.flatMap(([what, route, body, field]) =>
      SCRIPT_URLS.map((u) => [what, u, route, body, field] as const),
    ),
  )('refuses %s %s naming the field', async (_what, url, route, body, field) => {
    const res = await call('POST', route, body(url));
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field, message: 'must be an http(s) URL' }]);
  });

  it('refuses a script URL patched into an existing change, and keeps the old one', async () => {
    const created = await call('POST', '/changes', CASES[0]![2]('https://rfc.example.com/CHG-1'));
    expect(created.statusCode).toBe(201);
    const { id, version } = created.json();
    const res = await call('PATCH', `/changes/${id}`, { rfcUrl: 'javascript:alert(1)', version });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ field: 'body.rfcUrl', message: 'must be an http(s) URL' }]);
    expect((await call('GET', `/changes/${id}`)).json().rfcUrl).toBe('https://rfc.example.com/CHG-1');
  });

  it('answers 428 to a PUT over an existing postmortem without a version, and loses nothing', async () => {
    const { id } = (await call('POST', '/incidents', { title: 'x', severity: 'S2', service: 'api' })).json();
    await call('POST', `/incidents/${id}/resolve`, {});
    const written = await call('PUT', `/incidents/${id}/postmortem`, {
      version: 1,
      rootCause: 'pool exhausted',
      actionItems: [{ title: 'Alert on pool saturation', owner: 'bo', dueDate: '2026-12-09' }],
    });
    expect(written.statusCode).toBe(200);
    const blind = await call('PUT', `/incidents/${id}/postmortem`, {
      rootCause: 'rewritten',
      actionItems: [],
    });
    expect(blind.statusCode).toBe(428);
    expect(blind.json().error).toBe('version_required');
    expect((await call('GET', `/incidents/${id}/postmortem`)).json()).toMatchObject({
      rootCause: 'pool exhausted',
      actionItems: [{ title: 'Alert on pool saturation' }],
    });
  });
});
