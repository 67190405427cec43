// The store keeps what it acknowledged across close and reopen, and migrations run on empty and existing databases.
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { migrate, openStore, withStatementCache } from '../src/store/db';
import { MIGRATIONS } from '../src/store/migrations';
import { PG_ADMIN_URL, STORE_KINDS, auth, createTestApp, createTestDatabase } from './support/app';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  it('loses nothing acknowledged when the store is closed and reopened', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await createTestApp(kind, { database });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await first.app.inject({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: auth('editor'),
          payload: { title: `durable ${i}`, severity: 'S3', service: 'store' },
        });
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
      const patched = await first.app.inject({
        method: 'PATCH',
        url: `/api/v1/incidents/${ids[0]}`,
        headers: auth('editor'),
        payload: { title: 'durable 0, edited', version: 1 },
      });
      expect(patched.statusCode).toBe(200);
      await first.close();

      const second = await createTestApp(kind, { database });
      const list = await second.app.inject({
        method: 'GET',
        url: '/api/v1/incidents?service=store&limit=100',
        headers: auth('viewer'),
      });
      expect(
        list
          .json()
          .items.map((i: { id: string }) => i.id)
          .sort(),
      ).toEqual([...ids].sort());
      const one = await second.app.inject({
        method: 'GET',
        url: `/api/v1/incidents/${ids[0]}`,
        headers: auth('viewer'),
      });
      expect(one.json()).toMatchObject({ title: 'durable 0, edited', version: 2 });
      await second.close();
    } finally {
      await database.drop();
    }
  });

  it('migrates an empty database, then finds nothing to do on the existing one', async () => {
    const database = await createTestDatabase(kind);
    try {
      const store = await openStore(database.url);
      const tables = (await store.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'incidents',
          'changes',
          'maintenance_windows',
          'runbooks',
          'slos',
          'timeline_entries',
          'postmortems',
          'action_items',
          'api_tokens',
          'audit_log',
        ]),
      );
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        store.db,
      );
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await migrate(store)).toEqual([]);
      await store.close();
      const reopened = await openStore(database.url);
      expect(await migrate(reopened)).toEqual([]);
      await reopened.close();
    } finally {
      await database.drop();
    }
  });
});

describe('PostgreSQL store', () => {
  it('lives through PostgreSQL ending its idle connections and reconnects on the next query', async () => {
    const database = await createTestDatabase('postgres');
    const lost: Error[] = [];
    const store = await openStore(database.url, { onConnectionError: (err) => lost.push(err) });
    try {
      // a few pooled connections, then idle
      await Promise.all([1, 2, 3].map((n) => sql`select pg_sleep(0.05), ${n}::int as n`.execute(store.db)));
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [new URL(database.url).pathname.slice(1)],
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(lost.length).toBeGreaterThan(0);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

describe('SQLite statement cache', () => {
  it('answers right past its size and after a schema change', () => {
    const database = new SQLite(':memory:');
    const db = withStatementCache(database, 2);
    db.prepare('create table t (a integer)').run([]);
    for (let i = 0; i < 5; i++) db.prepare(`insert into t (a) values (${i})`).run([]);
    // five distinct texts through a cache of two: evicted statements are prepared again
    for (let i = 0; i < 5; i++)
      expect(db.prepare(`select a from t where a = ${i}`).all([])).toEqual([{ a: i }]);
    const read = 'select * from t where a = ?';
    expect(db.prepare(read).all([1])).toEqual([{ a: 1 }]);
    db.prepare('alter table t add column b text').run([]);
    // the cached statement sees the new column: SQLite re-prepares it after the schema change
    expect(db.prepare(read).all([1])).toEqual([{ a: 1, b: null }]);
    db.close();
    expect(database.open).toBe(false);
  });
});
