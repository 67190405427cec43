// Maintenance-window API and the silencer running inside the app, against real Alertmanagers
// (SQLite, and two apps sharing one PostgreSQL database as two replicas would).
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../src/clock';
import { AlertmanagerClient, type AmSilence } from '../src/silencer/alertmanager-client';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, createTestDatabase, type TestApp } from './support/app';
import { eventually } from './support/eventually';

const INTERVAL = { SILENCER_INTERVAL_SECONDS: '0.2' };
const HOUR = 3_600_000;

async function live(am: AlertmanagerServer): Promise<AmSilence[]> {
  const all = await new AlertmanagerClient(
    { name: am.url, apiUrl: `${am.url}/api/v2`, headers: {} },
    5000,
  ).listSilences();
  return all.filter((s) => s.status.state !== 'expired');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function windowBody(clock: ManualClock, extra: Record<string, unknown> = {}) {
  const now = clock.now().getTime();
  return {
    id: 'db-upgrade',
    name: 'DB upgrade',
    schedule: {
      kind: 'once',
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + HOUR).toISOString(),
    },
    matchers: [{ name: 'service', op: '=', value: 'db' }],
    changeId: 'CHG-42',
    ...extra,
  };
}

async function post(
  app: FastifyInstance,
  url: string,
  payload?: unknown,
  role: 'editor' | 'viewer' = 'editor',
) {
  return app.inject({ method: 'POST', url, payload: payload as object, headers: auth(role) });
}

