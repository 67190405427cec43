// Benchmark: a 30-day incident list over HTTP with 1,000,000 incidents and changes in SQLite, beside a bare
// Fastify route returning a constant, in the same run. Target: p95 ≤ 10 ms and ≤ 3× the bare route.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import SQLite from 'better-sqlite3';
import type { Change, Incident } from '@opsdeck/common';
import { SEVERITIES } from '@opsdeck/common';
import { openStore } from '../store/db';
import { CHANGES, INCIDENTS } from '../store/repositories';
import { DocumentRepository } from '../store/documents';
import { load } from './load';
import type { BenchResult } from './result';
import { BENCH_TOKEN } from './serve';

const DAY = 86_400_000;
const SPAN_START = Date.parse('2024-01-01T00:00:00Z');
const SPAN_DAYS = 3 * 365;

/** Deterministic pseudo-random numbers, so every run loads the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function incident(i: number, r: () => number): Incident {
  const start = SPAN_START + Math.floor(r() * SPAN_DAYS * DAY);
  const iso = new Date(start).toISOString();
  const resolved = r() < 0.95 ? new Date(start + Math.floor(r() * 4 * 3600_000)).toISOString() : null;
  return {
    id: randomUUID(),
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    createdBy: 'bench',
    title: `Incident ${i}: elevated errors on service-${i % 40}`,
    description: 'Synthetic incident for the list benchmark.',
    severity: SEVERITIES[i % 4]!,
    status: resolved ? 'resolved' : 'investigating',
    service: `service-${i % 40}`,
    services: [],
    sloIds: [],
    tags: ['bench'],
    roles: { ic: 'alice', ops: null, comms: null, scribe: null },
    checklist: {},
    statusPage: null,
    source: null,
    startedAt: iso,
    detectedAt: iso,
    acknowledgedAt: iso,
    mitigatedAt: resolved,
    resolvedAt: resolved,
  } as Incident;
}

function change(i: number, r: () => number): Change {
  const start = SPAN_START + Math.floor(r() * SPAN_DAYS * DAY);
  const iso = new Date(start).toISOString();
  return {
    id: randomUUID(),
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    createdBy: 'bench',
    title: `Deploy ${i} of service-${i % 40}`,
    description: '',
    kind: 'deploy',
    risk: (['Low', 'Med', 'High'] as const)[i % 3]!,
    service: `service-${i % 40}`,
    rfcUrl: null,
    owner: 'bench',
    tags: [],
    checklist: {},
    rollbackPlan: '',
    plannedStart: null,
    plannedEnd: null,
    maintenanceWindowId: null,
    externalId: null,
    status: 'completed',
    approvals: [],
    canary: [],
    startedAt: iso,
    finishedAt: new Date(start + 600_000).toISOString(),
    rollbackReason: null,
  } as Change;
}

/** Writes rows straight through better-sqlite3 in large transactions: loading is not what is measured. */
function bulkLoad<T>(
  file: string,
  table: string,
  count: number,
  make: (i: number) => T,
  toRow: (d: T) => Record<string, unknown>,
) {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const cols = Object.keys(toRow(make(0)));
  const insert = db.prepare(
    `insert into ${table} (${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`,
  );
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(toRow(make(i)));
  });
  for (let i = 0; i < count; i += 20_000) batch(i, Math.min(count, i + 20_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
}

async function startServer(dbUrl: string) {
  const child = spawn(process.execPath, [path.join(__dirname, 'serve.js'), dbUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { ports: JSON.parse(line) as { app: number; bare: number }, stop: () => child.kill('SIGTERM') };
}

/** Creates the benchmark's SQLite file with `total` incidents and changes; returns the seconds it took. */
export async function loadBenchDb(file: string, total: number): Promise<number> {
  const store = await openStore(`sqlite:${file}`);
  const incidents = new DocumentRepository(store, INCIDENTS);
  const changes = new DocumentRepository(store, CHANGES);
  await store.close();

  const t0 = Date.now();
  const ri = rng(1);
  const rc = rng(2);
  bulkLoad(
    file,
    'incidents',
    total / 2,
    (i) => incident(i, ri),
    (d) => incidents.toRow(d),
  );
  bulkLoad(
    file,
    'changes',
    total / 2,
    (i) => change(i, rc),
    (d) => changes.toRow(d),
  );
  return (Date.now() - t0) / 1000;
}

export async function run(): Promise<BenchResult[]> {
  const total = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-list-'));
  const file = path.join(dir, 'bench.db');
  const url = `sqlite:${file}`;
  const loadSeconds = await loadBenchDb(file, total);

  const server = await startServer(url);
  try {
    const from = new Date(SPAN_START + 400 * DAY).toISOString();
    const to = new Date(SPAN_START + 430 * DAY).toISOString();
    const listUrl = `http://127.0.0.1:${server.ports.app}/api/v1/incidents?from=${from}&to=${to}&limit=50`;
    const bareUrl = `http://127.0.0.1:${server.ports.bare}/bare`;
    const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
    // Few connections: the figure is a request's latency, not the queue in front of a saturated core.
    const connections = Number(process.env.BENCH_CONNECTIONS ?? 1);
    const answer = await (await fetch(listUrl, { headers })).text();
    const sizedUrl = `http://127.0.0.1:${server.ports.bare}/constant`;
    await fetch(sizedUrl, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: answer });
    await load(listUrl, { seconds: 2, headers, connections });
    await load(bareUrl, { seconds: 2, connections });
    await load(sizedUrl, { seconds: 2, connections });
    const bare = await load(bareUrl, { seconds: 10, connections });
    const sized = await load(sizedUrl, { seconds: 10, connections });
    const list = await load(listUrl, { seconds: 10, headers, connections });
    const ratio = list.p95_ms / bare.p95_ms;
    const round = (x: number) => Math.round(x * 100) / 100;
    return [
      {
        name: 'store: 30-day incident list over HTTP, 1M incidents+changes in SQLite',
        figures: {
          rows: total,
          load_seconds: loadSeconds,
          connections,
          answer_bytes: Buffer.byteLength(answer),
          ...list,
          // The floor under any list of this size: a bare route sending the same bytes as a constant.
          same_bytes_constant_p50_ms: sized.p50_ms,
          same_bytes_constant_p95_ms: sized.p95_ms,
          ratio_to_same_bytes_constant: round(list.p95_ms / sized.p95_ms),
          same_bytes_constant_to_bare: round(sized.p95_ms / bare.p95_ms),
        },
        baseline: { name: 'bare Fastify route returning a constant', figures: { ...bare } },
        ratio: round(ratio),
        target: 'p95 ≤ 10 ms and ≤ 3× the bare route',
        pass: list.errors === 0 && list.p95_ms <= 10 && ratio <= 3,
      },
    ];
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
