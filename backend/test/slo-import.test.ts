// Imports of OpenSLO, Sloth and Pyrra fixtures (written from each format's documented examples):
// the specs they convert into, the problems they report, and — against a real Prometheus over the
// golden history — that each imported SLO gives the numbers its source tool's own query gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  SloCreate,
  errorRatioQuery,
  formatDuration,
  importSlos,
  rangeSeconds,
  windowAt,
  type ImportFormat,
  type SloSpec,
} from '@opsdeck/common';
import { END } from './support/golden-data';
import { startGoldenPrometheus, type PrometheusServer } from './support/prometheus';

const FIXTURES = join(__dirname, 'fixtures', 'import');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const essentials = (s: SloSpec) => ({
  id: s.id,
  service: s.service,
  objective: s.objective,
  window: s.window,
  timeZone: s.timeZone,
  indicator: s.indicator,
  groupBy: s.groupBy,
});

describe('conversion', () => {
  test('Sloth getting-started: one SLO per slos[] entry, sum by (route) becomes groupBy', () => {
    const { slos, problems } = importSlos(fixture('sloth-getting-started.yaml'), 'sloth');
    expect(problems).toEqual([]);
    expect(slos.map(essentials)).toEqual([
      {
        id: 'api-requests-availability',
        service: 'api',
        objective: 99.9,
        window: '30d',
        timeZone: 'UTC',
        indicator: {
          kind: 'ratio',
          errors: 'http_requests_total{service="api",code=~"(5..|429)"}',
          total: 'http_requests_total{service="api"}',
        },
        groupBy: [],
      },
      {
        id: 'api-route-availability',
        service: 'api',
        objective: 99,
        window: '30d',
        timeZone: 'UTC',
        indicator: {
          kind: 'ratio',
          errors: 'http_requests_total{service="api",code=~"5.."}',
          total: 'http_requests_total{service="api"}',
        },
        groupBy: ['route'],
      },
    ]);
    expect(slos[0]?.labels).toEqual({ owner: 'myteam', repo: 'myorg/myservice', tier: '2' });
    expect(slos[0]?.runbookUrl).toBe('http://localhost:3000/a/opsdeck-sre-app/runbooks/api-elevated-errors');
    expect(slos[1]?.labels).toEqual({
      owner: 'myteam',
      repo: 'myorg/myservice',
      tier: '2',
      category: 'availability',
    });
  });

  test('Pyrra: ratio with grouping, latency from a success bucket and a total count', () => {
    const { slos, problems } = importSlos(fixture('pyrra-slos.yaml'), 'pyrra');
    expect(problems).toEqual([]);
    expect(slos.map(essentials)).toEqual([
      {
        id: 'api-response-errors',
        service: 'api',
        objective: 99.5,
        window: '2w',
        timeZone: 'UTC',
        indicator: {
          kind: 'ratio',
          errors: 'http_requests_total{service="api",code=~"5.."}',
          total: 'http_requests_total{service="api"}',
        },
        groupBy: ['route'],
      },
      {
        id: 'api-read-request-latency',
        service: 'api',
        objective: 50,
        window: '4w',
        timeZone: 'UTC',
        indicator: {
          kind: 'latency',
          metric: 'http_request_duration_seconds',
          matchers: 'service="api",method="GET"',
          le: 0.15,
        },
        groupBy: [],
      },
    ]);
  });

  test('OpenSLO: objectives, calendar windows, indicatorRef and a time-sliced threshold', () => {
    const { slos, problems } = importSlos(fixture('openslo-slos.yaml'), 'openslo');
    expect(problems).toEqual([]);
    const availability = {
      kind: 'ratio',
      errors: 'http_requests_total{service="api",code=~"5.."}',
      total: 'http_requests_total{service="api"}',
    };
    expect(slos.map(essentials)).toEqual([
      {
        id: 'api-availability-internal-objective',
        service: 'api',
        objective: 99.9,
        window: 'month',
        timeZone: 'Europe/Berlin',
        indicator: availability,
        groupBy: [],
      },
      {
        id: 'api-availability-sla',
        service: 'api',
        objective: 99.5,
        window: 'month',
        timeZone: 'Europe/Berlin',
        indicator: availability,
        groupBy: [],
      },
      {
        id: 'search-availability',
        service: 'api',
        objective: 99,
        window: '28d',
        timeZone: 'UTC',
        indicator: {
          kind: 'ratio',
          errors: 'http_requests_total{service="api",route="/search",code=~"5.."}',
          total: 'http_requests_total{service="api",route="/search"}',
        },
        groupBy: [],
      },
      {
        id: 'orders-freshness',
        service: 'etl',
        objective: 95,
        window: '4w',
        timeZone: 'UTC',
        indicator: {
          kind: 'threshold',
          selector: 'etl_lag_seconds{pipeline="orders"}',
          operator: '<',
          bound: 900,
          sliceSeconds: 60,
        },
        groupBy: [],
      },
    ]);
    expect(slos[0]?.name).toBe('API availability: Internal objective');
    expect(slos[0]?.labels).toEqual({ team: 'core' });
  });

  test('the good/total availability SLI imports as the provisioned availability indicator', () => {
    const provisioned = SloCreate.parse(
      parse(readFileSync(join(__dirname, '../../provisioning/slos/api-availability.yaml'), 'utf8')),
    );
    const [imported] = importSlos(fixture('openslo-slos.yaml')).slos;
    expect(imported?.indicator).toEqual(provisioned.indicator);
  });

  test.each<[string, ImportFormat, { document: string; field: string; message: RegExp }[]]>([
    [
      'sloth-unmappable.yaml',
      'sloth',
      [
        {
          document: 'sloth home-wifi/wifi-client-satisfaction (document 1)',
          field: 'slos.0.sli.raw',
          message: /raw error-ratio query/,
        },
        {
          document: 'sloth home-wifi/divided (document 1)',
          field: 'slos.1.sli.events.error_query',
          message: /"sum\(rate\(a_total\{code="500"\}\[\{\{\.window\}\}\]\)\) \/ 2" cannot be mapped/,
        },
      ],
    ],
    [
      'openslo-unmappable.yaml',
      'openslo',
      [
        {
          document: 'openslo SLO foo-slo (document 1)',
          field: 'spec.indicator.spec.ratioMetric.total.metricSource.type',
          message: /"Datadog" is not a Prometheus-compatible source/,
        },
        {
          document: 'openslo SLO service-availability (document 2)',
          field: 'spec.budgetingMethod',
          message: /Timeslices with a ratioMetric/,
        },
        {
          document: 'openslo SLO monthly (document 3)',
          field: 'spec.indicatorRef',
          message: /no SLI document named "missing-sli"/,
        },
        {
          document: 'openslo SLO minute-calendar (document 4)',
          field: 'spec.timeWindow.0.duration',
          message: /a month is "1M"/,
        },
      ],
    ],
  ])('%s: each unmappable SLO is named with its field', (file, format, expected) => {
    const { slos, problems } = importSlos(fixture(file), format);
    expect(slos).toEqual([]);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(problems[i]).toEqual({
        document: e.document,
        field: e.field,
        message: expect.stringMatching(e.message),
      });
    });
  });

  test('a document of another format than asked, an unknown document and broken YAML are reported', () => {
    const { problems } = importSlos(
      `${fixture('pyrra-slos.yaml')}\n---\nkind: Deployment\n---\nfoo: [1,\n`,
      'sloth',
    );
    expect(problems.map((p) => [p.document, p.field])).toEqual([
      ['document 1', '(format)'],
      ['document 2', '(format)'],
      ['document 3', 'apiVersion'],
      ['document 4', '(yaml)'],
    ]);
  });

  test('OpenSLO documents of an older version are named as such', () => {
    const { problems } = importSlos('apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: x}\n');
    expect(problems).toEqual([
      {
        document: 'document 1',
        field: 'apiVersion',
        message: 'openslo/v1alpha is not read: convert it to openslo/v1',
      },
    ]);
  });

  test('an opsdeck field the source leaves invalid is reported against the opsdeck spec', () => {
    const { problems } = importSlos(fixture('pyrra-slos.yaml').replace('window: 2w', 'window: 1y'));
    expect(problems).toEqual([
      {
        document: 'pyrra api-response-errors (document 1)',
        field: '(opsdeck) window',
        message: expect.stringMatching(/rolling duration/),
      },
    ]);
  });
});

