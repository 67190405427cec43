import { SloCreate } from './spec';
import {
  burnRateQuery,
  errorRatioFromCounts,
  errorRatioQuery,
  errorsQuery,
  eventCountQueries,
  eventsQuery,
  leMatcher,
  recordedBatchQuery,
  recordedWindow,
  recordingExpressions,
  sloDefinitionError,
  totalQuery,
  windowRecordingExpressions,
  type QueryMode,
} from './promql';

const ratio = SloCreate.parse({
  id: 'api-availability',
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  indicator: {
    kind: 'ratio',
    errors: 'http_requests_total{service="api",code=~"5.."}',
    total: 'http_requests_total{service="api"}',
  },
});
const perRoute = { ...ratio, groupBy: ['route', 'method'] };
const latency = SloCreate.parse({
  id: 'api-read-p95',
  name: 'API read p95',
  service: 'api',
  objective: 95,
  indicator: {
    kind: 'latency',
    metric: 'http_request_duration_seconds',
    matchers: 'service="api",method=~"GET|HEAD"',
    le: 0.5,
  },
});
const latencyNoMatchers = {
  ...latency,
  indicator: { kind: 'latency' as const, metric: 'web_lcp_seconds', matchers: '', le: 2.5 },
};
const threshold = SloCreate.parse({
  id: 'etl-freshness',
  name: 'ETL freshness',
  service: 'etl',
  objective: 95,
  indicator: { kind: 'threshold', selector: 'etl_lag_seconds{pipeline="orders"}', bound: 900 },
  groupBy: ['pipeline'],
});

describe('leMatcher', () => {
  test.each([
    [0.15, 'le="0.15"'],
    [2.5, 'le="2.5"'],
    [1, 'le=~"1(\\\\.0)?"'],
    [900, 'le=~"900(\\\\.0)?"'],
  ])('%p -> %s', (le, expected) => {
    expect(leMatcher(le)).toBe(expected);
  });
});

describe('totalQuery and errorsQuery', () => {
  test.each([
    [
      'ratio',
      ratio,
      'sum(increase(http_requests_total{service="api"}[5m]))',
      'sum(increase(http_requests_total{service="api",code=~"5.."}[5m])) or 0 * sum(increase(http_requests_total{service="api"}[5m]))',
    ],
    [
      'ratio grouped',
      perRoute,
      'sum by (route, method) (increase(http_requests_total{service="api"}[5m]))',
      'sum by (route, method) (increase(http_requests_total{service="api",code=~"5.."}[5m])) or 0 * sum by (route, method) (increase(http_requests_total{service="api"}[5m]))',
    ],
    [
      'latency',
      latency,
      'sum(increase(http_request_duration_seconds_count{service="api",method=~"GET|HEAD"}[5m]))',
      'sum(increase(http_request_duration_seconds_count{service="api",method=~"GET|HEAD"}[5m])) - sum(increase(http_request_duration_seconds_bucket{service="api",method=~"GET|HEAD",le="0.5"}[5m]))',
    ],
    [
      'latency without matchers',
      latencyNoMatchers,
      'sum(increase(web_lcp_seconds_count[5m]))',
      'sum(increase(web_lcp_seconds_count[5m])) - sum(increase(web_lcp_seconds_bucket{le="2.5"}[5m]))',
    ],
    [
      'threshold',
      threshold,
      'sum by (pipeline) (count_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[5m:1m]))',
      'sum by (pipeline) (sum_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[5m:1m]))',
    ],
  ])('%s', (_name, slo, total, errors) => {
    expect(totalQuery(slo, '5m')).toBe(total);
    expect(errorsQuery(slo, '5m')).toBe(errors);
  });

  test.each([
    ['<', '>='],
    ['<=', '>'],
    ['>', '<='],
    ['>=', '<'],
  ] as const)('threshold good when %s counts slices %s the bound as bad', (operator, bad) => {
    const slo = {
      ...threshold,
      groupBy: [],
      indicator: { ...threshold.indicator, operator, sliceSeconds: 30 },
    };
    expect(errorsQuery(slo, '1h')).toBe(
      `sum(sum_over_time((etl_lag_seconds{pipeline="orders"} ${bad} bool 900)[1h:30s]))`,
    );
  });
});

