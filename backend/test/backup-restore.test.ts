// The backup and restore procedures of docs/operations.md, run for real: an online SQLite backup (the
// better-sqlite3 backup API and the sqlite3 shell's .backup) and pg_dump/pg_restore for PostgreSQL,
// restored into a fresh store that must hold exactly the same rows and serve them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../src/store/db';
import {
  auth,
  createTestApp,
  createTestDatabase,
  type StoreKind,
  type TestApp,
  type TestDatabase,
} from './support/app';

/** Every table (migration bookkeeping included), rows in a stable order. */
async function snapshot(store: Store): Promise<Record<string, string[]>> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t.name)}`.execute(store.db);
    out[t.name] = rows.rows
      .map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)))
      .sort();
  }
  return out;
}

/** Writes one of everything through the API; answers the secret of a token created at run time. */
async function populate(t: TestApp): Promise<string> {
  const post = async (url: string, payload: object, role: 'editor' | 'admin' = 'editor') => {
    const res = await t.app.inject({ method: 'POST', url, payload, headers: auth(role) });
    expect(res.statusCode).toBeLessThan(300);
    return res.json();
  };
  const now = Date.now();
  for (let i = 0; i < 5; i++) {
    const incident = await post('/api/v1/incidents', {
      title: `outage ${i}`,
      severity: i % 2 ? 'S1' : 'S3',
      service: 'api',
    });
    await post(`/api/v1/incidents/${incident.id}/acknowledge`, {});
    await post(`/api/v1/incidents/${incident.id}/timeline`, { kind: 'note', text: `rolled back ${i}` });
  }
  await post('/api/v1/changes', { title: 'deploy v2', kind: 'deploy', risk: 'Low', service: 'api' });
  await post('/api/v1/maintenance-windows', {
    id: 'db-upgrade',
    name: 'DB upgrade',
    schedule: {
      kind: 'once',
      start: new Date(now + 3_600_000).toISOString(),
      end: new Date(now + 7_200_000).toISOString(),
    },
    matchers: [{ name: 'service', op: '=', value: 'db' }],
  });
  await post('/api/v1/runbooks', { id: 'db-failover', title: 'DB failover', body: '1. promote the replica' });
  await post('/api/v1/slos', {
    id: 'api-availability',
    name: 'API availability',
    service: 'api',
    objective: 99.9,
    window: '30d',
    indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
  });
  return (await post('/api/v1/tokens', { name: 'ci-bot', role: 'viewer' }, 'admin')).secret;
}

type Method = {
  kind: StoreKind;
  name: string;
  backup(source: TestDatabase, dir: string): Promise<TestDatabase>;
};

const sqliteFile = (db: TestDatabase) => db.url.slice('sqlite:'.length);

const METHODS: Method[] = [
  {
    kind: 'sqlite',
    name: 'better-sqlite3 online backup',
    backup: async (source, dir) => {
      const file = path.join(dir, 'backup.db');
      // A second connection while the app still has the database open: no stop needed.
      const conn = new SQLite(sqliteFile(source), { readonly: true });
      await conn.backup(file);
      conn.close();
      return restoreSqlite(file, dir);
    },
  },
  {
    kind: 'sqlite',
    name: 'sqlite3 .backup',
    backup: async (source, dir) => {
      const file = path.join(dir, 'backup.db');
      execFileSync('sqlite3', [sqliteFile(source), `.backup '${file}'`]);
      return restoreSqlite(file, dir);
    },
  },
  {
    kind: 'postgres',
    name: 'pg_dump -Fc / pg_restore',
    backup: async (source, dir) => {
      const file = path.join(dir, 'opsdeck.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${source.url}`]);
      const target = await createTestDatabase('postgres');
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, file]);
      return target;
    },
  },
];

function restoreSqlite(backupFile: string, dir: string): TestDatabase {
  const restored = path.join(dir, 'restored', 'opsdeck.db');
  fs.mkdirSync(path.dirname(restored));
  fs.copyFileSync(backupFile, restored);
  return {
    url: `sqlite:${restored}`,
    drop: async () => fs.rmSync(path.dirname(restored), { recursive: true, force: true }),
  };
}

describe.each(METHODS)('backup and restore: $name', ({ kind, backup }) => {
  it('restores into a fresh store with the same rows, served by the app', async () => {
    const source = await createTestApp(kind);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-backup-'));
    let restored: TestApp | undefined;
    let target: TestDatabase | undefined;
    try {
      const secret = await populate(source);
      const before = await snapshot(source.store);
      expect(before.incidents).toHaveLength(5);
      expect(before.audit_log!.length).toBeGreaterThan(10);

      target = await backup(source.database, dir);
      // Writes after the backup must not show up in the restored copy.
      await source.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'after backup', severity: 'S4', service: 'api' },
        headers: auth('editor'),
      });

      restored = await createTestApp(kind, { database: target });
      expect(await snapshot(restored.store)).toEqual(before);
      const list = await restored.app.inject({
        method: 'GET',
        url: '/api/v1/incidents?limit=500',
        headers: auth('viewer'),
      });
      expect(
        list
          .json()
          .items.map((i: { title: string }) => i.title)
          .sort(),
      ).toEqual(['outage 0', 'outage 1', 'outage 2', 'outage 3', 'outage 4']);
      // A token created at run time lives in the store and comes back with it.
      const withToken = await restored.app.inject({
        method: 'GET',
        url: '/api/v1/runbooks/db-failover',
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(withToken.statusCode).toBe(200);
    } finally {
      await restored?.close();
      await target?.drop();
      await source.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
