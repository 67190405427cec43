// The reconcile cycle against real Alertmanagers (and PostgreSQL for the replica lock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MaintenanceWindow, OccurrenceAdjustment, Schedule } from '@opsdeck/common';
import pg from 'pg';
import { Registry } from 'prom-client';
import { ManualClock } from '../src/clock';
import { AlertmanagerClient, type AmSilence, type SilenceTarget } from '../src/silencer/alertmanager-client';
import { PostgresCycleLock } from '../src/silencer/cycle-lock';
import { type ManagedWindow, Reconciler } from '../src/silencer/reconciler';
import { parseSilenceKey } from '../src/silencer/silence-key';
import { CATCH_UP_DELAY_MS, Silencer, type SilencerOptions } from '../src/silencer/silencer';
import { openStore, type Store } from '../src/store/db';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';

const HOUR = 3_600_000;

function makeWindow(
  id: string,
  schedule: Schedule,
  extra: Partial<MaintenanceWindow> = {},
): MaintenanceWindow {
  return {
    id,
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    createdBy: 'test',
    name: `window ${id}`,
    description: '',
    service: null,
    timeZone: 'UTC',
    schedule,
    matchers: [{ name: 'maintenance', op: '=', value: 'allowed' }],
    targets: [],
    changeId: null,
    enabled: true,
    source: 'api',
    ...extra,
  };
}

const target = (am: AlertmanagerServer): SilenceTarget => ({
  name: am.url,
  apiUrl: `${am.url}/api/v2`,
  headers: {},
});

async function silences(am: AlertmanagerServer): Promise<AmSilence[]> {
  return new AlertmanagerClient(target(am), 5000).listSilences();
}
async function live(am: AlertmanagerServer): Promise<AmSilence[]> {
  return (await silences(am)).filter((s) => s.status.state !== 'expired');
}

