// Benchmark: status of 100 SLOs with 30-day windows over the golden history in a real Prometheus —
// through the evaluator on raw queries, the same PromQL sent straight to Prometheus, and through the
// evaluator on promtool-backfilled recording rules — in one run.
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Indicator, type SloSpec, sloRuleGroups, sloRulesYaml } from '@opsdeck/common';
import { ManualClock } from '../clock';
import { PrometheusClient, type Sample } from '../prometheus/client';
import { SloEvaluator } from '../slo/evaluator';
import { END, LATENCY_BUCKETS, PIPELINE, ROUTES, SERVICE, goldenBlocksDir } from './golden-history';
import { backfillRules, startPrometheus } from './prometheus-process';
import type { BenchResult } from './result';

const SLO_COUNT = 100;
/** rounds of each kind, alternated where there are two; the median is reported */
const ROUNDS = 11;
/** generous: the machine may be shared, and a timeout would end the run without figures */
const TIMEOUT_MS = 120_000;
/** Calls in flight at once, for the evaluator and the direct baseline alike. */
const CONCURRENCY = 8;
const DAY = 86_400;

/** 100 SLOs over the golden metrics: availability and latency per route, freshness bounds, LCP. */
function benchSlos(): SloSpec[] {
  const indicators: Indicator[] = [];
  for (const r of ROUTES) {
    const sel = `service="${SERVICE}",route="${r.route}",method="${r.method}"`;
    indicators.push({
      kind: 'ratio',
      errors: `http_requests_total{${sel},code=~"5.."}`,
      total: `http_requests_total{${sel}}`,
    });
    for (const le of LATENCY_BUCKETS)
      indicators.push({ kind: 'latency', metric: 'http_request_duration_seconds', matchers: sel, le });
  }
  indicators.push({
    kind: 'ratio',
    errors: `http_requests_total{service="${SERVICE}",code=~"5.."}`,
    total: `http_requests_total{service="${SERVICE}"}`,
  });
  for (const bound of [300, 600, 900]) {
    indicators.push({
      kind: 'threshold',
      selector: `etl_lag_seconds{pipeline="${PIPELINE}"}`,
      operator: '<',
      bound,
      sliceSeconds: 60,
    });
  }
  indicators.push({ kind: 'latency', metric: 'web_lcp_seconds', matchers: '', le: 2.5 });
  const objectives = [99, 99.5, 99.9, 95];
  return Array.from({ length: SLO_COUNT }, (_, i) => ({
    id: `bench-${String(i).padStart(3, '0')}`,
    name: `bench ${i}`,
    description: '',
    service: SERVICE,
    objective: objectives[i % objectives.length]!,
    window: '30d',
    timeZone: 'UTC',
    indicator: indicators[i % indicators.length]!,
    labels: {},
    groupBy: [],
    minEvents: i % 2,
    runbookUrl: null,
  }));
}

/** A client that also notes every instant query it is asked, to replay them directly. */
class RecordingClient extends PrometheusClient {
  readonly queries: Query[] = [];
  override async instant(query: string, time: Date): Promise<Sample[]> {
    this.queries.push({ query, time });
    return super.instant(query, time);
  }
}

type Query = { query: string; time: Date };

/** Sends the queries CONCURRENCY at a time, each through `send`; the wall time of all of them. */
async function replay(queries: Query[], send: (q: Query) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < queries.length) await send(queries[next++]!);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - started;
}

const form = (q: Query) =>
  new URLSearchParams({ query: q.query, time: String(q.time.getTime() / 1000) }).toString();

/**
 * The queries sent straight to Prometheus over kept-alive connections with Node's http module, the
 * leanest client at hand: as near Prometheus's own time as a client can measure it.
 */
