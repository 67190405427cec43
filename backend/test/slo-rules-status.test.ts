// Status from the generated recording rules, backfilled over the golden history with promtool and
// loaded into Prometheus, matches the raw answers within 0.1 %, and the evaluator notices the rules.
import {
  type PrometheusRule,
  type SloSpec,
  objectiveFraction,
  recordedWindow,
  sloRuleGroups,
  sloRulesYaml,
} from '@opsdeck/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/clock';
import { PrometheusClient } from '../src/prometheus/client';
import { SloEvaluator } from '../src/slo/evaluator';
import type { SloStatus } from '../src/slo/status';
import { END, goldenBlocksDir } from './support/golden-data';
import {
  GOLDEN_AVAILABILITY as availability,
  GOLDEN_SLO_BASE as base,
  GOLDEN_SLOS,
} from './support/golden-slos';
import { backfillRules, PrometheusServer, startPrometheus } from './support/prometheus';

jest.setTimeout(600_000);

const at = new Date(END * 1000);
const DAY = 86_400;
const SLOS: SloSpec[] = [
  GOLDEN_SLOS.availability30d,
  GOLDEN_SLOS.availabilityMonth,
  {
    ...base,
    id: 'availability-by-route',
    objective: 99.9,
    window: '30d',
    groupBy: ['route', 'method'],
    minEvents: 1000,
    indicator: availability,
  },
  GOLDEN_SLOS.ordersReadP95,
  GOLDEN_SLOS.etlFreshness,
  // no request answered 599: the error counter never appeared
  {
    ...base,
    id: 'never-failed',
    objective: 99.9,
    window: '30d',
    indicator: { ...availability, errors: 'http_requests_total{service="api",code="599"}' },
  },
  // only /search answers 404: /orders has no 404 series
  {
    ...base,
    id: 'not-found-by-route',
    objective: 95,
    window: '30d',
    groupBy: ['route'],
    indicator: { ...availability, errors: 'http_requests_total{service="api",code="404"}' },
  },
];

/** The SLOs' recording rules that `keep` selects, as a rule file (JSON is YAML). */
function ruleFile(keep: (r: PrometheusRule) => boolean): string {
  const groups = SLOS.flatMap((slo) => sloRuleGroups(slo)).map((g) => ({
    ...g,
    rules: g.rules.filter((r) => 'record' in r && keep(r)),
  }));
  return JSON.stringify({ groups: groups.filter((g) => g.rules.length > 0) });
}
const readsRecorded = (r: PrometheusRule) => /\bslo:/.test(r.expr);
const isIncrease = (r: PrometheusRule) => 'record' in r && /^slo:(errors|total):increase5m$/.test(r.record);

let prom: PrometheusServer;
const work = mkdtempSync(join(tmpdir(), 'opsdeck-rules-'));
const raw = new Map<string, SloStatus>();
const recorded = new Map<string, SloStatus>();
/** The batch status of all SLOs from the rules, and the Prometheus calls each way took. */
let batch: { items: SloStatus[]; errors: unknown[] };
const calls = { oneByOne: 0, batch: 0 };
/** The window group's own series, read straight from Prometheus: ratio and events per group key. */
const windowSeries = new Map<string, Map<string, { ratio?: number; events?: number }>>();

beforeAll(async () => {
  const golden = join(await goldenBlocksDir(), 'blocks');
  let server = await startPrometheus({ blocks: [golden] });
  const blocks = [golden];
  try {
    const clock = new ManualClock(at);
    const rawEvaluator = new SloEvaluator({ prometheus: new PrometheusClient({ url: server.url }), clock });
    for (const slo of SLOS) raw.set(slo.id, await rawEvaluator.status(slo));

    // Rules from the source metrics first: the 5m increases over the longest window, the rest (burn
    // ratios up to 6h, guard counts) near the end; then the rules reading recorded series.
    const longest = END - 31 * DAY;
    blocks.push(
      await backfillRules(
        server.url,
        ruleFile((r) => isIncrease(r)),
        longest,
        END,
        work,
        'increases',
      ),
    );
    blocks.push(
      await backfillRules(
        server.url,
        ruleFile((r) => !isIncrease(r) && !readsRecorded(r)),
        END - 3600,
        END,
        work,
        'source',
      ),
    );
    await server.remove();
    server = await startPrometheus({ blocks });
    blocks.push(await backfillRules(server.url, ruleFile(readsRecorded), END - 3600, END, work, 'recorded'));
    await server.remove();
    server = await startPrometheus({ blocks, rules: [sloRulesYaml(SLOS)] });
    const client = new PrometheusClient({ url: server.url });
    const ruled = new SloEvaluator({ prometheus: client, clock });
    for (const slo of SLOS) recorded.set(slo.id, await ruled.status(slo));
    calls.oneByOne = client.requests;
    const batchClient = new PrometheusClient({ url: server.url });
    batch = await new SloEvaluator({ prometheus: batchClient, clock }).statuses(SLOS);
    calls.batch = batchClient.requests;
    for (const slo of SLOS) {
      const window = recordedWindow(slo.window);
      if (window === null) continue;
      const byGroup = new Map<string, { ratio?: number; events?: number }>();
      const file = async (
        query: string,
        put: (e: { ratio?: number; events?: number }, v: number) => void,
      ) => {
        for (const s of await client.instant(query, at)) {
          const key = JSON.stringify(slo.groupBy.map((l) => s.labels[l] ?? ''));
          put(byGroup.get(key) ?? byGroup.set(key, {}).get(key)!, s.value);
        }
      };
      await file(`slo:sli_error:ratio_rate${window}{slo="${slo.id}"}`, (e, v) => (e.ratio = v));
      await file(`slo:total:increase${window}{slo="${slo.id}"}`, (e, v) => (e.events = v));
      windowSeries.set(slo.id, byGroup);
    }
  } finally {
    prom = server;
  }
});
afterAll(async () => {
  await prom?.remove();
  rmSync(work, { recursive: true, force: true });
});

