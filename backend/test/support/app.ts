// Builds an app for tests on a fresh SQLite file or a fresh PostgreSQL database, with one token per role.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app';
import { type Clock, ManualClock } from '../../src/clock';
import { type Config, loadConfig } from '../../src/config';
import { openStore, type Store } from '../../src/store/db';

export const TOKENS = {
  viewer: 'viewer-secret-0001',
  editor: 'editor-secret-0002',
  admin: 'admin-secret-00003',
  /** Grafana's proxy token (an editor): the only one whose requests may name the acting user */
  grafana: 'grafana-secret-0004',
};
export const TOKENS_ENV = `viewer:viewer:${TOKENS.viewer},editor:editor:${TOKENS.editor},admin:admin:${TOKENS.admin},grafana:editor:${TOKENS.grafana}:grafana-proxy`;

export const auth = (role: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[role]}` });

/** The server PostgreSQL tests create their databases on; mandatory in CI. */
export const PG_ADMIN_URL = process.env.OPSDECK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-test-'));
    return {
      url: `sqlite:${path.join(dir, 'opsdeck.db')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `opsdeck_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  config: Config;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function createTestApp(
  kind: StoreKind = 'sqlite',
  opts: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase(kind));
  const config = loadConfig({
    OPSDECK_TOKENS: TOKENS_ENV,
    PROMETHEUS_URL: 'http://127.0.0.1:9',
    ...opts.env,
    DATABASE_URL: database.url,
  });
  const store = await openStore(database.url);
  const app = await buildApp({ config, store, clock: opts.clock });
  await app.ready();
  return {
    app,
    store,
    config,
    database,
    close: async () => {
      await app.close();
      await store.close();
      if (!opts.database) await database.drop();
    },
  };
}

/**
 * Calls the API under /api/v1 as a viewer for GET and an editor otherwise, JSON bodies, optionally as
 * a Grafana user (X-Grafana-User, sent with Grafana's proxy token as the app's proxy sends it).
 */
const apiCaller = (app: () => TestApp) => (method: string, url: string, body?: unknown, user?: string) =>
  app().app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: {
      ...auth(user ? 'grafana' : method === 'GET' ? 'viewer' : 'editor'),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(user ? { 'x-grafana-user': user } : {}),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });

/**
 * One app for a describe block on a clock pinned at `at`: built before its tests, closed after them,
 * and the clock set back to `at` before each test.
 */
export function useTestApp(kind: StoreKind, at: string) {
  const clock = new ManualClock(at);
  let current: TestApp | undefined;
  const t = () => {
    if (!current) throw new Error('the test app is built in beforeAll; use it inside a test');
    return current;
  };
  beforeAll(async () => {
    current = await createTestApp(kind, { clock });
  });
  afterAll(async () => current?.close());
  beforeEach(() => clock.set(at));
  return { clock, t, call: apiCaller(t) };
}
