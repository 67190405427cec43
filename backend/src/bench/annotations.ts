// Benchmark: GET /api/v1/annotations over one month out of 1,000,000 stored incidents and changes,
// on SQLite, over HTTP on loopback with autocannon. Target: p95 ≤ 10 ms. The app runs in a child
// process (this file with "serve") so the load generator does not share its event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { openStore } from '../store/db';
import { load } from './load';

import type { BenchResult, LoadFigures } from './result';

const ITEMS = 1_000_000;
const TARGET_P95_MS = 10;
const HISTORY_START = Date.parse('2022-01-01T00:00:00Z');
const HISTORY_DAYS = 5 * 365;
const DAY = 86_400_000;
const MONTH = 30 * DAY;
const SECONDS = Number(process.env.OPSDECK_BENCH_SECONDS ?? 10);
/** One connection measures service time; four show it under concurrent dashboard panels. */
const CONNECTION_COUNTS = [1, 4];
const TOKEN = 'bench-annotations-viewer';
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

/**
 * Half incidents (minutes to hours long, a few still open), half changes (points and regions),
 * inserted in time order as a live system records them, over five years.
 */
export function populate(file: string): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rnd = mulberry32(42);
  const iso = (t: number) => new Date(t).toISOString();
  const insertIncident = db.prepare(
    `insert into incidents (id, version, doc, created_at, updated_at, created_by, service, status, severity, started_at, resolved_at)
     values (?, 1, ?, ?, ?, 'bench', ?, ?, ?, ?, ?)`,
  );
  const insertChange = db.prepare(
    `insert into changes (id, version, doc, created_at, updated_at, created_by, service, status, risk, kind, at, at_end)
     values (?, 1, ?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?)`,
  );
  const severities = ['S1', 'S2', 'S3', 'S4'] as const;
  const risks = ['Low', 'Med', 'High'] as const;
  const kinds = ['deploy', 'config', 'infra', 'migration', 'flag'] as const;
  const starts = Float64Array.from(
    { length: ITEMS },
    () => HISTORY_START + Math.floor(rnd() * HISTORY_DAYS * DAY),
  ).sort();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
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
        insertIncident.run(
          doc.id,
          JSON.stringify(doc),
          start,
          start,
          service,
          doc.status,
          severity,
          start,
          end,
        );
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
        insertChange.run(
          doc.id,
          JSON.stringify(doc),
          start,
          start,
          service,
          'completed',
          risk,
          kind,
          start,
          end,
        );
      }
    }
  });
  for (let i = 0; i < ITEMS; i += 50_000) batch(i, Math.min(ITEMS, i + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
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

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-annotations-'));
  const file = path.join(dir, 'opsdeck.db');
  const url = `sqlite:${file}`;
  try {
    const store = await openStore(url);
    await store.close();
    const t0 = Date.now();
    populate(file);
    const populateSeconds = (Date.now() - t0) / 1000;
    const server = await startServer(url);
    const { child, port } = server;
    try {
      const cases: [string, string][] = [
        ['annotations: one month of 1,000,000 items (Grafana default limit 100)', ''],
        [
          'annotations: one month, one service, incidents only, S1/S2',
          '&service=checkout&kinds=incident&severity=S1,S2',
        ],
        ['annotations: one month, tag filter', '&tags=customer-facing'],
      ];
      const results: BenchResult[] = [];
      const bare = new Map<number, LoadFigures>();
      for (const connections of CONNECTION_COUNTS) {
        const url = `http://127.0.0.1:${server.barePort}/bare`;
        await load(url, { seconds: 2, connections });
        bare.set(connections, await load(url, { seconds: SECONDS, connections }));
      }
      for (const [name, extra] of cases) {
        for (const connections of CONNECTION_COUNTS) {
          const cpuBefore = await server.cpuMs();
          const figures = await measure(port, extra, connections);
          const cpuPerRequest = (await server.cpuMs()) - cpuBefore;
          results.push({
            name: `${name}, ${connections} connection${connections > 1 ? 's' : ''}`,
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
            target: `p95 ≤ ${TARGET_P95_MS} ms on SQLite over HTTP on loopback`,
            pass: figures.errors === 0 && figures.p95_ms <= TARGET_P95_MS,
          });
        }
      }
      return results;
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  if (process.argv[2] === 'serve') {
    void serve(process.argv[3] as string);
  } else {
    void run().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
  }
}
