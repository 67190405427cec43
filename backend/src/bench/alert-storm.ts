// Benchmark: an alert storm on the Alertmanager webhook of the real backend process (SQLite) on
// loopback: one payload of 1,000 alerts, and 100 payloads a second over a few groups, beside a bare
// Fastify route that parses the same payloads (started the same way, measured in the same run).
// Passes when nothing fails, dedup holds (exactly one incident per group) and the server's CPU time per
// notification stays in target: on a shared machine latency measures the neighbours, CPU time the code.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Fastify from 'fastify';
import { startBackend } from './backend-process';
import { type LoadOptions, load } from './load';
import type { BenchResult, LoadFigures } from './result';

const TOKEN = 'bench-alertmanager-editor';
const SECONDS = Number(process.env.OPSDECK_BENCH_SECONDS ?? 10);
const STORM_RATE = 100;
const STORM_GROUPS = 20;
const ALERTS_PER_STORM_PAYLOAD = 10;
const BIG_PAYLOAD_ALERTS = 1000;
const BIG_PAYLOAD_POSTS = 30;
/** Server CPU per notification: a 1,000-alert one, and the storm's (100 a second stays under half a core). */
const TARGET_CPU_MS = { big: 50, storm: 5 };
const round = (x: number) => Math.round(x * 1000) / 1000;

