// Soak benchmark: the real backend process on SQLite, driven on loopback at a steady, bounded rate of mixed
// reads and writes for SOAK_SECONDS (default 600); its RSS is sampled from /proc and written to
// bench-results/soak-rss.csv. Memory must stay flat after the RSS warm-up (growth ≤ 10 %) and the p95
// latency within the 10 ms target of the other benchmarks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'node:http';
import { startBackend } from './backend-process';
import { percentile } from './load';
import type { BenchResult } from './result';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RPS ?? 50);
/** Requests in flight at most; a request that would exceed it is counted as shed, not queued. */
const MAX_IN_FLIGHT = 16;
/** Latency settles once the code is compiled: the first fifth of the run is left out of it. */
const WARMUP_SHARE = 0.2;
/**
 * RSS keeps climbing for minutes while V8 grows its heap to the size the load needs and SQLite fills its
 * page cache, so growth counts only from the end of this warm-up (measured: see docs/benchmarks.md).
 */
const RSS_WARMUP_SECONDS = Number(process.env.SOAK_RSS_WARMUP_SECONDS ?? 180);
/** RSS is compared as the mean over this long right after the warm-up and at the end of the run. */
const RSS_WINDOW_SECONDS = 60;
/**
 * The shortest soak whose RSS growth means something: the warm-up, the two windows, and as long again
 * between them, so a leak has time to show past the noise of garbage collection.
 */
const MEANINGFUL_SECONDS = RSS_WARMUP_SECONDS + 4 * RSS_WINDOW_SECONDS;
const SAMPLE_MS = 2000;
const TOKEN = 'soak-editor-secret-01';
const P95_TARGET_MS = 10;
const RSS_GROWTH_TARGET = 0.1;

interface Sample {
  at: number;
  ms: number;
  status: number;
  write: boolean;
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : NaN;
}

/**
 * The server's own p95 over the whole run, from its request-duration histogram: the upper bound of the
 * bucket holding the 95th percentile. Tells the server's time apart from the load generator's on a busy host.
 */