function direct(url: string, queries: Query[]): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(`${url}/api/v1/query`);
  const send = (q: Query) =>
    new Promise<unknown>((resolve, reject) => {
      const body = form(q);
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return replay(queries, send).finally(() => agent.destroy());
}

/** The same with fetch, the baseline's client up to 2026-11-29, reported beside it for comparison. */
function directFetch(url: string, queries: Query[]): Promise<number> {
  return replay(queries, async (q) => {
    const res = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(q),
    });
    return res.json();
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Values of the named metrics (unlabelled samples) on Prometheus's own /metrics page. */
async function ownMetrics(url: string, names: string[]): Promise<number[]> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
  return names.map((name) => {
    const line = lines.find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  });
}

/**
 * Waits for the compactions Prometheus runs after start on the overlapping backfilled blocks (the
 * vertical one about a minute in, then level compactions of the merged blocks, each several seconds
 * long) so they do not compete with the measured queries: settled is five seconds in a row with no
 * block being written, the same blocks and compaction count, and under a fifth of a core busy.
 */
async function settled(url: string): Promise<void> {
  const deadline = performance.now() + 300_000;
  const sleep = () => new Promise((r) => setTimeout(r, 1000));
  while (
    performance.now() < deadline &&
    !((await ownMetrics(url, ['prometheus_tsdb_vertical_compactions_total']))[0]! >= 1)
  ) {
    await sleep();
  }
  const watched = [
    'prometheus_tsdb_blocks_loaded',
    'prometheus_tsdb_compactions_total',
    'prometheus_tsdb_compaction_populating_block',
    'process_cpu_seconds_total',
  ];
  let before = await ownMetrics(url, watched);
  for (let stable = 0; stable < 5 && performance.now() < deadline;) {
    await sleep();
    const now = await ownMetrics(url, watched);
    const [blocks, compactions, populating, cpu] = now;
    const quiet =
      blocks === before[0] && compactions === before[1] && populating === 0 && cpu! - before[3]! < 0.2;
    stable = quiet ? stable + 1 : 0;
    before = now;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

export async function run(): Promise<BenchResult[]> {
  const slos = benchSlos();
  const clock = new ManualClock(new Date(END * 1000));
  const golden = join(await goldenBlocksDir(), 'blocks');
  const work = mkdtempSync(join(tmpdir(), 'opsdeck-bench-slo-'));
  let server = await startPrometheus({ blocks: [golden] });
  try {
    // a new client without answer cache: every round asks Prometheus again, the rule list included
    const newClient = (url: string) =>
      new PrometheusClient({ url, concurrency: CONCURRENCY, cacheTtlMs: 0, timeoutMs: TIMEOUT_MS });
    const check = async (evaluator: SloEvaluator) => {
      const { items, errors } = await evaluator.statuses(slos);
      if (errors.length > 0 || items.length !== SLO_COUNT)
        throw new Error(`bench evaluation failed: ${String(errors[0]?.error)}`);
      return items;
    };
    const evaluate = (url: string) => check(new SloEvaluator({ prometheus: newClient(url), clock }));
    const recorder = new RecordingClient({
      url: server.url,
      concurrency: CONCURRENCY,
      cacheTtlMs: 0,
      timeoutMs: TIMEOUT_MS,
    });
    await check(new SloEvaluator({ prometheus: recorder, clock }));
    // identical queries of SLOs sharing an indicator are coalesced by the client: Prometheus's own
    // work is each distinct query once
    const distinct = new Map(recorder.queries.map((q) => [`${q.query}@${q.time.getTime()}`, q]));
    const queries = [...distinct.values()];
    // warm Prometheus's page cache, then alternate evaluator and direct rounds
    await direct(server.url, queries);
    await directFetch(server.url, queries);
    // The app keeps one client and evaluator: answers are not reused here, but the rule list is, as
    // the client answers it at once for 30 s and then while re-reading it (and the app's gauge loop
    // evaluates every SLO each minute, so a dashboard never finds it older than that).
    const keptEvaluator = (url: string) => new SloEvaluator({ prometheus: newClient(url), clock });
    const rawKept = keptEvaluator(server.url);
    await check(rawKept);
    const rawMs: number[] = [];
    const rawKeptMs: number[] = [];
    const directMs: number[] = [];
    const directFetchMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rawMs.push(await timed(() => evaluate(server.url)));
      directMs.push(await direct(server.url, queries));
      rawKeptMs.push(await timed(() => check(rawKept)));
      directFetchMs.push(await directFetch(server.url, queries));
    }

    const backfillStarted = performance.now();
    const groups = slos.flatMap((slo) => sloRuleGroups(slo));
    const file = (keep: (expr: string, record: string) => boolean) =>
      JSON.stringify({
        groups: groups
          .map((g) => ({ ...g, rules: g.rules.filter((r) => 'record' in r && keep(r.expr, r.record)) }))
          .filter((g) => g.rules.length > 0),
      });
    const isIncrease = (_: string, record: string) => /^slo:(errors|total):increase5m$/.test(record);
    const readsRecorded = (expr: string) => /\bslo:/.test(expr);
    const blocks = [golden];
    blocks.push(await backfillRules(server.url, file(isIncrease), END - 31 * DAY, END, work, 'increases'));
    blocks.push(
      await backfillRules(
        server.url,
        file((e, r) => !isIncrease(e, r) && !readsRecorded(e)),
        END - 3600,
        END,
        work,
        'source',
      ),
    );
    await server.remove();
    server = await startPrometheus({ blocks });
    blocks.push(await backfillRules(server.url, file(readsRecorded), END - 3600, END, work, 'recorded'));
    await server.remove();
    server = await startPrometheus({ blocks, rules: [sloRulesYaml(slos)] });
    await settled(server.url);
    const backfillSeconds = (performance.now() - backfillStarted) / 1000;

    const fromRules = (await evaluate(server.url)).filter((s) => s.source === 'rules').length;
    const rulesKept = keptEvaluator(server.url);
    await check(rulesKept);
    const rulesMs: number[] = [];
    const rulesKeptMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rulesMs.push(await timed(() => evaluate(server.url)));
      rulesKeptMs.push(await timed(() => check(rulesKept)));
    }
    const load = loadavg()[0]!;

    const raw = median(rawMs);
    const own = median(directMs);
    const overhead = raw / own;
    const steady = { raw: median(rawKeptMs), rules: median(rulesKeptMs) };
    const fresh = { raw, rules: median(rulesMs) };
    const speedup = steady.raw / steady.rules;
    return [
      {
        name: 'slo-status: 100 SLOs x 30d, evaluator on raw queries vs the same PromQL sent directly',
        figures: {
          slos: SLO_COUNT,
          queries_asked: recorder.queries.length,
          queries_distinct: queries.length,
          evaluator_raw_ms: round(raw),
          rounds: ROUNDS,
          load_average_1m: round(load, 2),
        },
        baseline: {
          name: 'Prometheus answering the same queries directly (Node http, kept-alive connections)',
          figures: { direct_ms: round(own), direct_fetch_ms: round(median(directFetchMs)) },
        },
        ratio: round(overhead, 3),
        target: 'raw evaluation (a new client each round) ≤ 1.2× Prometheus’s own time for the same PromQL',
        pass: overhead <= 1.2,
      },
      {
        name: 'slo-status: 100 SLOs x 30d, evaluator on recording rules vs raw',
        figures: {
          slos_from_rules: fromRules,
          evaluator_rules_ms: round(steady.rules),
          new_client_rules_ms: round(fresh.rules),
          new_client_raw_ms: round(fresh.raw),
          new_client_speedup: round(fresh.raw / fresh.rules, 2),
          rule_backfill_s: round(backfillSeconds),
          load_average_1m: round(load, 2),
        },
        baseline: { name: 'evaluator on raw queries', figures: { evaluator_raw_ms: round(steady.raw) } },
        ratio: round(speedup, 2),
        target:
          'with recording rules ≥ 10× faster than raw at 30 days (the app’s kept client and evaluator, answers not reused; a new client’s first status beside it)',
        pass: fromRules === SLO_COUNT && speedup >= 10,
      },
    ];
  } finally {
    await server.remove();
    rmSync(work, { recursive: true, force: true });
  }
}
