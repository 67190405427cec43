// Exclusions against a real Prometheus over the golden history, raw and rules mode: every status
// number (SLI, events, budget, burn rates, alert state) and the budget series with exclusions equal
// Prometheus's own answer to the equivalent PromQL (the window less each excluded part `@` its end),
// raw agrees with the exact generated events, and the page under way at the end is held by planned work.
import { formatDuration, type SloSpec, type TimeRange, sloRuleGroups, sloRulesYaml } from '@opsdeck/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { type ExclusionSource, SloEvaluator } from '../src/slo/evaluator';
import type { SloStatus } from '../src/slo/status';
import { END, generateGoldenHistory, goldenBlocksDir, START } from './support/golden-data';
import { GOLDEN_AVAILABILITY, GOLDEN_SLO_BASE, GOLDEN_SLOS } from './support/golden-slos';
import { backfillRules, type PrometheusServer, startPrometheus } from './support/prometheus';

jest.setTimeout(600_000);

const DAY = 86_400;
const at = new Date(END * 1000);
const history = generateGoldenHistory();
const availability = GOLDEN_AVAILABILITY;
const E = availability.errors;
const T = availability.total;
const AVAILABILITY: SloSpec = {
  ...GOLDEN_SLO_BASE,
  id: 'availability',
  objective: 99.9,
  window: '30d',
  indicator: availability,
};
const MONTH: SloSpec = GOLDEN_SLOS.availabilityMonth;
const BY_ROUTE: SloSpec = { ...AVAILABILITY, id: 'availability-by-route', groupBy: ['route'] };
const LATENCY: SloSpec = GOLDEN_SLOS.ordersReadP95;
const LAT_SEL = GOLDEN_SLOS.ordersReadP95.indicator.matchers;
const FRESHNESS: SloSpec = GOLDEN_SLOS.etlFreshness;

const range = (from: number, to: number): TimeRange => ({
  start: new Date(from * 1000),
  end: new Date(to * 1000),
});
/**
 * The 8 % burst of day 12 (an accepted upstream failure), two overlapping adjustments late in the
 * window (merged into one), and planned work over the last 50 minutes, which covers the 20 % burst
 * of the last 40 minutes that pages without exclusions. As whole seconds, the PromQL terms below.
 */
const EXCLUSIONS = [
  range(START + 12 * DAY + 3600, START + 12 * DAY + 4 * 3600),
  range(END - 3 * DAY, END - 2 * DAY),
  range(END - 2.5 * DAY, END - 1.5 * DAY),
  range(END - 50 * 60, END),
];
/** The merged parts as `[range in seconds, end]`, which every window here contains whole or in part. */
const PARTS: [number, number][] = [
  [3 * 3600, START + 12 * DAY + 4 * 3600],
  [1.5 * DAY, END - 1.5 * DAY],
  [50 * 60, END],
];
const source: ExclusionSource = async (ids) => new Map(ids.map((id) => [id, EXCLUSIONS]));

/**
 * `q` over the `seconds` ending at `t` less `q` over each part inside it (clipped), each range
 * selector read `@` its end: `q` writes `sel` where a range selector's `[range]` goes.
 */
function lessParts(q: (sel: string) => string, seconds: number, t = END): string {
  const terms = PARTS.flatMap(([len, end]) => {
    const from = Math.max(end - len, t - seconds);
    const to = Math.min(end, t);
    return to > from ? [q(`[${formatDuration(to - from)}] @ ${to}`)] : [];
  });
  return [q(`[${formatDuration(seconds)}] @ ${t}`), ...terms].join(' - ');
}

const sum = (by: string | undefined, inner: string) => (by ? `sum by (${by}) (${inner})` : `sum(${inner})`);
const ratioQueries = (by?: string) => ({
  bad: (sel: string) => sum(by, `increase(${E}${sel})`),
  total: (sel: string) => sum(by, `increase(${T}${sel})`),
});

let prom: PrometheusServer;
let client: PrometheusClient;
const work = mkdtempSync(join(tmpdir(), 'opsdeck-exclusions-'));
const clock = new ManualClock(at);

async function scalarOf(query: string): Promise<number> {
  const samples = await client.instant(query, at);
  expect(samples).toHaveLength(1);
  return samples[0]!.value;
}

const close = (actual: number | null, expected: number, rel = 1e-9) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-12);
};

const RAW_WINDOWS: Record<string, number> = {
  '5m': 300,
  '30m': 1800,
  '1h': 3600,
  '2h': 7200,
  '6h': 21_600,
  '1d': DAY,
  '3d': 3 * DAY,
};