describe('imported SLOs give the numbers of their source tool (real Prometheus, golden history)', () => {
  let prometheus: PrometheusServer;
  beforeAll(async () => {
    prometheus = await startGoldenPrometheus();
  }, 300_000);
  afterAll(async () => {
    await prometheus?.remove();
  });

  /** Instant query at the end of the golden history: value per label set. */
  async function query(promql: string): Promise<Map<string, number>> {
    const url = `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: promql, time: String(END) })}`;
    const body = (await (await fetch(url)).json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
    return new Map(
      body.data.result.map((r) => {
        return [JSON.stringify(r.metric), Number(r.value[1])];
      }),
    );
  }

  async function expectSameNumbers(spec: SloSpec, sourceQuery: (range: string) => string) {
    const range = formatDuration(
      rangeSeconds(windowAt(spec.window, spec.timeZone, new Date(END * 1000)).elapsed),
    );
    const ours = await query(errorRatioQuery(spec, range));
    const theirs = await query(sourceQuery(range));
    expect(ours.size).toBeGreaterThan(0);
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [labels, value] of ours) {
      expect(value).toBeGreaterThan(0);
      expect(Math.abs(value - theirs.get(labels)!) / value).toBeLessThan(1e-9);
    }
  }

  const sloth = parse(fixture('sloth-getting-started.yaml')) as {
    slos: { sli: { events: { error_query: string; total_query: string } } }[];
  };
  test.each([0, 1])(
    'Sloth slos[%d]: error_query / total_query with {{.window}} set to the window',
    async (i) => {
      const spec = importSlos(fixture('sloth-getting-started.yaml')).slos[i]!;
      const { error_query, total_query } = sloth.slos[i]!.sli.events;
      await expectSameNumbers(spec, (range) =>
        `(${error_query}) / (${total_query})`.replaceAll('{{.window}}', range),
      );
    },
  );

  test('Pyrra ratio grouped by route: its rate ratio per route', async () => {
    const spec = importSlos(fixture('pyrra-slos.yaml')).slos[0]!;
    await expectSameNumbers(
      spec,
      (r) =>
        `sum by (route) (rate(http_requests_total{service="api",code=~"5.."}[${r}])) / sum by (route) (rate(http_requests_total{service="api"}[${r}]))`,
    );
  });

  test('Pyrra latency: (total − success) / total', async () => {
    const spec = importSlos(fixture('pyrra-slos.yaml')).slos[1]!;
    const total = 'http_request_duration_seconds_count{service="api",method="GET"}';
    const success = 'http_request_duration_seconds_bucket{service="api",method="GET",le="0.15"}';
    await expectSameNumbers(
      spec,
      (r) => `(sum(rate(${total}[${r}])) - sum(rate(${success}[${r}]))) / sum(rate(${total}[${r}]))`,
    );
  });

  test('OpenSLO good/total over a calendar month in Berlin: 1 − good/total', async () => {
    const spec = importSlos(fixture('openslo-slos.yaml')).slos[0]!;
    await expectSameNumbers(
      spec,
      (r) =>
        `1 - sum(increase(http_requests_total{service="api",code!~"5.."}[${r}])) / sum(increase(http_requests_total{service="api"}[${r}]))`,
    );
  });

  test('OpenSLO bad/total by indicatorRef: bad / total', async () => {
    const spec = importSlos(fixture('openslo-slos.yaml')).slos[2]!;
    await expectSameNumbers(
      spec,
      (r) =>
        `sum(increase(http_requests_total{service="api",route="/search",code=~"5.."}[${r}])) / sum(increase(http_requests_total{service="api",route="/search"}[${r}]))`,
    );
  });

  test('OpenSLO threshold in time slices: the share of minutes the lag missed 15 minutes', async () => {
    const spec = importSlos(fixture('openslo-slos.yaml')).slos[3]!;
    // one pipeline: sum() only drops its labels, as the SLO's ungrouped query does
    await expectSameNumbers(
      spec,
      (r) => `1 - sum(avg_over_time((etl_lag_seconds{pipeline="orders"} < bool 900)[${r}:1m]))`,
    );
  });
});