describe('errorRatioQuery', () => {
  test.each<[string, Parameters<typeof errorRatioQuery>[0], string, QueryMode, string]>([
    [
      'ratio raw 30d',
      ratio,
      '30d',
      'raw',
      '(sum(increase(http_requests_total{service="api",code=~"5.."}[30d])) or 0 * sum(increase(http_requests_total{service="api"}[30d]))) / sum(increase(http_requests_total{service="api"}[30d]))',
    ],
    [
      'latency raw calendar elapsed',
      latency,
      '12d3h4m5s',
      'raw',
      '(sum(increase(http_request_duration_seconds_count{service="api",method=~"GET|HEAD"}[12d3h4m5s])) - sum(increase(http_request_duration_seconds_bucket{service="api",method=~"GET|HEAD",le="0.5"}[12d3h4m5s]))) / sum(increase(http_request_duration_seconds_count{service="api",method=~"GET|HEAD"}[12d3h4m5s]))',
    ],
    [
      'threshold raw',
      threshold,
      '1d',
      'raw',
      '(sum by (pipeline) (sum_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[1d:1m]))) / sum by (pipeline) (count_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[1d:1m]))',
    ],
    [
      'rules, recorded burn-rate window',
      ratio,
      '1h',
      'rules',
      'sum(slo:sli_error:ratio_rate1h{slo="api-availability"})',
    ],
    [
      'rules, recorded window grouped',
      perRoute,
      '3d',
      'rules',
      'sum by (route, method) (slo:sli_error:ratio_rate3d{slo="api-availability"})',
    ],
    [
      'rules, SLO window divides its recorded counts',
      perRoute,
      '30d',
      'rules',
      'sum by (route, method) (slo:errors:increase30d{slo="api-availability"}) / sum by (route, method) (slo:total:increase30d{slo="api-availability"})',
    ],
    [
      'rules, SLO window summed over groups still divides counts, never adds ratios',
      { ...perRoute, groupBy: [] },
      '30d',
      'rules',
      'sum(slo:errors:increase30d{slo="api-availability"}) / sum(slo:total:increase30d{slo="api-availability"})',
    ],
    [
      'rules, a 1d SLO window reads its counts, not the per-group 1d burn ratio',
      { ...ratio, window: '1d' },
      '1d',
      'rules',
      'sum(slo:errors:increase1d{slo="api-availability"}) / sum(slo:total:increase1d{slo="api-availability"})',
    ],
    [
      'rules, calendar elapsed part sums recorded increases',
      { ...perRoute, window: 'month' },
      '12d3h4m5s',
      'rules',
      'sum by (route, method) (sum_over_time(slo:errors:increase5m{slo="api-availability"}[12d3h4m5s])) / sum by (route, method) (sum_over_time(slo:total:increase5m{slo="api-availability"}[12d3h4m5s]))',
    ],
    [
      'rules, calendar window of 30 days elapsed still sums (nothing recorded for it)',
      { ...ratio, window: 'month' },
      '30d',
      'rules',
      'sum(sum_over_time(slo:errors:increase5m{slo="api-availability"}[30d])) / sum(sum_over_time(slo:total:increase5m{slo="api-availability"}[30d]))',
    ],
    [
      'rules, input without a window sums recorded increases',
      { id: ratio.id, indicator: ratio.indicator, groupBy: [] },
      '30d',
      'rules',
      'sum(sum_over_time(slo:errors:increase5m{slo="api-availability"}[30d])) / sum(sum_over_time(slo:total:increase5m{slo="api-availability"}[30d]))',
    ],
  ])('%s', (_name, slo, range, mode, expected) => {
    expect(errorRatioQuery(slo, range, mode)).toBe(expected);
  });

  test('a range that is not a duration is refused', () => {
    expect(() => errorRatioQuery(ratio, '30 days')).toThrow(/not a duration/);
  });
});

describe('eventCountQueries', () => {
  test.each([
    [
      'ratio: the error counter alone, no fallback',
      ratio,
      'sum(increase(http_requests_total{service="api"}[30d]))',
      'sum(increase(http_requests_total{service="api",code=~"5.."}[30d]))',
      'bad',
    ],
    [
      'ratio grouped',
      perRoute,
      'sum by (route, method) (increase(http_requests_total{service="api"}[30d]))',
      'sum by (route, method) (increase(http_requests_total{service="api",code=~"5.."}[30d]))',
      'bad',
    ],
    [
      'latency: the good observations, bucket{le}',
      latency,
      'sum(increase(http_request_duration_seconds_count{service="api",method=~"GET|HEAD"}[30d]))',
      'sum(increase(http_request_duration_seconds_bucket{service="api",method=~"GET|HEAD",le="0.5"}[30d]))',
      'good',
    ],
    [
      'threshold: the missed slices',
      threshold,
      'sum by (pipeline) (count_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[30d:1m]))',
      'sum by (pipeline) (sum_over_time((etl_lag_seconds{pipeline="orders"} >= bool 900)[30d:1m]))',
      'bad',
    ],
  ])('%s', (_name, slo, total, counted, countedIs) => {
    expect(eventCountQueries(slo, '30d')).toEqual({ total, counted, countedIs });
  });
  test('a range that is not a duration is refused', () => {
    expect(() => eventCountQueries(ratio, '30 days')).toThrow(/not a duration/);
  });
});