function serverP95Ms(metrics: string): number {
  const buckets = new Map<number, number>();
  for (const m of metrics.matchAll(/^opsdeck_http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1]!;
    if (labels.includes('route="/metrics"')) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted[sorted.length - 1]?.[1] ?? 0;
  const hit = sorted.find(([, count]) => count >= 0.95 * total);
  return hit ? hit[0] * 1000 : NaN;
}

/** The RSS curve beside the report, to see where the warm-up ends. */
function writeRssSeries(rss: { at: number; bytes: number }[]): void {
  const out = path.resolve('bench-results');
  fs.mkdirSync(out, { recursive: true });
  const lines = rss.map((r) => `${round(r.at / 1000, 1)},${round(r.bytes / 1024 / 1024, 1)}`);
  fs.writeFileSync(path.join(out, 'soak-rss.csv'), `seconds,rss_mb\n${lines.join('\n')}\n`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-soak-'));
  const backend = await startBackend({
    DATABASE_URL: `sqlite:${path.join(dir, 'opsdeck.db')}`,
    OPSDECK_TOKENS: `soak:editor:${TOKEN}`,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
  });
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const base = new URL(backend.url);

  const send = (method: string, url: string, body?: unknown) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: url,
          method,
          agent,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
          );
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const incidents: { id: string; version: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await send('POST', '/api/v1/incidents', {
      title: `soak seed ${i}`,
      severity: 'S3',
      service: `svc-${i % 4}`,
    });
    incidents.push({ id: res.json.id, version: res.json.version });
  }

  let n = 0;
  const pick = () => incidents[Math.floor(Math.random() * incidents.length)]!;
  /** The mix: 70 % reads over lists, details, timelines and annotations; 30 % creates, appends and updates. */
  const isWrite = (k: number) => k >= 7;
  async function one(k: number): Promise<number> {
    const now = new Date();
    const from = new Date(now.getTime() - 86_400_000).toISOString();
    if (k < 2) return (await send('GET', '/api/v1/incidents?limit=50')).status;
    if (k < 4) return (await send('GET', `/api/v1/incidents/${pick().id}`)).status;
    if (k === 4) return (await send('GET', `/api/v1/incidents/${pick().id}/timeline`)).status;
    if (k === 5)
      return (await send('GET', `/api/v1/annotations?from=${from}&to=${now.toISOString()}`)).status;
    if (k === 6) return (await send('GET', '/api/v1/changes?limit=50')).status;
    if (k === 7) {
      const res = await send('POST', '/api/v1/incidents', {
        title: `soak ${n}`,
        severity: 'S4',
        service: `svc-${n % 4}`,
      });
      if (res.status === 201) incidents.push({ id: res.json.id, version: res.json.version });
      return res.status;
    }
    if (k === 8)
      return (
        await send('POST', `/api/v1/incidents/${pick().id}/timeline`, {
          kind: 'note',
          text: `soak note ${n}`,
        })
      ).status;
    const target = pick();
    const res = await send('PATCH', `/api/v1/incidents/${target.id}`, {
      title: `soak edit ${n}`,
      version: target.version,
    });
    if (res.status === 200) target.version = res.json.version;
    // A 409 is a lost race between two updates of one incident: an answer, not an error.
    return res.status === 409 ? 200 : res.status;
  }

  const samples: Sample[] = [];
  const rss: { at: number; bytes: number }[] = [];
  let inFlight = 0;
  let shed = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  const rssTimer = setInterval(
    () => rss.push({ at: performance.now() - start, bytes: rssBytes(backend.pid) }),
    SAMPLE_MS,
  );
  const pending = new Set<Promise<void>>();
  let serverP95 = NaN;
  try {
    // Open loop: requests leave on a fixed schedule whatever the answers do, so the rate stays steady.
    for (let i = 0; ; i++) {
      const due = start + (i * 1000) / RATE;
      if (due >= end) break;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inFlight >= MAX_IN_FLIGHT) {
        shed++;
        continue;
      }
      inFlight++;
      const t0 = performance.now();
      const k = n++ % 10;
      const p = one(k).then(
        (status) =>
          void samples.push({ at: t0 - start, ms: performance.now() - t0, status, write: isWrite(k) }),
        () => void samples.push({ at: t0 - start, ms: performance.now() - t0, status: 0, write: isWrite(k) }),
      );
      const tracked = p.finally(() => {
        inFlight--;
        pending.delete(tracked);
      });
      pending.add(tracked);
    }
    await Promise.all(pending);
    serverP95 = serverP95Ms(await (await fetch(`${backend.url}/metrics`)).text());
  } finally {
    clearInterval(rssTimer);
    agent.destroy();
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const warmupMs = SECONDS * 1000 * WARMUP_SHARE;
  const steady = samples.filter((s) => s.at >= warmupMs);
  const tenth = (SECONDS * 1000 * (1 - WARMUP_SHARE)) / 10;
  const rssWarmupMs = RSS_WARMUP_SECONDS * 1000;
  const windowMs = RSS_WINDOW_SECONDS * 1000;
  const afterWarmup = rss
    .filter((r) => r.at >= rssWarmupMs && r.at < rssWarmupMs + windowMs)
    .map((r) => r.bytes);
  const last = rss.filter((r) => r.at >= SECONDS * 1000 - windowMs).map((r) => r.bytes);
  const meaningful = SECONDS >= MEANINGFUL_SECONDS && afterWarmup.length > 0;
  const baselineRss = mean(afterWarmup.length ? afterWarmup : rss.slice(0, 1).map((r) => r.bytes));
  const endRss = mean(last.length ? last : rss.slice(-1).map((r) => r.bytes));
  const growth = (endRss - baselineRss) / baselineRss;
  writeRssSeries(rss);

  const p95Of = (xs: Sample[]) =>
    percentile(
      xs.map((s) => s.ms).sort((a, b) => a - b),
      95,
    );
  const firstWindow = steady.filter((s) => s.at < warmupMs + tenth);
  const lastWindow = steady.filter((s) => s.at >= SECONDS * 1000 - tenth);
  const p95 = p95Of(steady);
  const errors = steady.filter((s) => s.status === 0 || s.status >= 400).length;
  const mb = (b: number) => round(b / 1024 / 1024, 1);

  return [
    {
      name: `soak: RSS over ${SECONDS} s at ${RATE} req/s (70 % reads, 30 % writes, SQLite)${meaningful ? '' : `, too short to judge (needs ≥ ${MEANINGFUL_SECONDS} s)`}`,
      figures: {
        seconds: SECONDS,
        rss_warmup_seconds: RSS_WARMUP_SECONDS,
        shortest_meaningful_seconds: MEANINGFUL_SECONDS,
        rss_after_warmup_mb: mb(baselineRss),
        rss_end_mb: mb(endRss),
        rss_max_mb: mb(Math.max(...rss.map((r) => r.bytes))),
        rss_growth_pct: round(growth * 100, 1),
        rss_samples: rss.length,
      },
      baseline: {
        name: `mean RSS over the ${RSS_WINDOW_SECONDS} s after a ${RSS_WARMUP_SECONDS} s warm-up`,
        figures: { rss_mb: mb(baselineRss) },
      },
      ratio: round(endRss / baselineRss),
      target: `RSS growth from the ${RSS_WINDOW_SECONDS} s after warm-up to the last ${RSS_WINDOW_SECONDS} s ≤ ${RSS_GROWTH_TARGET * 100} %, in a soak of ≥ ${MEANINGFUL_SECONDS} s`,
      pass: meaningful && growth <= RSS_GROWTH_TARGET,
    },
    {
      name: `soak: latency over ${SECONDS} s at ${RATE} req/s`,
      figures: {
        requests: steady.length,
        achieved_rps: round(steady.length / ((SECONDS * 1000 - warmupMs) / 1000), 1),
        shed,
        errors,
        p50_ms: round(
          percentile(
            steady.map((s) => s.ms).sort((a, b) => a - b),
            50,
          ),
        ),
        p95_ms: round(p95),
        p99_ms: round(
          percentile(
            steady.map((s) => s.ms).sort((a, b) => a - b),
            99,
          ),
        ),
        p95_last_tenth_ms: round(p95Of(lastWindow)),
        p95_reads_ms: round(p95Of(steady.filter((s) => !s.write))),
        p95_writes_ms: round(p95Of(steady.filter((s) => s.write))),
        server_p95_bucket_ms: serverP95,
      },
      baseline: {
        name: 'p95 in the first tenth after warm-up',
        figures: { p95_ms: round(p95Of(firstWindow)) },
      },
      ratio: round(p95Of(lastWindow) / p95Of(firstWindow)),
      target: `p95 ≤ ${P95_TARGET_MS} ms after warm-up, no errors, nothing shed`,
      pass: p95 <= P95_TARGET_MS && errors === 0 && shed === 0,
    },
  ];
}