describe('silencer reconcile cycle', () => {
  let am: AlertmanagerServer;
  let clock: ManualClock;
  let windows: ManagedWindow[];

  const reconciler = (over: Partial<ConstructorParameters<typeof Reconciler>[0]> = {}) =>
    new Reconciler({
      clock,
      targets: [target(am)],
      lookAheadMs: 24 * HOUR,
      requestTimeoutMs: 2000,
      loadWindows: async () => windows,
      instanceId: async () => 'test',
      ...over,
    });

  beforeAll(async () => {
    am = await startAlertmanager();
  });
  afterAll(async () => {
    await am.remove();
  });
  beforeEach(async () => {
    // Alertmanager runs on real time, so the test clock starts at the real now and is moved by hand.
    clock = new ManualClock(new Date());
    windows = [];
    await am.start({ wipe: true });
  });

  const openNow = (id = 'db-upgrade', extra: Partial<MaintenanceWindow> = {}) => {
    const now = clock.now().getTime();
    return makeWindow(
      id,
      { kind: 'once', start: new Date(now - 60_000).toISOString(), end: new Date(now + HOUR).toISOString() },
      extra,
    );
  };

  it('creates the silence of a window open now in one cycle; matching alerts are suppressed, others not', async () => {
    windows = [
      {
        window: openNow('db-upgrade', {
          matchers: [
            { name: 'service', op: '=~', value: 'db|cache' },
            { name: 'severity', op: '!=', value: 'page' },
          ],
        }),
        adjustments: [],
      },
    ];
    const report = await reconciler().cycle();
    expect(report.targets).toEqual([
      expect.objectContaining({ target: am.url, ok: true, created: 1, expired: 0 }),
    ]);
    const [s, ...rest] = await live(am);
    expect(rest).toEqual([]);
    expect(s!.createdBy).toBe('opsdeck');
    expect(s!.status.state).toBe('active');
    expect(parseSilenceKey(s!.comment)).toEqual(expect.objectContaining({ windowId: 'db-upgrade' }));
    expect(s!.comment).toContain('Maintenance window "window db-upgrade"');
    expect(new Date(s!.endsAt).toISOString()).toBe(new Date(clock.now().getTime() + HOUR).toISOString());
    expect(report.states).toEqual([
      expect.objectContaining({
        windowId: 'db-upgrade',
        target: am.url,
        state: 'synced',
        message: null,
        desired: 1,
        silenceIds: [s!.id],
      }),
    ]);

    await am.postAlerts([
      { alertname: 'DbDown', service: 'db', severity: 'ticket' },
      { alertname: 'DbDown', service: 'db', severity: 'page' },
      { alertname: 'ApiDown', service: 'api', severity: 'ticket' },
    ]);
    const byKey = Object.fromEntries(
      (await am.alerts()).map((a) => [`${a.labels.service}/${a.labels.severity}`, a.status]),
    );
    expect(byKey['db/ticket']).toEqual(expect.objectContaining({ state: 'suppressed', silencedBy: [s!.id] }));
    expect(byKey['db/page']).toEqual(expect.objectContaining({ state: 'active', silencedBy: [] }));
    expect(byKey['api/ticket']).toEqual(expect.objectContaining({ state: 'active', silencedBy: [] }));
  });

  it('repeated cycles and a fresh reconciler (backend restart) create no duplicate', async () => {
    windows = [{ window: openNow(), adjustments: [] }];
    await reconciler().cycle();
    const first = await live(am);
    for (let i = 0; i < 3; i++) {
      clock.advance(200);
      const report = await reconciler().cycle();
      expect(report.targets[0]).toEqual(
        expect.objectContaining({ ok: true, created: 0, expired: 0, managed: 1 }),
      );
    }
    expect((await live(am)).map((s) => s.id)).toEqual(first.map((s) => s.id));
  });

  it('replaces the silence of an edited window, expires removed, disabled and ended ones', async () => {
    const w = openNow();
    windows = [{ window: w, adjustments: [] }];
    const r = reconciler();
    await r.cycle();
    const [before] = await live(am);

    windows = [
      { window: { ...w, version: 2, matchers: [{ name: 'team', op: '=', value: 'dba' }] }, adjustments: [] },
    ];
    expect((await r.cycle()).targets[0]).toEqual(expect.objectContaining({ created: 1, expired: 1 }));
    const [after, ...more] = await live(am);
    expect(more).toEqual([]);
    expect(after!.id).not.toBe(before!.id);
    expect(after!.matchers).toEqual([{ name: 'team', value: 'dba', isRegex: false, isEqual: true }]);

    windows = [{ window: { ...w, enabled: false }, adjustments: [] }];
    expect((await r.cycle()).targets[0]).toEqual(expect.objectContaining({ created: 0, expired: 1 }));
    expect(await live(am)).toEqual([]);

    windows = [{ window: w, adjustments: [] }];
    await r.cycle();
    expect(await live(am)).toHaveLength(1);
    windows = [];
    await r.cycle();
    expect(await live(am)).toEqual([]);

    windows = [{ window: w, adjustments: [] }];
    await r.cycle();
    const ended: OccurrenceAdjustment[] = [
      {
        occurrenceStart: new Date(w.schedule.kind === 'once' ? w.schedule.start : 0).toISOString(),
        end: clock.now().toISOString(),
      },
    ];
    windows = [{ window: w, adjustments: ended }];
    expect((await r.cycle()).states[0]).toEqual(
      expect.objectContaining({ state: 'synced', desired: 0, silenceIds: [] }),
    );
    expect(await live(am)).toEqual([]);
  });

  it('extending moves the live silence end', async () => {
    const w = openNow();
    windows = [{ window: w, adjustments: [] }];
    const r = reconciler();
    await r.cycle();
    const until = new Date(clock.now().getTime() + 3 * HOUR).toISOString();
    const start = (w.schedule as { start: string }).start;
    windows = [{ window: w, adjustments: [{ occurrenceStart: new Date(start).toISOString(), end: until }] }];
    await r.cycle();
    const [s, ...rest] = await live(am);
    expect(rest).toEqual([]);
    expect(s!.endsAt).toBe(until);
  });

  it('never touches silences people made, even one carrying a copied opsdeck comment', async () => {
    const w = openNow();
    windows = [{ window: w, adjustments: [] }];
    const r = reconciler();
    await r.cycle();
    const [ours] = await live(am);
    const client = new AlertmanagerClient(target(am), 5000);
    const now = clock.now().getTime();
    const people = [
      { createdBy: 'alice', comment: 'disk swap on db-3' },
      { createdBy: 'bob', comment: ours!.comment },
      {
        createdBy: 'carol',
        comment: 'opsdeck:window=gone;occ=2020-01-01T00:00:00.000Z;v=abc somebody typed this',
      },
    ];
    const ids: string[] = [];
    for (const p of people) {
      ids.push(
        await client.createSilence({
          ...p,
          matchers: [{ name: 'maintenance', value: 'allowed', isRegex: false, isEqual: true }],
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 2 * HOUR).toISOString(),
        }),
      );
    }
    const byId = (a: AmSilence, b: AmSilence) => a.id.localeCompare(b.id);
    const snapshot = (await live(am)).filter((s) => ids.includes(s.id)).sort(byId);
    expect(snapshot).toHaveLength(3);
    windows = [];
    for (let i = 0; i < 3; i++) await r.cycle();
    expect((await live(am)).filter((s) => s.id !== ours!.id).sort(byId)).toEqual(snapshot);
    expect((await live(am)).map((s) => s.id)).not.toContain(ours!.id);
  });

  it('creates upcoming silences of a Europe/Berlin and an America/New_York window at the right instants across DST', async () => {
    // The next spring-forward after today: Europe 28 Mar 2027, United States 14 Mar 2027.
    clock.set('2027-03-12T12:00:00Z');
    windows = [
      {
        window: makeWindow(
          'berlin',
          { kind: 'weekly', days: ['SA', 'SU', 'MO'], startTime: '02:30', durationMinutes: 60 },
          { timeZone: 'Europe/Berlin' },
        ),
        adjustments: [],
      },
      {
        window: makeWindow(
          'nyc',
          {
            kind: 'rrule',
            rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0',
            start: '2027-01-01T02:00',
            durationMinutes: 120,
          },
          { timeZone: 'America/New_York' },
        ),
        adjustments: [],
      },
    ];
    const r = reconciler({ lookAheadMs: 4 * 24 * HOUR });
    await r.cycle();
    const nyc = (await live(am))
      .filter((s) => parseSilenceKey(s.comment)?.windowId === 'nyc')
      .map((s) => `${s.startsAt}/${s.endsAt}/${s.status.state}`);
    expect(nyc.sort()).toEqual([
      '2027-03-13T07:00:00.000Z/2027-03-13T09:00:00.000Z/pending',
      '2027-03-14T07:00:00.000Z/2027-03-14T09:00:00.000Z/pending', // 02:00 does not exist: 03:00 EDT
      '2027-03-15T06:00:00.000Z/2027-03-15T08:00:00.000Z/pending',
      '2027-03-16T06:00:00.000Z/2027-03-16T08:00:00.000Z/pending',
    ]);
    const berlinCet = (await live(am))
      .filter((s) => parseSilenceKey(s.comment)?.windowId === 'berlin')
      .map((s) => s.startsAt);
    expect(berlinCet.sort()).toEqual([
      '2027-03-13T01:30:00.000Z',
      '2027-03-14T01:30:00.000Z',
      '2027-03-15T01:30:00.000Z',
    ]);

    clock.set('2027-03-26T12:00:00Z');
    await r.cycle();
    const berlin = (await live(am))
      .filter((s) => parseSilenceKey(s.comment)?.windowId === 'berlin')
      .map((s) => `${s.startsAt}/${s.endsAt}`);
    expect(berlin.sort()).toEqual([
      '2027-03-27T01:30:00.000Z/2027-03-27T02:30:00.000Z',
      '2027-03-28T01:30:00.000Z/2027-03-28T02:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2027-03-29T00:30:00.000Z/2027-03-29T01:30:00.000Z',
    ]);
    // The New York silences of two weeks ago are no longer wanted (the clock moved, Alertmanager's did not).
    expect(
      (await live(am))
        .filter((s) => parseSilenceKey(s.comment)?.windowId === 'nyc')
        .map((s) => s.startsAt.slice(0, 10))
        .sort(),
    ).toEqual(['2027-03-27', '2027-03-28', '2027-03-29', '2027-03-30']);
  });

  it('keeps the silence through an Alertmanager restart, and puts it back after a wipe', async () => {
    windows = [{ window: openNow(), adjustments: [] }];
    const r = reconciler();
    await r.cycle();
    const [before] = await live(am);

    await am.start();
    expect((await r.cycle()).targets[0]).toEqual(
      expect.objectContaining({ ok: true, created: 0, managed: 1 }),
    );
    expect((await live(am)).map((s) => s.id)).toEqual([before!.id]);

    await am.start({ wipe: true });
    expect(await live(am)).toEqual([]);
    expect((await r.cycle()).targets[0]).toEqual(expect.objectContaining({ ok: true, created: 1 }));
    const [back, ...rest] = await live(am);
    expect(rest).toEqual([]);
    expect(back!.comment).toBe(before!.comment);
  });

  it('reports an unreachable Alertmanager as an error on every window, then catches up', async () => {
    windows = [{ window: openNow(), adjustments: [] }];
    const r = reconciler({ requestTimeoutMs: 300 });
    await am.stop();
    for (let i = 0; i < 3; i++) {
      clock.advance(200);
      const report = await r.cycle();
      expect(report.targets[0]).toEqual(expect.objectContaining({ ok: false, created: 0 }));
      expect(report.targets[0]!.error).toMatch(/GET \/silences failed: ECONNREFUSED/);
      expect(report.states).toEqual([
        expect.objectContaining({ state: 'error', lastSyncAt: null, message: report.targets[0]!.error }),
      ]);
    }
    await am.start();
    const report = await r.cycle();
    expect(report.states).toEqual([expect.objectContaining({ state: 'synced', message: null, desired: 1 })]);
    expect(await live(am)).toHaveLength(1);
  });

  it('creates imminent silences at once and leaves later ones to the next cycles when over its write budget', async () => {
    const now = clock.now().getTime();
    windows = [
      { window: openNow('now'), adjustments: [] },
      {
        window: makeWindow('later', {
          kind: 'once',
          start: new Date(now + 5 * HOUR).toISOString(),
          end: new Date(now + 6 * HOUR).toISOString(),
        }),
        adjustments: [],
      },
    ];
    const r = reconciler({ writeBudgetMs: 0, urgentWithinMs: HOUR });
    const first = await r.cycle();
    expect(first.targets[0]).toEqual(expect.objectContaining({ created: 1, deferred: 1 }));
    expect(first.states.find((s) => s.windowId === 'later')).toEqual(
      expect.objectContaining({
        state: 'pending',
        message: '1 write(s) to upcoming silences left for the next cycle',
        silenceIds: [],
      }),
    );
    expect((await live(am)).map((s) => parseSilenceKey(s.comment)?.windowId)).toEqual(['now']);

    clock.advance(4.5 * HOUR);
    const later = await r.cycle();
    expect(later.targets[0]).toEqual(expect.objectContaining({ created: 1, deferred: 0 }));
    expect(later.states.find((s) => s.windowId === 'later')).toEqual(
      expect.objectContaining({ state: 'synced' }),
    );
  });

  const startingIn = (id: string, hours: number): ManagedWindow => {
    const start = clock.now().getTime() + hours * HOUR;
    return {
      window: makeWindow(id, {
        kind: 'once',
        start: new Date(start).toISOString(),
        end: new Date(start + HOUR).toISOString(),
      }),
      adjustments: [],
    };
  };
  const liveWindowIds = async () => (await live(am)).map((s) => parseSilenceKey(s.comment)!.windowId).sort();

  it('past its write budget still creates the silence of every open window, however many upcoming ones wait', async () => {
    const upcoming = Array.from({ length: 40 }, (_, i) => startingIn(`later-${i}`, 2 + i / 2));
    // The open windows come last in the list: urgency, not list order, decides what is written first.
    const open = ['open-a', 'open-b', 'open-c'].map((id) => ({ window: openNow(id), adjustments: [] }));
    windows = [...upcoming, ...open];
    const first = await reconciler({ writeBudgetMs: 0, urgentWithinMs: 60_000 }).cycle();
    expect(first.targets[0]).toEqual(expect.objectContaining({ ok: true, created: 3, deferred: 40 }));
    expect(await liveWindowIds()).toEqual(['open-a', 'open-b', 'open-c']);
    const byWindow = new Map(first.states.map((s) => [s.windowId, s]));
    expect(byWindow.get('open-b')).toEqual(expect.objectContaining({ state: 'synced', message: null }));
    expect(byWindow.get('later-39')).toEqual(
      expect.objectContaining({
        state: 'pending',
        message: '1 write(s) to upcoming silences left for the next cycle',
        desired: 1,
        silenceIds: [],
      }),
    );

    const next = await reconciler().cycle();
    expect(next.targets[0]).toEqual(
      expect.objectContaining({ ok: true, created: 40, deferred: 0, managed: 43 }),
    );
    expect(next.states.every((s) => s.state === 'synced')).toBe(true);
  });

  it('past its write budget expires an open silence at once and leaves an upcoming one for the next cycle', async () => {
    windows = [{ window: openNow('open'), adjustments: [] }, startingIn('later', 5)];
    await reconciler().cycle();
    expect(await liveWindowIds()).toEqual(['later', 'open']);

    windows = [];
    const first = await reconciler({ writeBudgetMs: 0, urgentWithinMs: 60_000 }).cycle();
    expect(first.targets[0]).toEqual(expect.objectContaining({ ok: true, expired: 1, deferred: 1 }));
    expect(await liveWindowIds()).toEqual(['later']);

    const next = await reconciler().cycle();
    expect(next.targets[0]).toEqual(expect.objectContaining({ ok: true, expired: 1, deferred: 0 }));
    expect(await liveWindowIds()).toEqual([]);
  });

  it('reports windows naming a target that is not configured', async () => {
    windows = [
      { window: openNow('elsewhere', { targets: ['http://127.0.0.1:1', am.url] }), adjustments: [] },
    ];
    const report = await reconciler().cycle();
    expect(report.states).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: am.url, state: 'synced' }),
        expect.objectContaining({
          target: 'http://127.0.0.1:1',
          state: 'error',
          message: expect.stringMatching(/not configured/),
        }),
      ]),
    );
  });
});

