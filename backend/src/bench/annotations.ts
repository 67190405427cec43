// Benchmark: GET /api/v1/annotations over one month out of 1,000,000 stored incidents and changes, on
// SQLite and PostgreSQL, over HTTP on loopback with autocannon. Targets: p95 ≤ 10 ms, the tag filter
// ≤ 5 ms. The app runs in a child process (this file with "serve"): the load generator has its own loop.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';
import type { Change, Incident } from '@opsdeck/common';
import { changeTags, incidentTags } from '../annotations/tags';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { openStore } from '../store/db';
import { load } from './load';

import type { BenchResult, LoadFigures } from './result';

const ITEMS = 1_000_000;
const TARGET_P95_MS = 10;
/** A tag filter is an index read: tighter than a month's page. */
const TAG_TARGET_P95_MS = 5;
const STORES = (process.env.OPSDECK_BENCH_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is 'sqlite' | 'postgres' => s === 'sqlite' || s === 'postgres');
/** The PostgreSQL server the benchmark creates its database on (the tests' default). */
const PG_ADMIN_URL = process.env.OPSDECK_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HISTORY_START = Date.parse('2022-01-01T00:00:00Z');
const HISTORY_DAYS = 5 * 365;
const DAY = 86_400_000;
const MONTH = 30 * DAY;
const SECONDS = Number(process.env.OPSDECK_BENCH_SECONDS ?? 10);
/** One connection measures service time; four show it under concurrent dashboard panels. */
const CONNECTION_COUNTS = [1, 4];
const TOKEN = 'bench-annotations-viewer';
const POPULATE_BATCH = 10_000;
const SERVICES = ['api', 'checkout', 'search', 'db', 'queue', 'web', 'auth', 'payments'];

/** Deterministic pseudo-random numbers so every run stores the same history. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One stored item: its table row (columns in the order of `COLUMNS`) and its annotation's tags. */
interface HistoryItem {
  table: 'incidents' | 'changes';
  row: (string | number | null)[];
  tags: string[];
}

/** Each table's columns in row order, with their PostgreSQL types (for unnest). */
const DOCUMENT_COLUMNS = {
  id: 'text',
  version: 'int',
  doc: 'text',
  created_at: 'bigint',
  updated_at: 'bigint',
  created_by: 'text',
};
const COLUMN_TYPES = {
  incidents: {
    ...DOCUMENT_COLUMNS,
    service: 'text',
    status: 'text',
    severity: 'text',
    started_at: 'bigint',
    resolved_at: 'bigint',
  },
  changes: {
    ...DOCUMENT_COLUMNS,
    service: 'text',
    status: 'text',
    risk: 'text',
    kind: 'text',
    at: 'bigint',
    at_end: 'bigint',
  },
};
const COLUMNS = {
  incidents: Object.keys(COLUMN_TYPES.incidents),
  changes: Object.keys(COLUMN_TYPES.changes),
};
/** Where the start time is among a table's columns: the tag index row's `at`. */
const START_COLUMN = { incidents: 9, changes: 10 } as const;

/**
 * Half incidents (minutes to hours long, a few still open), half changes (points and regions),
 * in time order as a live system records them, over five years.
 */
function* history(): Generator<HistoryItem> {
  const rnd = mulberry32(42);
  const iso = (t: number) => new Date(t).toISOString();
  const severities = ['S1', 'S2', 'S3', 'S4'] as const;
  const risks = ['Low', 'Med', 'High'] as const;
  const kinds = ['deploy', 'config', 'infra', 'migration', 'flag'] as const;
  const starts = Float64Array.from(
    { length: ITEMS },
    () => HISTORY_START + Math.floor(rnd() * HISTORY_DAYS * DAY),
  ).sort();
  for (let i = 0; i < ITEMS; i++) {
    const start = starts[i] as number;
    const service = SERVICES[Math.floor(i / 2) % SERVICES.length] as string;
    const stamp = iso(start);
    if (i % 2 === 0) {
      // A few incidents left open for months or years, as forgotten ones are in real trackers.
      const open = rnd() < 0.00005;
      const end = open ? null : start + Math.floor(-Math.log(1 - rnd()) * 3600_000);
      const severity = severities[Math.floor(rnd() * 4)] as string;
      const doc = {
        id: `inc-${i}`,
        version: 1,
        createdAt: stamp,
        updatedAt: stamp,
        createdBy: 'bench',
        title: `Elevated errors on ${service}`,
        description: '',
        severity,
        status: open ? 'investigating' : 'resolved',
        service,
        services: [],
        sloIds: [],
        tags: i % 7 === 0 ? ['customer-facing'] : [],
        roles: {},
        checklist: {},
        statusPage: null,
        source: null,
        startedAt: stamp,
        detectedAt: null,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt: end === null ? null : iso(end),
      };
      yield {
        table: 'incidents',
        row: [
          doc.id,
          1,
          JSON.stringify(doc),
          start,
          start,
          'bench',
          service,
          doc.status,
          severity,
          start,
          end,
        ],
        tags: incidentTags(doc as unknown as Incident),
      };
    } else {
      const region = rnd() < 0.3;
      const end = region ? start + Math.floor(rnd() * 2 * 3600_000) : null;
      const risk = risks[Math.floor(rnd() * 3)] as string;
      const kind = kinds[Math.floor(rnd() * 5)] as string;
      const doc = {
        id: `chg-${i}`,
        version: 1,
        createdAt: stamp,
        updatedAt: stamp,
        createdBy: 'bench',
        title: `${kind} ${service} build ${i}`,
        description: '',
        kind,
        risk,
        service,
        rfcUrl: null,
        owner: 'bench',
        tags: [],
        checklist: {},
        rollbackPlan: '',
        plannedStart: stamp,
        plannedEnd: end === null ? null : iso(end),
        maintenanceWindowId: null,
        externalId: null,
        status: 'completed',
        approvals: [],
        canary: [],
        startedAt: stamp,
        finishedAt: end === null ? null : iso(end),
        rollbackReason: null,
      };
      yield {
        table: 'changes',
        row: [
          doc.id,
          1,
          JSON.stringify(doc),
          start,
          start,
          'bench',
          service,
          'completed',
          risk,
          kind,
          start,
          end,
        ],
        tags: changeTags(doc as unknown as Change),
      };
    }
  }
}