/** A notification as Alertmanager sends it: `alerts` alerts of one group, all firing pages. */
function notification(group: number, alerts: number): string {
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const groupLabels = { alertname: 'ApiErrors', service: `svc-${group}` };
  return JSON.stringify({
    version: '4',
    groupKey: `{}/{severity=~"S1|S2|page"}:{alertname="ApiErrors", service="svc-${group}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'opsdeck-incidents',
    groupLabels,
    commonLabels: { ...groupLabels, severity: 'page' },
    commonAnnotations: { summary: `API errors on svc-${group}` },
    externalURL: 'http://alertmanager:9093',
    alerts: Array.from({ length: alerts }, (_, i) => ({
      status: 'firing',
      labels: {
        ...groupLabels,
        severity: 'page',
        instance: `10.0.${Math.floor(i / 250)}.${i % 250}:9100`,
        pod: `api-${i}`,
      },
      annotations: {
        summary: `API errors on svc-${group}`,
        runbook_url: 'https://runbooks.example/api-errors',
      },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=rate%28errors%5B5m%5D%29',
      fingerprint: `${group.toString(16)}${i.toString(16).padStart(12, '0')}`,
    })),
  });
}

/** Child mode: the baseline, a bare Fastify route parsing the same JSON bodies, printing its port. */
async function serveBare(): Promise<void> {
  const bare = Fastify({ bodyLimit: 8 * 1024 * 1024 });
  bare.post('/api/v1/integrations/alertmanager', async (request) => ({
    alerts: (request.body as { alerts: unknown[] }).alerts.length,
  }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ port: (bare.server.address() as { port: number }).port })}\n`);
  process.on('SIGTERM', () => void bare.close().then(() => process.exit(0)));
}

async function startBare(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [__filename, 'bare'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child };
}

/** CPU milliseconds a process has used so far, from /proc (clock ticks of 10 ms): load-independent. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `measure`, with the server's CPU time per request beside the latencies. */
async function withCpu(pid: number, measure: () => Promise<LoadFigures>) {
  const before = cpuMs(pid);
  const figures = await measure();
  return {
    ...figures,
    server_cpu_ms_per_request: round((cpuMs(pid) - before) / Math.max(1, figures.requests)),
  };
}

/** Posts `bodies` in turn to the webhook: at `rate` per second for `seconds`, or `amount` posts. */
function post(
  base: string,
  bodies: string[],
  opts: Pick<LoadOptions, 'rate' | 'seconds' | 'amount' | 'connections'>,
): Promise<LoadFigures> {
  let next = 0;
  return load(`${base}/api/v1/integrations/alertmanager`, {
    ...opts,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
}

/** Incidents per alert group the backend holds now. */
async function incidentsPerGroup(base: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const res = await fetch(`${base}/api/v1/incidents?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const page = (await res.json()) as {
      items: { source: { alertGroup?: string } | null }[];
      nextCursor: string | null;
    };
    for (const i of page.items) {
      const key = i.source?.alertGroup ?? '';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return counts;
}

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-alert-storm-'));
  const backend = await startBackend({
    DATABASE_URL: `sqlite:${path.join(dir, 'opsdeck.db')}`,
    OPSDECK_TOKENS: `alertmanager:editor:${TOKEN}`,
    RATE_LIMIT_PER_MINUTE: '0',
    BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
    LOG_LEVEL: 'warn',
  });
  const bare = await startBare();
  try {
    const big = [notification(1000, BIG_PAYLOAD_ALERTS)];
    const storm = Array.from({ length: STORM_GROUPS }, (_, g) => notification(g, ALERTS_PER_STORM_PAYLOAD));
    // Warm both up with payloads of groups the measurement does not use.
    const warm = [notification(9999, ALERTS_PER_STORM_PAYLOAD)];
    for (const url of [backend.url, bare.url]) await post(url, warm, { amount: 200, connections: 4 });

    const bigOnce = { amount: BIG_PAYLOAD_POSTS, connections: 1 };
    const stormRate = { rate: STORM_RATE, seconds: SECONDS, connections: 10 };
    const bigBare = await withCpu(bare.child.pid!, () => post(bare.url, big, bigOnce));
    const bigFigures = await withCpu(backend.pid, () => post(backend.url, big, bigOnce));
    const stormBare = await withCpu(bare.child.pid!, () => post(bare.url, storm, stormRate));
    const stormFigures = await withCpu(backend.pid, () => post(backend.url, storm, stormRate));

    const counts = await incidentsPerGroup(backend.url);
    const groupsSeen = [...counts.keys()].filter((k) => k.includes('ApiErrors')).length;
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const dedup = {
      groups_expected: STORM_GROUPS + 2,
      groups_with_incident: groupsSeen,
      groups_with_duplicates: duplicates,
    };
    const dedupHolds = groupsSeen === dedup.groups_expected && duplicates === 0;
    const bytes = (s: string) => round(Buffer.byteLength(s) / 1024);
    // The machine is shared: a load average above its core count inflates every latency.
    const machine = { load_average_1m: round(os.loadavg()[0] ?? 0), cores: os.cpus().length };
    return [
      {
        name: `alert storm: one notification of ${BIG_PAYLOAD_ALERTS} alerts, posted ${BIG_PAYLOAD_POSTS} times in a row`,
        figures: { ...bigFigures, payload_kib: bytes(big[0]!), ...dedup, ...machine },
        baseline: { name: 'bare Fastify route parsing the same payload', figures: { ...bigBare } },
        ratio: round(bigFigures.server_cpu_ms_per_request / bigBare.server_cpu_ms_per_request),
        target: `server CPU ≤ ${TARGET_CPU_MS.big} ms per notification, no errors, one incident per group`,
        pass:
          bigFigures.errors === 0 && bigFigures.server_cpu_ms_per_request <= TARGET_CPU_MS.big && dedupHolds,
      },
      {
        name: `alert storm: ${STORM_RATE} notifications a second over ${STORM_GROUPS} groups (${ALERTS_PER_STORM_PAYLOAD} alerts each) for ${SECONDS} s, 10 connections`,
        figures: { ...stormFigures, payload_kib: bytes(storm[0]!), ...dedup, ...machine },
        baseline: { name: 'bare Fastify route parsing the same payloads', figures: { ...stormBare } },
        ratio: round(stormFigures.server_cpu_ms_per_request / stormBare.server_cpu_ms_per_request),
        target: `server CPU ≤ ${TARGET_CPU_MS.storm} ms per notification, no errors, one incident per group`,
        pass:
          stormFigures.errors === 0 &&
          stormFigures.server_cpu_ms_per_request <= TARGET_CPU_MS.storm &&
          dedupHolds,
      },
    ];
  } finally {
    bare.child.kill('SIGTERM');
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  if (process.argv[2] === 'bare') void serveBare();
  else void run().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