beforeAll(async () => {
  prom = await startPrometheus({ blocks: [join(await goldenBlocksDir(), 'blocks')] });
  client = new PrometheusClient({ url: prom.url });
});
afterAll(async () => {
  await prom?.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('raw mode', () => {
  let plain: SloEvaluator;
  let excluding: SloEvaluator;
  const statuses = new Map<string, { plain: SloStatus; excluding: SloStatus }>();
  beforeAll(async () => {
    plain = new SloEvaluator({ prometheus: client, clock });
    excluding = new SloEvaluator({ prometheus: client, clock, exclusions: source });
    for (const slo of [AVAILABILITY, MONTH, BY_ROUTE, LATENCY, FRESHNESS])
      statuses.set(slo.id, { plain: await plain.status(slo), excluding: await excluding.status(slo) });
  });

  it('pages at the end of the history without exclusions, and not inside the planned work', () => {
    expect(statuses.get('availability')!.plain.alerts.page).toBe(true);
    expect(statuses.get('availability')!.excluding.alerts.page).toBe(false);
    expect(statuses.get('availability-by-route')!.excluding.alerts.page).toBe(false);
  });

  it('ratio SLO: SLI, events and every burn rate equal the window less the excluded parts in PromQL', async () => {
    const s = statuses.get('availability')!.excluding;
    const q = ratioQueries();
    const bad = await scalarOf(lessParts(q.bad, 30 * DAY));
    const total = await scalarOf(lessParts(q.total, 30 * DAY));
    close(s.sli, 1 - bad / total);
    close(s.events, total);
    close(s.errorBudget.consumed, bad / total / 0.001);
    expect(s.excludedSeconds).toBe(3 * 3600 + 1.5 * DAY + 50 * 60);
    for (const [w, seconds] of Object.entries(RAW_WINDOWS)) {
      const b = await scalarOf(lessParts(q.bad, seconds));
      const t = await scalarOf(lessParts(q.total, seconds));
      if (t === 0) expect(s.burnRates[w]).toBeNull();
      else close(s.burnRates[w]!, b / t / 0.001);
    }
    // the 5m window lies inside the planned work: nothing in it counts
    expect(s.burnRates['5m']).toBeNull();
  });

  it('ratio SLO: the numbers equal the exact generated events outside the excluded parts', () => {
    const s = statuses.get('availability')!.excluding;
    const count = (match: Record<string, string | RegExp>) =>
      history.increase('http_requests_total', match, END - 30 * DAY, END) -
      PARTS.reduce(
        (acc, [len, end]) => acc + history.increase('http_requests_total', match, end - len, end),
        0,
      );
    const bad = count({ service: 'api', code: /5../ });
    const total = count({ service: 'api' });
    close(s.events, total);
    close(s.sli, 1 - bad / total);
    expect(s.sli).toBeGreaterThan(statuses.get('availability')!.plain.sli!);
  });

  it('calendar month: the elapsed period less the excluded parts', async () => {
    const s = statuses.get('availability-month')!.excluding;
    const seconds = END - Date.parse('2026-01-31T23:00:00Z') / 1000;
    const q = ratioQueries();
    const bad = await scalarOf(lessParts(q.bad, seconds));
    const total = await scalarOf(lessParts(q.total, seconds));
    close(s.sli, 1 - bad / total);
    close(s.events, total);
  });

  it('grouped SLO: each group less its own excluded events', async () => {
    const s = statuses.get('availability-by-route')!.excluding;
    const q = ratioQueries('route');
    const bad = await client.instant(lessParts(q.bad, 30 * DAY), at);
    const total = await client.instant(lessParts(q.total, 30 * DAY), at);
    expect(s.groups).toHaveLength(total.length);
    for (const g of s.groups!) {
      const t = total.find((x) => x.labels.route === g.labels.route)!.value;
      const b = bad.find((x) => x.labels.route === g.labels.route)!.value;
      close(g.events, t);
      close(g.sli, 1 - b / t);
    }
  });

  it('latency SLO: good events are subtracted like the total', async () => {
    const s = statuses.get('orders-read-p95')!.excluding;
    const good = (sel: string) =>
      `sum(increase(http_request_duration_seconds_bucket{${LAT_SEL},le=~"0.5"}${sel}))`;
    const count = (sel: string) => `sum(increase(http_request_duration_seconds_count{${LAT_SEL}}${sel}))`;
    const g = await scalarOf(lessParts(good, 28 * DAY));
    const t = await scalarOf(lessParts(count, 28 * DAY));
    close(s.sli, g / t);
    close(s.events, t);
  });

  it('threshold SLO: missed slices of the excluded parts are left out', async () => {
    const s = statuses.get('etl-freshness')!.excluding;
    const slices = (sel: string) =>
      `(etl_lag_seconds{pipeline="orders"} >= bool 900)${sel.replace(']', ':1m]')}`;
    const bad = (sel: string) => `sum(sum_over_time(${slices(sel)}))`;
    const all = (sel: string) => `sum(count_over_time(${slices(sel)}))`;
    const b = await scalarOf(lessParts(bad, 30 * DAY));
    const t = await scalarOf(lessParts(all, 30 * DAY));
    close(s.sli, 1 - b / t);
    close(s.events, t);
  });

  it('the batch status leaves the same events out', async () => {
    const batch = await excluding.statuses([AVAILABILITY, BY_ROUTE]);
    expect(batch.errors).toEqual([]);
    expect(batch.items[0]).toEqual(statuses.get('availability')!.excluding);
    expect(batch.items[1]).toEqual(statuses.get('availability-by-route')!.excluding);
  });

  it('budget series: each point is its window less the excluded steps inside it', async () => {
    const step = 300;
    const budget = await excluding.budget(AVAILABILITY, {
      from: new Date((END - 6 * 3600) * 1000),
      to: at,
      stepSeconds: step,
      burnWindow: '1h',
    });
    const points = budget.series[0]!.remaining;
    const q = ratioQueries();
    for (const t of [END, END - 20 * 60, END - 3 * 3600]) {
      const point = points.find(([time]) => time === new Date(t * 1000).toISOString())!;
      const bad = await scalarOf(lessParts(q.bad, 30 * DAY, t));
      const total = await scalarOf(lessParts(q.total, 30 * DAY, t));
      close(point[1], 1 - bad / total / 0.001);
      const burn = budget.series[0]!.burnRate.find(([time]) => time === point[0])!;
      const b1 = await scalarOf(lessParts(q.bad, 3600, t));
      const t1 = await scalarOf(lessParts(q.total, 3600, t));
      close(burn[1], b1 / t1 / 0.001);
    }
    // the series ends where the status stands
    close(points[points.length - 1]![1], statuses.get('availability')!.excluding.errorBudget.remaining!);
  });

  it('budget series of a calendar window ends where the status stands', async () => {
    const budget = await excluding.budget(MONTH, {
      from: new Date((END - DAY) * 1000),
      to: at,
      stepSeconds: 600,
      burnWindow: '1h',
    });
    const points = budget.series[0]!.remaining;
    close(
      points[points.length - 1]![1],
      statuses.get('availability-month')!.excluding.errorBudget.remaining!,
    );
  });
});

describe('rules mode', () => {
  const SLOS = [AVAILABILITY, LATENCY];
  let server: PrometheusServer;
  let ruled: SloStatus[];
  let raw: SloStatus[];
  let rulesClient: PrometheusClient;
  beforeAll(async () => {
    // the recorded 5m increases over the window: what rules-mode windows touching an exclusion sum
    const increases = JSON.stringify({
      groups: SLOS.flatMap((slo) => sloRuleGroups(slo))
        .map((g) => ({
          ...g,
          rules: g.rules.filter((r) => 'record' in r && /^slo:(errors|total):increase5m$/.test(r.record)),
        }))
        .filter((g) => g.rules.length > 0),
    });
    const blocks = [join(await goldenBlocksDir(), 'blocks')];
    blocks.push(await backfillRules(prom.url, increases, END - 31 * DAY, END, work, 'increases'));
    server = await startPrometheus({ blocks, rules: [sloRulesYaml(SLOS)] });
    rulesClient = new PrometheusClient({ url: server.url });
    const evaluator = new SloEvaluator({ prometheus: rulesClient, clock, exclusions: source });
    ruled = await Promise.all(SLOS.map((s) => evaluator.status(s)));
    raw = await Promise.all(
      SLOS.map((s) => new SloEvaluator({ prometheus: client, clock, exclusions: source }).status(s)),
    );
  });
  afterAll(async () => server?.remove());

  const recordedLessParts = (slo: SloSpec, record: 'errors' | 'total', seconds: number) =>
    lessParts((sel) => `sum(sum_over_time(slo:${record}:increase5m{slo="${slo.id}"}${sel}))`, seconds);

  it.each(SLOS.map((s, i) => [s.id, i] as const))(
    '%s: every number equals the recorded 5m increases less the excluded parts',
    async (_id, i) => {
      const slo = SLOS[i]!;
      const s = ruled[i]!;
      expect(s.source).toBe('rules');
      const seconds = slo.window === '28d' ? 28 * DAY : 30 * DAY;
      const bad = await rulesClient.instant(recordedLessParts(slo, 'errors', seconds), at);
      const total = await rulesClient.instant(recordedLessParts(slo, 'total', seconds), at);
      close(s.sli, 1 - bad[0]!.value / total[0]!.value);
      close(s.events, total[0]!.value / 5);
      for (const [w, sec] of Object.entries(RAW_WINDOWS)) {
        const b = (await rulesClient.instant(recordedLessParts(slo, 'errors', sec), at))[0]!.value;
        const t = (await rulesClient.instant(recordedLessParts(slo, 'total', sec), at))[0]!.value;
        if (t === 0) expect(s.burnRates[w]).toBeNull();
        else close(s.burnRates[w]!, b / t / (1 - slo.objective / 100));
      }
    },
  );

  it.each(SLOS.map((s, i) => [s.id, i] as const))(
    '%s: agrees with raw mode within the 5m edges of the excluded parts; no page either way',
    (_id, i) => {
      const r = raw[i]!;
      const q = ruled[i]!;
      expect(q.alerts).toEqual(r.alerts);
      expect(q.alerts.page).toBe(false);
      close(q.sli, r.sli!, 0.001);
      close(q.events, r.events!, 0.002);
      close(q.errorBudget.consumed, r.errorBudget.consumed!, 0.05);
    },
  );
});