const TAG_KIND = { incidents: 'incident', changes: 'change' } as const;

export function populateSqlite(file: string): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = {
    incidents: db.prepare(
      `insert into incidents (${COLUMNS.incidents.join(', ')}) values (${COLUMNS.incidents.map(() => '?').join(', ')})`,
    ),
    changes: db.prepare(
      `insert into changes (${COLUMNS.changes.join(', ')}) values (${COLUMNS.changes.map(() => '?').join(', ')})`,
    ),
  };
  const insertTag = db.prepare('insert into annotation_tags (kind, item_id, tag, at) values (?, ?, ?, ?)');
  const batch = db.transaction((items: HistoryItem[]) => {
    for (const it of items) {
      insert[it.table].run(...it.row);
      for (const tag of it.tags)
        insertTag.run(TAG_KIND[it.table], it.row[0], tag, it.row[START_COLUMN[it.table]]);
    }
  });
  let items: HistoryItem[] = [];
  for (const it of history()) {
    items.push(it);
    if (items.length === POPULATE_BATCH) {
      batch(items);
      items = [];
    }
  }
  batch(items);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
}

/** The same history into PostgreSQL, a batch per statement through unnest of one array per column. */
export async function populatePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const insertSql = (table: 'incidents' | 'changes') =>
      `insert into ${table} (${COLUMNS[table].join(', ')}) select * from unnest(${Object.values(
        COLUMN_TYPES[table],
      )
        .map((t, i) => `$${i + 1}::${t}[]`)
        .join(', ')})`;
    const flush = async (items: HistoryItem[]) => {
      await client.query('begin');
      for (const table of ['incidents', 'changes'] as const) {
        const rows = items.filter((it) => it.table === table).map((it) => it.row);
        if (rows.length)
          await client.query(
            insertSql(table),
            COLUMNS[table].map((_, c) => rows.map((r) => r[c])),
          );
      }
      const tags = items.flatMap((it) =>
        it.tags.map((tag) => [TAG_KIND[it.table], it.row[0], tag, it.row[START_COLUMN[it.table]]]),
      );
      await client.query(
        'insert into annotation_tags (kind, item_id, tag, at) select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[])',
        [0, 1, 2, 3].map((c) => tags.map((t) => t[c])),
      );
      await client.query('commit');
    };
    let items: HistoryItem[] = [];
    for (const it of history()) {
      items.push(it);
      if (items.length === POPULATE_BATCH) {
        await flush(items);
        items = [];
      }
    }
    await flush(items);
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

