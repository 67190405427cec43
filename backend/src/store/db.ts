// Opens the store: one Kysely instance over SQLite (better-sqlite3, WAL) or PostgreSQL, migrated at start.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  type Migration,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect';
import { MIGRATIONS } from './migrations';
import type { Database } from './schema';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  url: string;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Prepared statements kept per SQL text; lists and reads repeat a handful of shapes. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 with its `prepare` memoized, least recently used first out. Kysely prepares every query
 * it runs; preparing is about a fifth of a 50-row list read. Reuse is safe: Kysely runs each statement to
 * completion synchronously (`all`/`run`), and SQLite re-prepares a statement itself after a schema change.
 */
export function withStatementCache(database: SQLite.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = database.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

function openDb(url: string, opts: StoreOptions): { db: Kysely<Database>; dialect: Dialect } {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const database = new SQLite(file);
    database.pragma('journal_mode = WAL');
    // NORMAL in WAL mode keeps committed transactions across a process crash (not an OS crash).
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    return {
      db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
      dialect: 'sqlite',
    };
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Epoch-millisecond columns are bigint; they fit a JS number.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format),
    },
  });
  // An idle pooled connection that PostgreSQL ends (a restart, idle_session_timeout, pg_terminate_backend)
  // is an 'error' on the pool; unheard, it would end the process. The pool replaces it on the next query.
  pool.on('error', (err) => (opts.onConnectionError ?? logConnectionError)(err));
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
}

export interface StoreOptions {
  /** Told when PostgreSQL ends an idle pooled connection; the default writes one line to stderr. */
  onConnectionError?: (err: Error) => void;
}

const logConnectionError = (err: Error) =>
  process.stderr.write(
    `store: PostgreSQL ended an idle connection (${err.message}); reconnecting on demand\n`,
  );

/** Applies every migration not yet applied; safe to run from several replicas (Kysely locks). */
export async function migrate(store: Pick<Store, 'db' | 'dialect'>): Promise<string[]> {
  const migrations: Record<string, Migration> = Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db) => m.up(db, store.dialect) }]),
  );
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function openStore(url: string, opts: StoreOptions = {}): Promise<Store> {
  const { db, dialect } = openDb(url, opts);
  try {
    await migrate({ db, dialect });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect, url, close: () => db.destroy() };
}
