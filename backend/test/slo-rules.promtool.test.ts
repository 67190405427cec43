// The generated SLO rules under Prometheus's own tools: `promtool check rules` accepts them, and
// `promtool test rules` replays minute-by-minute traffic to show when each burn-rate alert fires.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { SLO_ALERT_NAME, SloCreate, sloRulesYaml, type SloSpec } from '@opsdeck/common';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const run = promisify(execFile);

function ratioSlo(id: string, service: string, minEvents: number): SloSpec {
  return SloCreate.parse({
    id,
    name: `${id} availability`,
    service,
    objective: 99.9,
    window: '30d',
    minEvents,
    runbookUrl: 'http://localhost:3000/a/opsdeck-sre-app/runbooks/api-elevated-errors',
    indicator: {
      kind: 'ratio',
      errors: `http_requests_total{service="${service}",code=~"5.."}`,
      total: `http_requests_total{service="${service}"}`,
    },
  });
}

// Each scenario has its own service, so its traffic reaches only its SLO.
const SLOS = [
  ratioSlo('fast', 'fast-api', 100),
  ratioSlo('slow', 'slow-api', 100),
  ratioSlo('neutral', 'neutral-api', 100),
  ratioSlo('guarded', 'quiet-api', 100),
  ratioSlo('unguarded', 'quiet-api', 0),
];

/** Cumulative counter samples, one a minute from minute 0 to `minutes`, from events per minute. */
function counter(minutes: number, perMinute: (minute: number) => number): string {
  const values = [0];
  for (let m = 1; m <= minutes; m++) values.push((values[m - 1] ?? 0) + perMinute(m - 1));
  return values.join(' ');
}

/** Request counters of a service: `total(m)` requests in minute m, `errors(m)` of them 5xx. */
function traffic(
  service: string,
  minutes: number,
  total: (m: number) => number,
  errors: (m: number) => number,
) {
  return [
    {
      series: `http_requests_total{service="${service}",code="200"}`,
      values: counter(minutes, (m) => total(m) - errors(m)),
    },
    { series: `http_requests_total{service="${service}",code="500"}`, values: counter(minutes, errors) },
  ];
}