/** Child mode: serve the app on loopback and print the port. */
async function serve(dbUrl: string): Promise<void> {
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    OPSDECK_TOKENS: `bench:viewer:${TOKEN}`,
    LOG_LEVEL: 'silent',
    // Rate limiting is per token; the one benchmark token would hit it within seconds.
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const store = await openStore(config.DATABASE_URL);
  const app = await buildApp({ config, store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The baseline, in the same process: a bare Fastify route returning a constant.
  const bare = Fastify();
  bare.get('/bare', async () => ({ items: [] }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ port: port(app), barePort: port(bare) })}\n`);
  // The parent asks for CPU time used so far: a figure the shared machine's load does not inflate.
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  });
  process.on(
    'SIGTERM',
    () =>
      void Promise.all([app.close(), bare.close()])
        .then(() => store.close())
        .then(() => process.exit(0)),
  );
}

interface Server {
  child: ChildProcess;
  port: number;
  barePort: number;
  /** CPU milliseconds the server process has used since it started. */
  cpuMs(): Promise<number>;
}

async function startServer(dbUrl: string): Promise<Server> {
  const child = spawn(process.execPath, [__filename, 'serve', dbUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench server exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const { port, barePort } = JSON.parse(await next()) as { port: number; barePort: number };
  return {
    child,
    port,
    barePort,
    cpuMs: async () => {
      const answer = next();
      child.kill('SIGUSR2');
      return (JSON.parse(await answer) as { cpuMs: number }).cpuMs;
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const round = (x: number) => Math.round(x * 1000) / 1000;

/** A random month of the history per request, so the page cache is not handed one answer. */
interface Figures {
  requests: number;
  errors: number;
  items_per_response: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

async function measure(port: number, extra: string, connections: number): Promise<Figures> {
  const rnd = mulberry32(7);
  const times: number[] = [];
  let errors = 0;
  let items = 0;
  let sampled = 0;
  await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: SECONDS,
        headers: { authorization: `Bearer ${TOKEN}` },
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const from = HISTORY_START + Math.floor(rnd() * (HISTORY_DAYS * DAY - MONTH));
              return { ...req, path: `/api/v1/annotations?from=${from}&to=${from + MONTH}${extra}` };
            },
            onResponse: (status, body) => {
              if (status !== 200) return;
              if (sampled++ % 50 === 0) items = (JSON.parse(body) as { items: unknown[] }).items.length;
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status !== 200) errors++;
    });
  });
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    errors,
    items_per_response: items,
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
  };
}

/** A database the benchmark fills and drops: a temporary SQLite file or a new PostgreSQL database. */
interface BenchDatabase {
  url: string;
  populate(): Promise<void>;
  drop(): Promise<void>;
}

async function benchDatabase(kind: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-annotations-'));
    const file = path.join(dir, 'opsdeck.db');
    return {
      url: `sqlite:${file}`,
      populate: async () => populateSqlite(file),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `opsdeck_bench_annotations_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    populate: () => populatePostgres(url.toString()),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

const CASES: { name: string; query: string; targetMs: number }[] = [
  { name: 'one month of 1,000,000 items (Grafana default limit 100)', query: '', targetMs: TARGET_P95_MS },
  {
    name: 'one month, one service, incidents only, S1/S2',
    query: '&service=checkout&kinds=incident&severity=S1,S2',
    targetMs: TARGET_P95_MS,
  },
  { name: 'one month, tag filter', query: '&tags=customer-facing', targetMs: TAG_TARGET_P95_MS },
];

async function runOn(kind: 'sqlite' | 'postgres'): Promise<BenchResult[]> {
  const database = await benchDatabase(kind);
  try {
    const store = await openStore(database.url);
    await store.close();
    const t0 = Date.now();
    await database.populate();
    const populateSeconds = (Date.now() - t0) / 1000;
    const server = await startServer(database.url);
    const { child, port } = server;
    try {
      const results: BenchResult[] = [];
      const bare = new Map<number, LoadFigures>();
      for (const connections of CONNECTION_COUNTS) {
        const url = `http://127.0.0.1:${server.barePort}/bare`;
        await load(url, { seconds: 2, connections });
        bare.set(connections, await load(url, { seconds: SECONDS, connections }));
      }
      for (const c of CASES) {
        for (const connections of CONNECTION_COUNTS) {
          const cpuBefore = await server.cpuMs();
          const figures = await measure(port, c.query, connections);
          const cpuPerRequest = (await server.cpuMs()) - cpuBefore;
          results.push({
            name: `annotations on ${kind}: ${c.name}, ${connections} connection${connections > 1 ? 's' : ''}`,
            figures: {
              ...figures,
              server_cpu_ms_per_request: round(cpuPerRequest / Math.max(1, figures.requests)),
              stored_items: ITEMS,
              connections,
              populate_seconds: populateSeconds,
              // The machine is shared: a load average above its core count inflates every latency.
              load_average_1m: round(os.loadavg()[0] ?? 0),
              cores: os.cpus().length,
            },
            baseline: {
              name: 'bare Fastify route returning a constant',
              figures: { ...bare.get(connections)! },
            },
            ratio: round(figures.p95_ms / bare.get(connections)!.p95_ms),
            target: `p95 ≤ ${c.targetMs} ms on ${kind} over HTTP on loopback`,
            pass: figures.errors === 0 && figures.p95_ms <= c.targetMs,
          });
        }
      }
      return results;
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await database.drop();
  }
}

/** Both stores, one after the other (`OPSDECK_BENCH_STORES=sqlite` runs one). */
export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const kind of STORES) results.push(...(await runOn(kind)));
  return results;
}

if (require.main === module) {
  if (process.argv[2] === 'serve') {
    void serve(process.argv[3] as string);
  } else {
    void run().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
  }
}
