// Deterministic SLO golden history for the SLO tests and benchmark: 36 days of request, latency, lag
// and LCP series at 60 s, kept as exact per-minute events (the truth tests compare against) and
// written as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, cached by generator hash.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  createWriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const STEP_SECONDS = 60;
export const DAYS = 36;
/** First sample (all counters 0) and last sample: the fixed clock of the tests sits at END. */
export const START = Date.UTC(2026, 0, 15) / 1000;
export const MINUTES = DAYS * 1440;
export const END = START + MINUTES * STEP_SECONDS;

export const SERVICE = 'api';
export interface Route {
  route: string;
  method: string;
  /** requests per minute at the daily mean */
  rate: number;
  /** median latency in seconds */
  median: number;
  codes: string[];
}
export const ROUTES: Route[] = [
  { route: '/orders', method: 'GET', rate: 300, median: 0.08, codes: ['200', '500'] },
  { route: '/orders', method: 'POST', rate: 60, median: 0.2, codes: ['201', '500'] },
  { route: '/search', method: 'GET', rate: 120, median: 0.12, codes: ['200', '404', '500'] },
];
export const LATENCY_BUCKETS = [0.05, 0.15, 0.3, 0.5, 0.8, 2.5];
export const LCP_BUCKETS = [1, 2.5, 4];
export const PIPELINE = 'orders';

/** Minute index of a time (seconds); times in the tests are whole minutes of the history. */
export function minuteAt(t: number): number {
  const m = (t - START) / STEP_SECONDS;
  if (!Number.isInteger(m) || m < 0 || m > MINUTES)
    throw new Error(`${t} is not a sample time of the golden history`);
  return m;
}

const DAY = 1440;
/** Windows of elevated errors, in minutes from START; `route` undefined hits every route. */
const ERROR_BURSTS: { from: number; minutes: number; ratio: number; route?: number }[] = [
  { from: 5 * DAY + 600, minutes: 30, ratio: 0.3, route: 0 },
  { from: 12 * DAY + 120, minutes: 120, ratio: 0.08 },
  { from: 27 * DAY + 900, minutes: 15, ratio: 0.5, route: 2 },
  // the state at END: a slow burn on POST (ticket), a fast burn on GET /orders (page)
  { from: MINUTES - 2 * DAY, minutes: 2 * DAY, ratio: 0.004, route: 1 },
  { from: MINUTES - 40, minutes: 40, ratio: 0.2, route: 0 },
];
/** The spiky day: 3-minute spikes at 30x traffic every 20 minutes, errors concentrated in them. */
const SPIKY_DAY = 20;
const LATENCY_SHIFTS: { from: number; minutes: number; factor: number; route: number }[] = [
  { from: 24 * DAY, minutes: 2 * DAY, factor: 2.5, route: 0 },
  { from: 33 * DAY + 300, minutes: 240, factor: 4, route: 1 },
];
const LAG_EXCURSIONS: { from: number; minutes: number }[] = [
  { from: 2 * DAY + 240, minutes: 180 },
  { from: 30 * DAY + 240, minutes: 180 },
];
const LCP_BAD_DAY = 18;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Abramowitz–Stegun 7.1.26: the model only needs a smooth CDF, not a precise one.
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}
const lognormalCdf = (x: number, median: number, sigma: number): number =>
  0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)));

/** One series: its metric name, labels and one value per sample (N+1 samples, cumulative for counters). */
export interface GoldenSeries {
  name: string;
  labels: Record<string, string>;
  values: Float64Array;
}

export interface GoldenHistory {
  series: GoldenSeries[];
  /** Σ over matching series of value(to) − value(from): the exact event count in (from, to]. */
  increase(name: string, match: Record<string, string | RegExp>, from: number, to: number): number;
  /** Whole minutes in (from, to] whose gauge sample satisfies `good`, and all minutes. */
  slices(
    name: string,
    match: Record<string, string | RegExp>,
    from: number,
    to: number,
    good: (v: number) => boolean,
  ): { good: number; total: number };
}