describe('two reconcilers on one PostgreSQL', () => {
  const dbName = `opsdeck_silencer_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  let ams: AlertmanagerServer[];
  const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    ams = await Promise.all([startAlertmanager(), startAlertmanager()]);
  });
  afterAll(async () => {
    await Promise.all(ams.map((a) => a.remove()));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('leaves exactly one silence per occurrence and target after many concurrent cycles', async () => {
    const clock = new ManualClock(new Date());
    const now = clock.now().getTime();
    const windows: ManagedWindow[] = Array.from({ length: 20 }, (_, i) => ({
      window: makeWindow(`w${i}`, {
        kind: 'rrule',
        rrule: 'FREQ=HOURLY;INTERVAL=6',
        start: new Date(now - i * 60_000).toISOString().slice(0, 16),
        durationMinutes: 30,
      }),
      adjustments: [],
    }));
    const locks = [new PostgresCycleLock(url), new PostgresCycleLock(url)];
    const replicas = locks.map(
      (lock) =>
        new Reconciler({
          clock,
          targets: ams.map(target),
          lookAheadMs: 24 * HOUR,
          requestTimeoutMs: 2000,
          // Slow window loading widens the race the lock has to close.
          loadWindows: async () => {
            await new Promise((r) => setTimeout(r, 5));
            return windows;
          },
          instanceId: async () => 'test',
          lock,
        }),
    );
    try {
      let ran = 0;
      let skipped = 0;
      let created = 0;
      let expired = 0;
      for (let round = 0; round < 15; round++) {
        const reports = await Promise.all(replicas.map((r) => r.cycle()));
        ran += reports.filter((r) => r.ran).length;
        skipped += reports.filter((r) => !r.ran).length;
        for (const t of reports.flatMap((r) => r.targets)) {
          created += t.created;
          expired += t.expired;
        }
        clock.advance(200);
      }
      expect(skipped).toBeGreaterThan(0);
      expect(ran).toBeGreaterThanOrEqual(15);
      // Never a duplicate to clean up: each silence was created once, by one replica.
      expect({ created, expired }).toEqual({ created: 2 * 20 * 5, expired: 0 });
      for (const a of ams) {
        const keys = (await live(a)).map((s) => s.comment.split(' ')[0]);
        // 24 h ahead of an every-6-hours rule: the open occurrence and four upcoming ones per window.
        expect(keys).toHaveLength(20 * 5);
        expect(new Set(keys).size).toBe(keys.length);
      }
    } finally {
      await Promise.all(locks.map((l) => l.close()));
    }
  });
});

describe('the silencer service past its write budget', () => {
  let am: AlertmanagerServer;
  let dir: string;
  let store: Store;
  let windows: MaintenanceWindow[];
  const clock = new ManualClock(new Date());

  const silencer = (registry: Registry, over: Partial<SilencerOptions> = {}) =>
    new Silencer({
      store,
      listWindows: async () => windows,
      clock,
      targets: [target(am)],
      intervalMs: 10_000,
      lookAheadMs: 24 * HOUR,
      requestTimeoutMs: 2000,
      registry,
      ...over,
    });
  const metric = async (registry: Registry, pattern: RegExp) =>
    Number(pattern.exec(await registry.metrics())?.[1]);

  beforeAll(async () => {
    am = await startAlertmanager();
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-silencer-'));
    store = await openStore(`sqlite:${join(dir, 'silencer.db')}`);
  });
  afterAll(async () => {
    await store.close();
    await am.remove();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await am.start({ wipe: true });
    const now = clock.now().getTime();
    windows = [
      makeWindow('open', {
        kind: 'once',
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + HOUR).toISOString(),
      }),
      ...Array.from({ length: 5 }, (_, i) =>
        makeWindow(`later-${i}`, {
          kind: 'once',
          start: new Date(now + (2 + i) * HOUR).toISOString(),
          end: new Date(now + (3 + i) * HOUR).toISOString(),
        }),
      ),
    ];
  });

  it('counts the writes left for the next cycle in state and metrics, and catches up with budget to spare', async () => {
    const registry = new Registry();
    const starved = silencer(registry, { writeBudgetMs: 0 });
    const report = await starved.runCycle();
    await starved.stop();
    expect(report.targets[0]).toEqual(expect.objectContaining({ created: 1, deferred: 5 }));
    expect(await metric(registry, /opsdeck_silencer_deferred_writes\{target="[^"]+"\} (\d+)/)).toBe(5);
    expect(await starved.state.statesFor('later-0')).toEqual([expect.objectContaining({ state: 'pending' })]);
    expect(starved.delayAfter(report)).toBe(CATCH_UP_DELAY_MS);

    const roomy = new Registry();
    const caughtUp = silencer(roomy, { writeBudgetMs: 60_000 });
    const next = await caughtUp.runCycle();
    await caughtUp.stop();
    expect(next.targets[0]).toEqual(expect.objectContaining({ created: 5, deferred: 0 }));
    expect(await metric(roomy, /opsdeck_silencer_deferred_writes\{target="[^"]+"\} (\d+)/)).toBe(0);
    expect(await caughtUp.state.statesFor('later-0')).toEqual([expect.objectContaining({ state: 'synced' })]);
    expect(caughtUp.delayAfter(next)).toBe(10_000);
  });

  it('runs the next cycle after a short pause, not a whole interval, while writes wait', async () => {
    const registry = new Registry();
    const looping = silencer(registry, { writeBudgetMs: 0 });
    looping.start();
    await new Promise((r) => setTimeout(r, 3.5 * CATCH_UP_DELAY_MS));
    await looping.stop();
    // With a 10 s interval only the first cycle would have run by now.
    expect(
      await metric(registry, /opsdeck_silencer_cycles_total\{result="ok"\} (\d+)/),
    ).toBeGreaterThanOrEqual(3);
  }, 15_000);
});