describe('maintenance windows with the silencer on SQLite', () => {
  let am: AlertmanagerServer;
  let t: TestApp;
  let clock: ManualClock;

  beforeAll(async () => {
    am = await startAlertmanager();
  });
  afterAll(async () => {
    await am.remove();
  });
  beforeEach(async () => {
    await am.start({ wipe: true });
    clock = new ManualClock(new Date());
    t = await createTestApp('sqlite', { clock, env: { ...INTERVAL, ALERTMANAGER_URLS: am.url } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('silences a window that starts now, reports it synced and suppresses only matching alerts', async () => {
    expect((await post(t.app, '/api/v1/maintenance-windows', windowBody(clock))).statusCode).toBe(201);
    const [s] = await eventually(async () => {
      const got = await live(am);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(s!.comment).toMatch(
      /^opsdeck:instance=[0-9a-f]{12};window=db-upgrade;occ=\S+;v=[0-9a-f]+ Maintenance window "DB upgrade" for change CHG-42/,
    );

    const states = await eventually(async () => {
      const res = await t.app.inject({
        url: '/api/v1/maintenance-windows/db-upgrade/silences',
        headers: auth('viewer'),
      });
      expect(res.json().states[0].state).toBe('synced');
      return res.json();
    });
    expect(states).toEqual({
      windowId: 'db-upgrade',
      instanceId: s!.comment.match(/instance=([0-9a-f]+);/)![1],
      intervalSeconds: 0.2,
      lookAheadMinutes: 1440,
      states: [
        expect.objectContaining({
          target: am.url,
          state: 'synced',
          message: null,
          desired: 1,
          silenceIds: [s!.id],
        }),
      ],
    });

    await am.postAlerts([
      { alertname: 'DbLag', service: 'db' },
      { alertname: 'ApiErrors', service: 'api' },
    ]);
    const alerts = Object.fromEntries((await am.alerts()).map((a) => [a.labels.service, a.status]));
    expect(alerts.db).toEqual(expect.objectContaining({ state: 'suppressed', silencedBy: [s!.id] }));
    expect(alerts.api).toEqual(expect.objectContaining({ state: 'active', silencedBy: [] }));

    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(
      `opsdeck_silencer_window_state{window="db-upgrade",target="${am.url}",state="synced"} 1`,
    );
    expect(metrics).toContain(`opsdeck_silencer_target_up{target="${am.url}"} 1`);
    expect(metrics).toContain(`opsdeck_silencer_silences{target="${am.url}"} 1`);
  });

  it('ends the open occurrence at once and refuses to end a closed one', async () => {
    await post(t.app, '/api/v1/maintenance-windows', windowBody(clock));
    await eventually(async () => expect(await live(am)).toHaveLength(1));
    clock.advance(5 * 60_000);
    const res = await post(t.app, '/api/v1/maintenance-windows/db-upgrade/end');
    expect(res.statusCode).toBe(200);
    expect(res.json().occurrence).toEqual(
      expect.objectContaining({ end: clock.now().toISOString(), adjustment: 'ended-early' }),
    );
    // The request ran a cycle before answering.
    expect(await live(am)).toEqual([]);
    expect(res.json().silences).toEqual([
      expect.objectContaining({ state: 'synced', desired: 0, silenceIds: [] }),
    ]);

    const again = await post(t.app, '/api/v1/maintenance-windows/db-upgrade/end');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toBe('no_open_occurrence');

    const occ = await t.app.inject({
      url: `/api/v1/maintenance-windows/db-upgrade/occurrences?from=${new Date(clock.now().getTime() - HOUR).toISOString()}`,
      headers: auth('viewer'),
    });
    expect(occ.json().items).toEqual([
      expect.objectContaining({ adjustment: 'ended-early', end: clock.now().toISOString() }),
    ]);
    const annotations = await t.app.inject({
      url: `/api/v1/annotations?kinds=maintenance&from=${clock.now().getTime() - HOUR}&to=${clock.now().getTime() + HOUR}`,
      headers: auth('viewer'),
    });
    expect(annotations.json().items).toEqual([
      expect.objectContaining({ kind: 'maintenance', timeEnd: clock.now().getTime() }),
    ]);
    const audit = await t.app.inject({ url: '/api/v1/audit?entityId=db-upgrade', headers: auth('admin') });
    expect(JSON.stringify(audit.json())).toContain('"action":"end"');
  });

  it('extends the live silence by minutes or until a time', async () => {
    const body = windowBody(clock);
    await post(t.app, '/api/v1/maintenance-windows', body);
    await eventually(async () => expect(await live(am)).toHaveLength(1));
    const res = await post(t.app, '/api/v1/maintenance-windows/db-upgrade/extend', { minutes: 30 });
    expect(res.statusCode).toBe(200);
    const end = new Date(Date.parse(body.schedule.end) + 30 * 60_000).toISOString();
    expect(res.json().occurrence).toEqual(
      expect.objectContaining({ end, scheduledEnd: body.schedule.end, adjustment: 'extended' }),
    );
    const [s, ...rest] = await live(am);
    expect(rest).toEqual([]);
    expect(s!.endsAt).toBe(end);

    const until = new Date(clock.now().getTime() + 5 * HOUR).toISOString();
    await post(t.app, '/api/v1/maintenance-windows/db-upgrade/extend', { until });
    expect((await live(am)).map((x) => x.endsAt)).toEqual([until]);

    const past = await post(t.app, '/api/v1/maintenance-windows/db-upgrade/extend', {
      until: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().details).toEqual([expect.objectContaining({ field: 'body.until' })]);
    expect(
      (await post(t.app, '/api/v1/maintenance-windows/db-upgrade/extend', { minutes: 5 }, 'viewer'))
        .statusCode,
    ).toBe(403);
  });

  it('survives a backend restart mid-window without a duplicate', async () => {
    await post(t.app, '/api/v1/maintenance-windows', windowBody(clock));
    const [before] = await eventually(async () => {
      const got = await live(am);
      expect(got).toHaveLength(1);
      return got;
    });
    await t.app.close();
    await t.store.close();
    const again = await createTestApp('sqlite', {
      clock,
      database: t.database,
      env: { ...INTERVAL, ALERTMANAGER_URLS: am.url },
    });
    try {
      await sleep(1000);
      expect((await live(am)).map((s) => s.id)).toEqual([before!.id]);
      expect(again.app.silencer.lastReport?.targets[0]).toEqual(
        expect.objectContaining({ ok: true, created: 0, managed: 1 }),
      );
    } finally {
      await again.app.close();
      await again.store.close();
      t = { ...t, close: () => t.database.drop() };
    }
  });

  it('reports an unreachable Alertmanager in state and metrics, keeps serving, and catches up', async () => {
    await post(t.app, '/api/v1/maintenance-windows', windowBody(clock));
    await eventually(async () => expect(await live(am)).toHaveLength(1));
    await am.stop();
    const state = await eventually(async () => {
      const res = await t.app.inject({
        url: '/api/v1/maintenance-windows/db-upgrade/silences',
        headers: auth('viewer'),
      });
      expect(res.json().states[0].state).toBe('error');
      return res.json().states[0];
    });
    expect(state.message).toMatch(/GET \/silences failed/);
    expect(state.lastSyncAt).not.toBeNull();
    await sleep(1000);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(`opsdeck_silencer_target_up{target="${am.url}"} 0`);
    expect(
      Number(/opsdeck_silencer_errors_total\{target="[^"]+"\} (\d+)/.exec(metrics)?.[1]),
    ).toBeGreaterThanOrEqual(3);

    await am.start({ wipe: true });
    await eventually(async () => expect(await live(am)).toHaveLength(1));
    await eventually(async () => {
      const res = await t.app.inject({
        url: '/api/v1/maintenance-windows/db-upgrade/silences',
        headers: auth('viewer'),
      });
      expect(res.json().states[0]).toEqual(expect.objectContaining({ state: 'synced', message: null }));
    });
  });

  it('expands occurrences across DST and validates windows as Alertmanager would', async () => {
    const berlin = await post(t.app, '/api/v1/maintenance-windows', {
      id: 'berlin',
      name: 'Berlin Sunday night',
      timeZone: 'Europe/Berlin',
      schedule: { kind: 'weekly', days: ['SU'], startTime: '02:30', durationMinutes: 60 },
      matchers: [{ name: 'team', op: '=', value: 'dba' }],
      targets: ['http://127.0.0.1:1'],
    });
    expect(berlin.statusCode).toBe(201);
    const occ = await t.app.inject({
      url: '/api/v1/maintenance-windows/berlin/occurrences?from=2027-03-20T00:00:00Z&to=2027-04-05T00:00:00Z',
      headers: auth('viewer'),
    });
    expect(occ.json().items.map((o: { start: string }) => o.start)).toEqual([
      '2027-03-21T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
      '2027-04-04T00:30:00.000Z',
    ]);
    const states = await t.app.inject({
      url: '/api/v1/maintenance-windows/berlin/silences',
      headers: auth('viewer'),
    });
    expect(states.json().states).toEqual([
      expect.objectContaining({
        target: 'http://127.0.0.1:1',
        state: 'error',
        message: expect.stringMatching(/not configured/),
      }),
    ]);

    const bad = [
      [
        {
          schedule: {
            kind: 'rrule',
            rrule: 'FREQ=WEEKLY;BYDAY=XX',
            start: '2027-01-01T02:00',
            durationMinutes: 5,
          },
        },
        'body.schedule.rrule',
      ],
      [{ matchers: [{ name: 'severity', op: '!=', value: 'page' }] }, 'body.matchers'],
      [
        { schedule: { kind: 'once', start: '2027-01-01T02:00:00Z', end: '2027-01-01T01:00:00Z' } },
        'body.schedule.end',
      ],
    ] as const;
    for (const [extra, field] of bad) {
      const res = await post(
        t.app,
        '/api/v1/maintenance-windows',
        windowBody(clock, { id: 'bad', ...extra }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([expect.objectContaining({ field })]);
    }
    const range = await t.app.inject({
      url: '/api/v1/maintenance-windows/berlin/occurrences?from=2027-01-01T00:00:00Z&to=2029-01-01T00:00:00Z',
      headers: auth('viewer'),
    });
    expect(range.statusCode).toBe(400);
  });
});

describe('the silencer loop', () => {
  let am: AlertmanagerServer;
  beforeAll(async () => {
    am = await startAlertmanager();
  });
  afterAll(async () => {
    await am.remove();
  });

  it('creates the silence of a window once it comes within the look-ahead, without any request', async () => {
    const clock = new ManualClock(new Date());
    const t = await createTestApp('sqlite', {
      clock,
      env: { ...INTERVAL, SILENCER_LOOKAHEAD_MINUTES: '10', ALERTMANAGER_URLS: am.url },
    });
    try {
      const start = new Date(clock.now().getTime() + 15 * 60_000);
      const res = await post(t.app, '/api/v1/maintenance-windows', {
        ...windowBody(clock),
        schedule: {
          kind: 'once',
          start: start.toISOString(),
          end: new Date(start.getTime() + HOUR).toISOString(),
        },
      });
      expect(res.statusCode).toBe(201);
      await sleep(600);
      expect(await live(am)).toEqual([]);
      clock.advance(6 * 60_000);
      const [s] = await eventually(async () => {
        const got = await live(am);
        expect(got).toHaveLength(1);
        return got;
      }, 2000);
      expect(s!.startsAt).toBe(start.toISOString());
      expect(s!.status.state).toBe('pending');
    } finally {
      await t.close();
    }
  });

  it("manages Grafana-managed alerting's silences at GRAFANA_URL with the bearer token", async () => {
    // Grafana cannot run here: a proxy serves Grafana's path for its Alertmanager and checks the token.
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const prefix = '/api/alertmanager/grafana/api/v2';
      if (req.headers.authorization !== 'Bearer glsa_test' || !req.url?.startsWith(prefix)) {
        res.writeHead(401).end('{"message":"Unauthorized"}');
        return;
      }
      const upstream = httpRequest(
        `${am.url}/api/v2${req.url.slice(prefix.length)}`,
        { method: req.method, headers: { 'content-type': 'application/json' } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const grafanaUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    await am.start({ wipe: true });
    const clock = new ManualClock(new Date());
    const t = await createTestApp('sqlite', {
      clock,
      env: { ...INTERVAL, GRAFANA_URL: grafanaUrl, GRAFANA_TOKEN: 'glsa_test' },
    });
    try {
      await post(t.app, '/api/v1/maintenance-windows', windowBody(clock, { targets: ['grafana'] }));
      await eventually(async () => expect(await live(am)).toHaveLength(1));
      const state = await eventually(async () => {
        const res = await t.app.inject({
          url: '/api/v1/maintenance-windows/db-upgrade/silences',
          headers: auth('viewer'),
        });
        expect(res.json().states[0].state).toBe('synced');
        return res.json().states[0];
      });
      expect(state.target).toBe('grafana');
      expect(seen[0]).toBe('GET /api/alertmanager/grafana/api/v2/silences Bearer glsa_test');
    } finally {
      await t.close();
      proxy.close();
    }
  });
});

describe('two backends on one PostgreSQL database', () => {
  it('leave exactly one silence per occurrence and target after many cycles', async () => {
    const ams = await Promise.all([startAlertmanager(), startAlertmanager()]);
    const database = await createTestDatabase('postgres');
    const env = { ...INTERVAL, ALERTMANAGER_URLS: ams.map((a) => a.url).join(',') };
    const clock = new ManualClock(new Date());
    const apps: TestApp[] = [];
    try {
      apps.push(await createTestApp('postgres', { clock, database, env }));
      apps.push(await createTestApp('postgres', { clock, database, env }));
      for (let i = 0; i < 10; i++) {
        const res = await post(apps[i % 2]!.app, '/api/v1/maintenance-windows', {
          id: `w${i}`,
          name: `window ${i}`,
          schedule: {
            kind: 'rrule',
            rrule: 'FREQ=HOURLY;INTERVAL=10',
            start: new Date(clock.now().getTime() - i * 60_000).toISOString().slice(0, 16),
            durationMinutes: 30,
          },
          matchers: [{ name: 'service', op: '=', value: `svc-${i}` }],
        });
        expect(res.statusCode).toBe(201);
      }
      // Many cycles of both replicas (200 ms interval), with the clock moving on.
      for (let i = 0; i < 10; i++) {
        await sleep(250);
        clock.advance(60_000);
      }
      for (const am of ams) {
        const keys = (await live(am)).map((s) => s.comment.split(' ')[0]);
        // Every 10 hours: the open occurrence and the two that start within 24 h, per window.
        expect(keys).toHaveLength(10 * 3);
        expect(new Set(keys).size).toBe(keys.length);
      }
      const expired = await Promise.all(
        ams.map(async (am) =>
          (
            await new AlertmanagerClient(
              { name: am.url, apiUrl: `${am.url}/api/v2`, headers: {} },
              5000,
            ).listSilences()
          ).filter((s) => s.status.state === 'expired'),
        ),
      );
      expect(expired.flat()).toEqual([]);
      const leaders = await Promise.all(
        apps.map(
          async (a) =>
            /opsdeck_silencer_cycles_total\{result="skipped"\} (\d+)/.exec(
              (await a.app.inject({ url: '/metrics' })).body,
            )?.[1],
        ),
      );
      expect(leaders.some((n) => Number(n) > 0)).toBe(true);
    } finally {
      for (const a of apps) await a.close();
      await database.drop();
      await Promise.all(ams.map((a) => a.remove()));
    }
  });
});