describe('errorRatioFromCounts', () => {
  test.each<[string, number | undefined, number | undefined, 'bad' | 'good', number]>([
    ['bad of total', 1000, 25, 'bad', 0.025],
    ['no error series yet: none bad', 1000, undefined, 'bad', 0],
    ['good of total', 1000, 900, 'good', 0.1],
    ['no bucket series: unknown', 1000, undefined, 'good', NaN],
    ['no events: unknown', undefined, 3, 'bad', NaN],
    ['zero events: unknown', 0, 0, 'bad', NaN],
  ])('%s', (_name, total, counted, countedIs, expected) => {
    expect(errorRatioFromCounts(total, counted, countedIs)).toBe(expected);
  });
});

describe('recordedBatchQuery', () => {
  test('every named record of the listed SLOs, summed per record and SLO', () => {
    expect(recordedBatchQuery(['slo:total:increase30d', 'slo:sli_error:ratio_rate1h'], ['api', 'web'])).toBe(
      'sum by (__name__, slo) ({__name__=~"slo:total:increase30d|slo:sli_error:ratio_rate1h", slo=~"api|web"})',
    );
  });
  test('a dot in an id matches only a dot', () => {
    expect(recordedBatchQuery(['slo:total:increase30d'], ['api.v2'])).toBe(
      'sum by (__name__, slo) ({__name__=~"slo:total:increase30d", slo=~"api\\\\.v2"})',
    );
  });
});

describe('burnRateQuery and eventsQuery', () => {
  test('burn rate divides by the error budget', () => {
    expect(burnRateQuery(ratio, '1h', 'rules')).toBe(
      '(sum(slo:sli_error:ratio_rate1h{slo="api-availability"})) / 0.001',
    );
    expect(burnRateQuery(latency, '5m', 'rules')).toBe(
      '(sum(slo:sli_error:ratio_rate5m{slo="api-read-p95"})) / 0.05',
    );
  });
  test.each<[string, QueryMode, string]>([
    ['5m', 'raw', 'sum(increase(http_requests_total{service="api"}[5m]))'],
    ['5m', 'rules', 'sum(slo:total:increase5m{slo="api-availability"})'],
    ['30m', 'rules', 'sum(slo:total:increase30m{slo="api-availability"})'],
    ['30d', 'rules', 'sum(slo:total:increase30d{slo="api-availability"})'],
    ['1d', 'rules', 'sum(sum_over_time(slo:total:increase5m{slo="api-availability"}[1d])) / 5'],
  ])('events over %s (%s)', (range, mode, expected) => {
    expect(eventsQuery(ratio, range, mode)).toBe(expected);
  });
});

describe('recordingExpressions', () => {
  test('ratio SLO grouped by route: 5m increases, guard counts, ratios per burn-rate window', () => {
    const e = 'http_requests_total{service="api",code=~"5.."}';
    const t = 'http_requests_total{service="api"}';
    const g = 'sum by (route)';
    const raw = (w: string) =>
      `(${g} (increase(${e}[${w}])) or 0 * ${g} (increase(${t}[${w}]))) / ${g} (increase(${t}[${w}]))`;
    const summed = (w: string) =>
      `sum_over_time(slo:errors:increase5m{slo="api-availability"}[${w}]) / sum_over_time(slo:total:increase5m{slo="api-availability"}[${w}])`;
    expect(recordingExpressions({ ...ratio, groupBy: ['route'] })).toEqual([
      { record: 'slo:errors:increase5m', expr: `${g} (increase(${e}[5m])) or 0 * ${g} (increase(${t}[5m]))` },
      { record: 'slo:total:increase5m', expr: `${g} (increase(${t}[5m]))` },
      { record: 'slo:total:increase30m', expr: `${g} (increase(${t}[30m]))` },
      {
        record: 'slo:sli_error:ratio_rate5m',
        expr: 'slo:errors:increase5m{slo="api-availability"} / slo:total:increase5m{slo="api-availability"}',
      },
      { record: 'slo:sli_error:ratio_rate30m', expr: raw('30m') },
      { record: 'slo:sli_error:ratio_rate1h', expr: raw('1h') },
      { record: 'slo:sli_error:ratio_rate2h', expr: raw('2h') },
      { record: 'slo:sli_error:ratio_rate6h', expr: raw('6h') },
      { record: 'slo:sli_error:ratio_rate1d', expr: summed('1d') },
      { record: 'slo:sli_error:ratio_rate3d', expr: summed('3d') },
    ]);
  });
});

describe('recordedWindow', () => {
  test.each([
    ['30d', '30d'],
    ['4w', '28d'],
    ['12h', '12h'],
    ['month', null],
    ['week', null],
    ['quarter', null],
  ])('%s records %p', (window, expected) => {
    expect(recordedWindow(window)).toBe(expected);
  });
});

