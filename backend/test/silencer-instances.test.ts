// Two opsdeck installations (two stores: SQLite and PostgreSQL) on one real Alertmanager: each marks
// its silences with its instance id and touches only its own, over many cycles and a restart; silences
// from before instance ids are adopted by their installation, not duplicated, and others' are left.
import fs from 'node:fs';
import type { MaintenanceWindow } from '@opsdeck/common';
import { AlertmanagerClient, type AmSilence } from '../src/silencer/alertmanager-client';
import { desiredSilence, parseSilenceKey } from '../src/silencer/silence-key';
import { type AlertmanagerServer, startAlertmanager } from './support/alertmanager';
import { auth, createTestApp, createTestDatabase, type TestApp, type TestDatabase } from './support/app';

const HOUR = 3_600_000;

describe('two installations on one Alertmanager', () => {
  let am: AlertmanagerServer;
  let client: AlertmanagerClient;
  const apps: TestApp[] = [];
  const databases: TestDatabase[] = [];

  const live = async (): Promise<AmSilence[]> =>
    (await client.listSilences()).filter((s) => s.status.state !== 'expired');
  const expired = async (): Promise<AmSilence[]> =>
    (await client.listSilences()).filter((s) => s.status.state === 'expired');

  const install = async (kind: 'sqlite' | 'postgres', database: TestDatabase, instanceId?: string) => {
    const t = await createTestApp(kind, {
      database,
      env: {
        ALERTMANAGER_URLS: am.url,
        // Cycles run when the test says so (the first one runs at start).
        SILENCER_INTERVAL_SECONDS: '3600',
        ...(instanceId ? { OPSDECK_INSTANCE_ID: instanceId } : {}),
      },
    });
    apps.push(t);
    return t;
  };

  const openWindow = (id: string, service: string) => {
    const now = Date.now();
    return {
      id,
      name: `window ${id}`,
      schedule: {
        kind: 'once',
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + HOUR).toISOString(),
      },
      matchers: [{ name: 'service', op: '=', value: service }],
    };
  };

  const post = async (t: TestApp, body: object) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/maintenance-windows',
      payload: body,
      headers: auth('editor'),
    });
    expect(res.statusCode).toBe(201);
    return res.json() as MaintenanceWindow;
  };

  beforeAll(async () => {
    am = await startAlertmanager();
    client = new AlertmanagerClient({ name: am.url, apiUrl: `${am.url}/api/v2`, headers: {} }, 5000);
  }, 60_000);
  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    for (const d of databases) await d.drop();
    client?.close();
    await am?.remove();
  });
  beforeEach(async () => {
    await am.start({ wipe: true });
  });

  it('neither expires the other one’s silences over many cycles, nor after a restart', async () => {
    const prodDb = await createTestDatabase('sqlite');
    const stagingDb = await createTestDatabase('postgres');
    databases.push(prodDb, stagingDb);
    const prod = await install('sqlite', prodDb);
    const staging = await install('postgres', stagingDb, 'staging');

    // The same window id in both, as when both load the same files, with different matchers.
    await post(prod, openWindow('db-patching', 'db-prod'));
    await post(staging, openWindow('db-patching', 'db-staging'));
    await post(prod, openWindow('api-deploy', 'api'));

    const prodId = await prod.app.silencer.instanceId();
    expect(prodId).toMatch(/^[0-9a-f]{12}$/);
    expect(await staging.app.silencer.instanceId()).toBe('staging');

    for (let round = 0; round < 6; round++) {
      const [a, b] = round % 2 ? [staging, prod] : [prod, staging];
      const reports = [await a.app.silencer.runCycle(), await b.app.silencer.runCycle()];
      for (const r of reports) expect(r.targets).toEqual([expect.objectContaining({ ok: true, expired: 0 })]);
      const byOwner = (await live()).map((s) => {
        const key = parseSilenceKey(s.comment)!;
        return `${key.instance}/${key.windowId}`;
      });
      expect(byOwner.sort()).toEqual([
        `${prodId}/api-deploy`,
        `${prodId}/db-patching`,
        'staging/db-patching',
      ]);
      expect(await expired()).toEqual([]);
    }

    await am.postAlerts([
      { service: 'db-prod' },
      { service: 'db-staging' },
      { service: 'api' },
      { service: 'web' },
    ]);
    const states = Object.fromEntries((await am.alerts()).map((a) => [a.labels.service, a.status.state]));
    expect(states).toEqual({
      'db-prod': 'suppressed',
      'db-staging': 'suppressed',
      api: 'suppressed',
      web: 'active',
    });

    // Restarted on its store, prod finds its id and its silences: nothing created, nothing expired.
    await prod.app.close();
    await prod.store.close();
    apps.splice(apps.indexOf(prod), 1);
    const again = await install('sqlite', prodDb);
    expect(await again.app.silencer.instanceId()).toBe(prodId);
    const report = await again.app.silencer.runCycle();
    expect(report.targets).toEqual([
      expect.objectContaining({ ok: true, created: 0, expired: 0, managed: 2 }),
    ]);

    // Deleting prod's window expires prod's silence only.
    const del = await again.app.inject({
      method: 'DELETE',
      url: '/api/v1/maintenance-windows/db-patching',
      headers: auth('editor'),
    });
    expect(del.statusCode).toBe(204);
    await again.app.silencer.runCycle();
    await staging.app.silencer.runCycle();
    const left = (await live()).map((s) => parseSilenceKey(s.comment)!);
    expect(left.map((k) => `${k.instance}/${k.windowId}`).sort()).toEqual([
      `${prodId}/api-deploy`,
      'staging/db-patching',
    ]);
    const silences = await again.app.inject({
      method: 'GET',
      url: '/api/v1/maintenance-windows/api-deploy/silences',
      headers: auth('viewer'),
    });
    expect(silences.json()).toMatchObject({ instanceId: prodId, states: [{ state: 'synced' }] });
  }, 60_000);

  it('a copy of one installation’s store, given its own id, leaves the original’s silences alone', async () => {
    const originalDb = await createTestDatabase('sqlite');
    databases.push(originalDb);
    const original = await install('sqlite', originalDb);
    await post(original, openWindow('db-patching', 'db'));
    await original.app.silencer.runCycle();
    const [kept, ...more] = await live();
    expect(more).toEqual([]);
    await original.close();
    apps.splice(apps.indexOf(original), 1);

    // As when a production backup is restored for staging: same rows, stored states listing `kept`.
    const copyDb = await createTestDatabase('sqlite');
    databases.push(copyDb);
    fs.copyFileSync(originalDb.url.slice('sqlite:'.length), copyDb.url.slice('sqlite:'.length));
    const copy = await install('sqlite', copyDb, 'staging-copy');
    await copy.app.silencer.runCycle();
    const del = await copy.app.inject({
      method: 'DELETE',
      url: '/api/v1/maintenance-windows/db-patching',
      headers: auth('editor'),
    });
    expect(del.statusCode).toBe(204);
    for (let i = 0; i < 3; i++) await copy.app.silencer.runCycle();
    expect((await live()).map((s) => s.id)).toEqual([kept!.id]);
  }, 60_000);

  it('adopts its silences from before instance ids, expires its own stale ones, and leaves others’', async () => {
    const db = await createTestDatabase('sqlite');
    databases.push(db);
    const t = await install('sqlite', db);
    const window = await post(t, openWindow('db-upgrade', 'db'));
    // The onResponse cycle made the new-format silence; start over from what an old opsdeck left.
    await t.app.silencer.runCycle();
    for (const s of await live()) await client.expireSilence(s.id);

    const occurrence = {
      windowId: window.id,
      start: window.schedule.start as string,
      end: window.schedule.end as string,
    };
    const legacy = (w: MaintenanceWindow, occ: typeof occurrence) => {
      const d = desiredSilence(w, occ, 'x').silence;
      return { ...d, comment: d.comment.replace('opsdeck:instance=x;', 'opsdeck:') };
    };
    const ownOld = await client.createSilence(legacy(window, occurrence));
    // Another installation's old silence, for a window this one does not have.
    const other = {
      ...window,
      id: 'their-window',
      matchers: [{ name: 'service', op: '=' as const, value: 'theirs' }],
    };
    const theirs = await client.createSilence(legacy(other, { ...occurrence, windowId: other.id }));
    // This installation's old silence for a window it has since deleted, known from its stored states.
    const gone = { ...window, id: 'gone', matchers: [{ name: 'service', op: '=' as const, value: 'gone' }] };
    const stale = await client.createSilence(legacy(gone, { ...occurrence, windowId: gone.id }));
    await t.app.silencer.state.saveCycle(
      [
        {
          windowId: 'gone',
          target: am.url,
          state: 'synced',
          message: null,
          desired: 1,
          silenceIds: [stale],
          lastSyncAt: new Date().toISOString(),
          lastAttemptAt: new Date().toISOString(),
        },
      ],
      new Date(),
    );

    for (let i = 0; i < 4; i++) {
      const report = await t.app.silencer.runCycle();
      expect(report.targets).toEqual([
        expect.objectContaining({ ok: true, created: 0, expired: i === 0 ? 1 : 0, managed: 1 }),
      ]);
    }
    expect((await live()).map((s) => s.id).sort()).toEqual([ownOld, theirs].sort());
    expect((await expired()).map((s) => s.id)).toContain(stale);
    const states = await t.app.silencer.state.statesFor('db-upgrade');
    expect(states).toEqual([expect.objectContaining({ state: 'synced', silenceIds: [ownOld] })]);
  }, 60_000);
});