function matches(labels: Record<string, string>, match: Record<string, string | RegExp>): boolean {
  return Object.entries(match).every(([k, want]) => {
    const v = labels[k] ?? '';
    return typeof want === 'string' ? v === want : new RegExp(`^(?:${want.source})$`).test(v);
  });
}

export function generateGoldenHistory(): GoldenHistory {
  const rnd = mulberry32(20260115);
  const n = MINUTES + 1;
  const series: GoldenSeries[] = [];
  const add = (name: string, labels: Record<string, string>): Float64Array => {
    const values = new Float64Array(n);
    series.push({ name, labels, values });
    return values;
  };
  const diurnal = (m: number): number => 1 + 0.5 * Math.sin((2 * Math.PI * ((m % DAY) - 360)) / DAY);

  ROUTES.forEach((r, ri) => {
    const base = { service: SERVICE, route: r.route, method: r.method };
    const counters = r.codes.map((code) => add('http_requests_total', { ...base, code }));
    const buckets = [...LATENCY_BUCKETS.map(String), '+Inf'].map((le) =>
      add('http_request_duration_seconds_bucket', { ...base, le }),
    );
    const count = add('http_request_duration_seconds_count', base);
    const sum = add('http_request_duration_seconds_sum', base);
    for (let m = 0; m < MINUTES; m++) {
      const day = Math.floor(m / DAY);
      const spike = day === SPIKY_DAY && m % 20 < 3;
      let requests = Math.round(r.rate * diurnal(m) * (0.9 + 0.2 * rnd()) * (spike ? 30 : 1));
      let errorRatio = 0.0003;
      if (day === SPIKY_DAY) errorRatio = spike ? 0.02 : 0.0001;
      for (const b of ERROR_BURSTS) {
        if (m >= b.from && m < b.from + b.minutes && (b.route === undefined || b.route === ri))
          errorRatio = b.ratio;
      }
      requests = Math.max(requests, 1);
      const errors = Math.min(requests, Math.max(0, Math.round(requests * errorRatio + rnd() - 0.5)));
      const notFound = r.codes.includes('404') ? Math.round(requests * 0.02 * rnd()) : 0;
      const ok = requests - errors - notFound;
      r.codes.forEach((code, ci) => {
        const c = counters[ci]!;
        const inc = code === '500' ? errors : code === '404' ? notFound : ok;
        c[m + 1] = c[m]! + inc;
      });
      let median = r.median;
      for (const s of LATENCY_SHIFTS)
        if (s.route === ri && m >= s.from && m < s.from + s.minutes) median *= s.factor;
      let below = 0;
      LATENCY_BUCKETS.forEach((le, bi) => {
        const expected = requests * lognormalCdf(le, median, 0.6);
        below = Math.min(requests, Math.max(below, Math.round(expected + rnd() - 0.5)));
        const b = buckets[bi]!;
        b[m + 1] = b[m]! + below;
      });
      const inf = buckets[LATENCY_BUCKETS.length]!;
      inf[m + 1] = inf[m]! + requests;
      count[m + 1] = count[m]! + requests;
      sum[m + 1] = sum[m]! + requests * median * Math.exp(0.18) * (0.95 + 0.1 * rnd());
    }
  });

  const lag = add('etl_lag_seconds', { pipeline: PIPELINE });
  for (let i = 0; i < n; i++) {
    let v = 30 + 60 * (i % 5) + Math.round(20 * rnd());
    for (const x of LAG_EXCURSIONS) if (i >= x.from && i < x.from + x.minutes) v += 30 * (i - x.from);
    lag[i] = v;
  }

  const lcpBuckets = [...LCP_BUCKETS.map(String), '+Inf'].map((le) => add('web_lcp_seconds_bucket', { le }));
  const lcpCount = add('web_lcp_seconds_count', {});
  const lcpSum = add('web_lcp_seconds_sum', {});
  for (let m = 0; m < MINUTES; m++) {
    const views = Math.round(200 * diurnal(m) * (0.9 + 0.2 * rnd()));
    const median = Math.floor(m / DAY) === LCP_BAD_DAY ? 2.6 : 1.4;
    let below = 0;
    LCP_BUCKETS.forEach((le, bi) => {
      below = Math.min(
        views,
        Math.max(below, Math.round(views * lognormalCdf(le, median, 0.5) + rnd() - 0.5)),
      );
      const b = lcpBuckets[bi]!;
      b[m + 1] = b[m]! + below;
    });
    const inf = lcpBuckets[LCP_BUCKETS.length]!;
    inf[m + 1] = inf[m]! + views;
    lcpCount[m + 1] = lcpCount[m]! + views;
    lcpSum[m + 1] = lcpSum[m]! + views * median * Math.exp(0.125);
  }

  return {
    series,
    increase(name, match, from, to) {
      const a = minuteAt(from);
      const b = minuteAt(to);
      let total = 0;
      for (const s of series)
        if (s.name === name && matches(s.labels, match)) total += s.values[b]! - s.values[a]!;
      return total;
    },
    slices(name, match, from, to, good) {
      const a = minuteAt(from);
      const b = minuteAt(to);
      let ok = 0;
      let all = 0;
      for (const s of series) {
        if (s.name !== name || !matches(s.labels, match)) continue;
        for (let i = a + 1; i <= b; i++) {
          all++;
          if (good(s.values[i]!)) ok++;
        }
      }
      return { good: ok, total: all };
    },
  };
}