describe('windowRecordingExpressions', () => {
  const e5m = 'slo:errors:increase5m{slo="api-availability"}';
  const t5m = 'slo:total:increase5m{slo="api-availability"}';
  test('30d window: errors and events divided by the 5x overlap, ratio of the two sums', () => {
    expect(windowRecordingExpressions(perRoute)).toEqual([
      { record: 'slo:errors:increase30d', expr: `sum_over_time(${e5m}[30d]) / 5` },
      { record: 'slo:total:increase30d', expr: `sum_over_time(${t5m}[30d]) / 5` },
      {
        record: 'slo:sli_error:ratio_rate30d',
        expr: `sum_over_time(${e5m}[30d]) / sum_over_time(${t5m}[30d])`,
      },
    ]);
  });
  test('4w window records under its length in days', () => {
    expect(windowRecordingExpressions({ ...ratio, window: '4w' }).map((r) => r.record)).toEqual([
      'slo:errors:increase28d',
      'slo:total:increase28d',
      'slo:sli_error:ratio_rate28d',
    ]);
  });
  test('a window as long as a burn-rate window leaves the ratio to the main group', () => {
    expect(windowRecordingExpressions({ ...ratio, window: '3d' }).map((r) => r.record)).toEqual([
      'slo:errors:increase3d',
      'slo:total:increase3d',
    ]);
  });
  test('calendar windows record nothing', () => {
    expect(windowRecordingExpressions({ ...ratio, window: 'quarter' })).toEqual([]);
  });
});

describe('selectors reach PromQL only as rendered from their parse tree', () => {
  test('spacing, quote style and escapes come out canonical', () => {
    const slo = {
      ...ratio,
      indicator: { kind: 'ratio' as const, errors: "x{ code =~ '5..' }", total: 'x{a=`b\\c`}' },
    };
    expect(totalQuery(slo, '5m')).toBe('sum(increase(x{a="b\\\\c"}[5m]))');
    expect(errorsQuery(slo, '5m')).toBe(
      'sum(increase(x{code=~"5.."}[5m])) or 0 * sum(increase(x{a="b\\\\c"}[5m]))',
    );
  });

  // definitions stored before the grammar was enforced: never pasted, each names its field
  test.each([
    [
      'an injected expression in total',
      { ...ratio.indicator, total: 'foo_total[1m])) or on() count(count_over_time({__name__=~".+"}' },
      [],
      'indicator.total',
    ],
    ['a function in errors', { ...ratio.indicator, errors: 'rate(x[5m])' }, [], 'indicator.errors'],
    [
      'a matcher list closing its braces',
      { kind: 'latency' as const, metric: 'h', matchers: 'a="b"} or vector(1) or {c="d"', le: 1 },
      [],
      'indicator.matchers',
    ],
    [
      'a metric name with an expression',
      { kind: 'latency' as const, metric: 'h) or (x', matchers: '', le: 1 },
      [],
      'indicator.metric',
    ],
    [
      'a gauge with an offset',
      {
        kind: 'threshold' as const,
        selector: 'lag offset 1h',
        operator: '<' as const,
        bound: 1,
        sliceSeconds: 60,
      },
      [],
      'indicator.selector',
    ],
    [
      'a JavaScript-only regex',
      { ...ratio.indicator, errors: 'x{code=~"(a)\\\\1"}' },
      [],
      'indicator.errors',
    ],
    ['grouping by __name__', ratio.indicator, ['__name__'], 'groupBy.0'],
    ['grouping by an expression', ratio.indicator, ['route', 'a) or vector(1'], 'groupBy.1'],
    ['grouping by le', ratio.indicator, ['le'], 'groupBy.0'],
    ['grouping by slo', ratio.indicator, ['slo'], 'groupBy.0'],
  ])('%s: refused, naming %s', (_case, indicator, groupBy, field) => {
    const slo = { ...ratio, indicator, groupBy } as typeof ratio;
    expect(sloDefinitionError(slo)?.field).toBe(field);
    expect(() => errorRatioQuery(slo, '1h')).toThrow(field);
    expect(() => recordingExpressions(slo)).toThrow(field);
  });

  test('a valid definition has no definition error', () => {
    expect(sloDefinitionError(ratio)).toBeNull();
    expect(sloDefinitionError({ ...ratio, groupBy: ['service', 'route'] })).toBeNull();
  });

  test('an SLO id is quoted as a PromQL string in recorded selectors', () => {
    expect(errorRatioQuery({ ...ratio, id: 'a"b' }, '1h', 'rules')).toBe(
      'sum(slo:sli_error:ratio_rate1h{slo="a\\"b"})',
    );
  });
});