type Row = ['page' | 'ticket', string, string];
/** Firing ALERTS of one SLO at a minute, for promql_expr_test; `group` holds its groupBy labels (sorted). */
function firingAt(slo: SloSpec, minute: number, rows: Row[], group = '') {
  return {
    expr: `ALERTS{slo="${slo.id}",alertstate="firing"}`,
    eval_time: `${minute}m`,
    exp_samples: rows.map(([tier, long, short]) => ({
      labels:
        `ALERTS{alertname="${SLO_ALERT_NAME}",alertstate="firing",long="${long}",${group}service="${slo.service}",` +
        `severity="${tier === 'page' ? 'S2' : 'S3'}",short="${short}",slo="${slo.id}",slo_tier="${tier}"}`,
      value: 1,
    })),
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-promtool-'));
  writeFileSync(join(dir, 'slo-rules.yml'), sloRulesYaml(SLOS));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one promtool unit test over the rules of just the SLOs it concerns (each group costs time). */
async function promtoolTest(name: string, slos: SloSpec[], test: object): Promise<void> {
  writeFileSync(join(dir, `${name}.rules.yml`), sloRulesYaml(slos));
  const file = join(dir, `${name}.test.yml`);
  writeFileSync(
    file,
    stringify({ rule_files: [`${name}.rules.yml`], evaluation_interval: '1m', tests: [test] }),
  );
  try {
    await run(PROMTOOL, ['test', 'rules', file], { cwd: dir });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`promtool test rules failed for ${name}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

const [fast, slow, neutral, guarded, unguarded] = SLOS as [SloSpec, SloSpec, SloSpec, SloSpec, SloSpec];

// One SLO of each other indicator kind, 95 % objective: both page rows need a 5 % budget burnt at 14.4x/6x.
const latency = SloCreate.parse({
  id: 'read-p95',
  name: 'read p95',
  service: 'read-api',
  objective: 95,
  indicator: { kind: 'latency', metric: 'lat_seconds', matchers: 'service="read-api"', le: 0.5 },
});
const freshness = SloCreate.parse({
  id: 'freshness',
  name: 'freshness',
  service: 'etl',
  objective: 95,
  groupBy: ['pipeline'],
  indicator: { kind: 'threshold', selector: 'etl_lag_seconds', operator: '<', bound: 900, sliceSeconds: 60 },
});

test('promtool check rules accepts the generated rules', async () => {
  writeFileSync(join(dir, 'all.yml'), sloRulesYaml([...SLOS, latency, freshness]));
  const { stdout } = await run(PROMTOOL, ['check', 'rules', join(dir, 'all.yml')]);
  // per SLO: objective, 2 increases, 1 guard count, 7 ratios and 4 alerts, and in the window group
  // the 30d errors, events and ratio
  expect(stdout).toContain(`SUCCESS: ${(SLOS.length + 2) * (15 + 3)} rules found`);
});

test('promtool check rules rejects a broken rule file, so the check above means something', async () => {
  const broken = join(dir, 'broken.yml');
  writeFileSync(broken, sloRulesYaml([fast]).replace('sum(increase(', 'sum(increase(('));
  await expect(run(PROMTOOL, ['check', 'rules', broken])).rejects.toThrow();
});

test('a fast burn pages within minutes, then each alert resolves in turn', async () => {
  // 1000 req/min; half of them fail from minute 60 to 90.
  const outage = (m: number) => (m >= 60 && m < 90 ? 500 : 0);
  await promtoolTest('fast-burn', [fast], {
    interval: '1m',
    input_series: traffic(fast.service, 260, () => 1000, outage),
    promql_expr_test: [
      firingAt(fast, 59, []),
      // two minutes of errors lift the 1h ratio over 14.4x, then `for: 2m`
      firingAt(fast, 65, [['page', '1h', '5m']]),
      firingAt(fast, 80, [
        ['page', '1h', '5m'],
        ['page', '6h', '30m'],
      ]),
      // the 5m window is clean 5 minutes after the outage: the fast page resolves, the slow one holds
      firingAt(fast, 100, [['page', '6h', '30m']]),
      // the 30m window is clean by minute 120; the ticket waited out its hour
      firingAt(fast, 125, [['ticket', '1d', '2h']]),
      firingAt(fast, 250, [['ticket', '3d', '6h']]),
    ],
  });
});

test('a slow burn opens tickets and never pages', async () => {
  // 0.5 % errors: 5x the 0.1 % budget, below both page factors (14.4x, 6x), above both ticket factors.
  await promtoolTest('slow-burn', [slow], {
    interval: '1m',
    input_series: traffic(
      slow.service,
      250,
      () => 1000,
      () => 5,
    ),
    promql_expr_test: [
      firingAt(slow, 30, []),
      firingAt(slow, 120, [['ticket', '1d', '2h']]),
      firingAt(slow, 245, [
        ['ticket', '1d', '2h'],
        ['ticket', '3d', '6h'],
      ]),
      {
        expr: `count_over_time(ALERTS{slo="slow",slo_tier="page"}[250m])`,
        eval_time: '250m',
        exp_samples: [],
      },
    ],
  });
});

test('a spiky but budget-neutral day stays quiet', async () => {
  // 2000 req/min; each hour 50 minutes at 1 error/min and a 10-minute spike at 6/min (3x budget):
  // 110 errors in 120 000 requests an hour, a burn rate of 0.92.
  const errors = (m: number) => (m % 60 >= 50 ? 6 : 1);
  await promtoolTest('neutral-day', [neutral], {
    interval: '1m',
    input_series: traffic(neutral.service, 1440, () => 2000, errors),
    promql_expr_test: [
      // the spikes are there: the 5m window burned at 3x ...
      {
        expr: `max_over_time(slo:sli_error:ratio_rate5m{slo="neutral"}[1d]) / 0.001 > bool 2.9`,
        eval_time: '1440m',
        exp_samples: [{ labels: '{service="neutral-api",slo="neutral"}', value: 1 }],
      },
      // ... the day as a whole stayed within budget ...
      {
        expr: `slo:sli_error:ratio_rate1d{slo="neutral"} / 0.001 < bool 1`,
        eval_time: '1440m',
        exp_samples: [{ labels: '{service="neutral-api",slo="neutral"}', value: 1 }],
      },
      // ... and no alert was even pending at any minute of it.
      { expr: `count_over_time(ALERTS{slo="neutral"}[1d])`, eval_time: '1440m', exp_samples: [] },
    ],
  });
});

test('the minimum-traffic guard holds a page back on thin traffic', async () => {
  // 2 req/min, so 10 events in 5m and 60 in 30m: under the guarded SLO's 100. Half fail from minute 60.
  await promtoolTest('min-traffic', [guarded, unguarded], {
    interval: '1m',
    input_series: traffic(
      guarded.service,
      135,
      () => 2,
      (m) => (m >= 60 ? 1 : 0),
    ),
    promql_expr_test: [
      // the same traffic pages the SLO without a guard ...
      firingAt(unguarded, 70, [['page', '1h', '5m']]),
      // ... while the guarded SLO never paged, not even pending
      {
        expr: `count_over_time(ALERTS{slo="guarded",slo_tier="page"}[135m])`,
        eval_time: '135m',
        exp_samples: [],
      },
      // tickets are not guarded: the burn is still reported
      firingAt(guarded, 130, [['ticket', '1d', '2h']]),
    ],
  });
});

/** Page rows of a 95 % SLO whose events turn 90 % bad at minute 60 (the 1h row needs 48 bad minutes). */
const pagesOf = (slo: SloSpec) => [
  firingAt(slo, 75, []),
  firingAt(slo, 115, [
    ['page', '1h', '5m'],
    ['page', '6h', '30m'],
  ]),
];

test('a latency SLO pages when requests turn slow: errors are count − bucket{le}', async () => {
  // 100 req/min; from minute 60, 90 of them slower than 0.5 s
  const slowFrom60 = (m: number) => (m >= 60 ? 90 : 0);
  await promtoolTest('latency', [latency], {
    interval: '1m',
    input_series: [
      { series: 'lat_seconds_count{service="read-api"}', values: counter(120, () => 100) },
      {
        series: 'lat_seconds_bucket{service="read-api",le="0.5"}',
        values: counter(120, (m) => 100 - slowFrom60(m)),
      },
      { series: 'lat_seconds_bucket{service="read-api",le="+Inf"}', values: counter(120, () => 100) },
    ],
    promql_expr_test: pagesOf(latency),
  });
});

test('a threshold SLO pages when the gauge stays past its bound: bad one-minute slices', async () => {
  // lag 60 s, then stuck at 2000 s from minute 60 (bound 900 s); a second pipeline stays fresh
  const lag = Array.from({ length: 121 }, (_, m) => (m >= 60 ? 2000 : 60)).join(' ');
  await promtoolTest('threshold', [freshness], {
    interval: '1m',
    input_series: [
      { series: 'etl_lag_seconds{pipeline="orders"}', values: lag },
      { series: 'etl_lag_seconds{pipeline="billing"}', values: '60+0x120' },
    ],
    promql_expr_test: [
      firingAt(freshness, 75, []),
      firingAt(
        freshness,
        115,
        [
          ['page', '1h', '5m'],
          ['page', '6h', '30m'],
        ],
        'pipeline="orders",',
      ),
    ],
  });
});

test('the recorded 30d window ratio is event-weighted: a quiet half-hour weighs by its few events', async () => {
  // Each hour: 30 busy minutes of 1000 requests with 1 error, then 30 quiet ones of 10 requests with 5
  // errors (50 %). Over 10 hours 303 000 requests, 1 800 errors: 0.594 %. An average of 5m ratios
  // would say about 25 %, weighing a quiet 5 minutes like a busy one.
  const weighted = ratioSlo('weighted', 'weighted-api', 0);
  const quiet = (m: number) => m % 60 >= 30;
  const expected = { ratio: 1800 / 303_000, events: 303_000, errors: 1800 };
  const close = (expr: string, value: number) => ({
    expr: `abs(${expr} / ${value} - 1) < bool 0.01`,
    eval_time: '600m',
    exp_samples: [{ labels: '{service="weighted-api",slo="weighted"}', value: 1 }],
  });
  await promtoolTest('window-weighted', [weighted], {
    interval: '1m',
    input_series: traffic(
      weighted.service,
      600,
      (m) => (quiet(m) ? 10 : 1000),
      (m) => (quiet(m) ? 5 : 1),
    ),
    promql_expr_test: [
      close('slo:sli_error:ratio_rate30d{slo="weighted"}', expected.ratio),
      close('slo:total:increase30d{slo="weighted"}', expected.events),
      close('slo:errors:increase30d{slo="weighted"}', expected.errors),
      // the time-weighted shortcut the window rule avoids is far off on this traffic
      {
        expr: 'avg_over_time(slo:sli_error:ratio_rate5m{slo="weighted"}[600m]) > bool 0.1',
        eval_time: '600m',
        exp_samples: [{ labels: '{service="weighted-api",slo="weighted"}', value: 1 }],
      },
    ],
  });
});

test('no alert fires for burn inside planned work; burn after the work pages as usual', async () => {
  // opsdeck serves opsdeck_slo_excluded{slo} = 1 from minute 55 to 95 (a maintenance window naming
  // the SLO in excludeFromSlos). `planned` fails half its requests from minute 60 to 90, inside the
  // work; `after` fails them from minute 100 to 130, once the work is over.
  const planned = ratioSlo('planned', 'planned-api', 0);
  const after = ratioSlo('after', 'after-api', 0);
  const work = (slo: string) => ({
    series: `opsdeck_slo_excluded{slo="${slo}"}`,
    values: '0x54 1x40 0x364',
  });
  await promtoolTest('planned-work', [planned, after], {
    interval: '1m',
    input_series: [
      ...traffic(
        planned.service,
        460,
        () => 1000,
        (m) => (m >= 60 && m < 90 ? 500 : 0),
      ),
      ...traffic(
        after.service,
        460,
        () => 1000,
        (m) => (m >= 100 && m < 130 ? 500 : 0),
      ),
      work(planned.id),
      work(after.id),
    ],
    promql_expr_test: [
      // the burn is there in the recorded ratios ...
      {
        expr: `slo:sli_error:ratio_rate1h{slo="planned"} > bool 0.0144`,
        eval_time: '96m',
        exp_samples: [{ labels: '{service="planned-api",slo="planned"}', value: 1 }],
      },
      // ... yet no row of the SLO ever fired or was even pending, up to the 3d/6h row's short window
      { expr: `count_over_time(ALERTS{slo="planned"}[460m])`, eval_time: '460m', exp_samples: [] },
      // burn after the work pages as it would without any work
      firingAt(after, 106, [['page', '1h', '5m']]),
    ],
  });
});