const within = (a: number | null, b: number | null, rel: number) => {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  expect(Math.abs(a! - b!)).toBeLessThanOrEqual(rel * Math.abs(b!) + 1e-12);
};

/**
 * Recorded series trail the source by the group's evaluation offset (up to one 1m interval; the SLO
 * window's own group runs, and is backfilled by promtool, every 2m30s, so its sample can be up to
 * 2m30s old), and a window summed from 5m increases weighs its newest 4 minutes by 1/5..4/5. At the
 * end of the golden history a 20 % error burst is under way, the worst case for both: the smallest
 * route's 30d error ratio moves by 0.3 % in 2 minutes of it. Hence the looser bounds for the error
 * ratio and for windows of 1h and more (the SLI and the events stay within 0.1 %); 5m and 30m windows
 * (and a small group's windows) hold a handful of errors, where one event more or less moves the
 * ratio by tens of percent, so only the alert state is compared there.
 */
const SLO_WINDOW_ERROR_RATIO = 0.005;
const BURN_WINDOW = 0.1;
const NUMERIC_WINDOWS = ['1h', '2h', '6h', '1d', '3d'];

describe.each(SLOS.map((s) => [s.id]))('%s from recording rules', (id) => {
  it('is evaluated from the rules once Prometheus has them loaded', () => {
    expect(raw.get(id)!.source).toBe('raw');
    expect(recorded.get(id)!.source).toBe('rules');
  });

  it('matches the raw SLI, events and alert state within 0.1 %', () => {
    const r = raw.get(id)!;
    const q = recorded.get(id)!;
    within(q.sli, r.sli, 0.001);
    within(q.events, r.events, 0.001);
    expect(q.alerts).toEqual(r.alerts);
    expect(q.window).toEqual(r.window);
    for (const [i, g] of (r.groups ?? []).entries()) {
      const h = q.groups![i]!;
      expect(h.labels).toEqual(g.labels);
      within(h.sli, g.sli, 0.001);
      within(h.events, g.events, 0.001);
      expect(h.alerts).toEqual(g.alerts);
    }
  });

  it("matches the raw error ratio and burn rates within the rules' lag", () => {
    const r = raw.get(id)!;
    const q = recorded.get(id)!;
    within(q.errorBudget.consumed, r.errorBudget.consumed, SLO_WINDOW_ERROR_RATIO);
    for (const w of NUMERIC_WINDOWS) within(q.burnRates[w] ?? null, r.burnRates[w] ?? null, BURN_WINDOW);
    for (const [i, g] of (r.groups ?? []).entries()) {
      const h = q.groups![i]!;
      within(h.errorBudget.consumed, g.errorBudget.consumed, SLO_WINDOW_ERROR_RATIO);
    }
  });
});

describe.each(SLOS.filter((s) => recordedWindow(s.window) !== null).map((s) => [s.id, s]))(
  '%s window group',
  (id, slo) => {
    /** The raw status's error ratio over the SLO window: budget consumed × (1 − objective). */
    const rawRatio = (consumed: number | null) =>
      consumed === null ? null : consumed * (1 - objectiveFraction((slo as SloSpec).objective));

    it('records the window error ratio and events, matching the raw answer', () => {
      const r = raw.get(id as string)!;
      const series = windowSeries.get(id as string)!;
      const groups = r.groups ?? [{ labels: {}, errorBudget: r.errorBudget, events: r.events }];
      expect(series.size).toBe(groups.length);
      for (const g of groups) {
        const key = JSON.stringify((slo as SloSpec).groupBy.map((l) => g.labels[l] ?? ''));
        const recordedGroup = series.get(key);
        expect(recordedGroup).toBeDefined();
        within(recordedGroup!.ratio ?? null, rawRatio(g.errorBudget.consumed), SLO_WINDOW_ERROR_RATIO);
        within(recordedGroup!.events ?? null, g.events, 0.001);
      }
    });
  },
);

describe('an SLO whose error counter has not appeared, from recording rules', () => {
  const noErrors = (s: Pick<SloStatus, 'sli' | 'errorBudget' | 'burnRates'>) => {
    expect(s.sli).toBe(1);
    expect(s.errorBudget.consumed).toBe(0);
    for (const w of Object.keys(s.burnRates)) expect(s.burnRates[w]).toBe(0);
  };
  it('is 100 % good when no error ever happened', () => {
    const status = recorded.get('never-failed')!;
    expect(status.source).toBe('rules');
    noErrors(status);
    within(status.events, raw.get('never-failed')!.events, 0.001);
    expect(batch.items.find((s) => s.id === 'never-failed')).toEqual(status);
  });
  it('is 100 % good in the groups without errors', () => {
    const status = recorded.get('not-found-by-route')!;
    expect(status.groups!.map((g) => g.labels.route)).toEqual(['/orders', '/search']);
    noErrors(status.groups![0]!);
    expect(status.groups![1]!.sli).toBeLessThan(1);
  });
});

describe('batch status from recording rules', () => {
  it('equals each SLO evaluated on its own, in fewer Prometheus calls', () => {
    expect(batch.errors).toEqual([]);
    expect(batch.items).toEqual(SLOS.map((s) => recorded.get(s.id)));
    // the three ungrouped rolling-window SLOs share a dozen queries instead of ten each
    expect(calls.batch).toBeLessThan(calls.oneByOne);
  });
});