const HELP: Record<string, [string, string]> = {
  http_requests: ['counter', 'HTTP requests by route, method and status code.'],
  http_request_duration_seconds: ['histogram', 'HTTP request latency.'],
  etl_lag_seconds: ['gauge', 'Age of the newest row the ETL pipeline has loaded.'],
  web_lcp_seconds: ['histogram', 'Largest Contentful Paint of page views.'],
};

function family(name: string): string {
  return name.replace(/_(total|bucket|count|sum)$/, '');
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

async function writeOpenMetrics(history: GoldenHistory, file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> =>
    new Promise((resolve) => (out.write(s) ? resolve() : out.once('drain', () => resolve())));
  const families = [...new Set(history.series.map((s) => family(s.name)))];
  for (const fam of families) {
    const [type, help] = HELP[fam]!;
    await write(`# HELP ${fam} ${help}\n# TYPE ${fam} ${type}\n`);
    const members = history.series.filter((s) => family(s.name) === fam);
    // a histogram's bucket/count/sum lines of one label set and timestamp belong together
    const groups = new Map<string, GoldenSeries[]>();
    for (const s of members) {
      const { le: _le, ...rest } = s.labels;
      const key = labelText(rest);
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const group of groups.values()) {
      const prefixes = group.map((s) => s.name + labelText(s.labels) + ' ');
      for (let i = 0; i <= MINUTES; i++) {
        const ts = ' ' + (START + i * STEP_SECONDS) + '\n';
        let chunk = '';
        group.forEach((s, gi) => (chunk += `${prefixes[gi]}${s.values[i]}${ts}`));
        await write(chunk);
      }
    }
  }
  await write('# EOF\n');
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** The backfilled TSDB blocks of the golden history, generated once per generator version. */
export async function goldenBlocksDir(): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(__filename)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `opsdeck-golden-${hash}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another test worker is generating: wait for it, or take over a lock it left behind
      if (existsSync(join(dir, 'complete'))) return dir;
      if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!existsSync(join(dir, 'complete'))) await generateBlocks(dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dir;
}

async function generateBlocks(dir: string): Promise<void> {
  const work = `${dir}.tmp-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'blocks'), { recursive: true });
  const file = join(work, 'history.om');
  await writeOpenMetrics(generateGoldenHistory(), file);
  // large blocks: promtool re-reads the input once per block, 2h blocks would mean 432 passes
  await run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      '--max-block-duration=960h',
      file,
      join(work, 'blocks'),
    ],
    {
      maxBuffer: 64 << 20,
    },
  );
  rmSync(file);
  if (readdirSync(join(work, 'blocks')).length === 0) throw new Error('promtool produced no blocks');
  mkdirSync(join(work, 'complete'));
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
}
