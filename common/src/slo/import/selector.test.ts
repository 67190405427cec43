import { indicatorFromGood, ratioFromBad } from './indicators';
import { parseCounterQuery } from './selector';

describe('parseCounterQuery', () => {
  test.each([
    ['http_requests_total{job="a"}', 'http_requests_total{job="a"}', []],
    [
      'sum(rate(http_requests_total{job="a",code=~"(5..|429)"}[{{.window}}]))',
      'http_requests_total{job="a",code=~"(5..|429)"}',
      [],
    ],
    ['sum by (route, method) (increase(x{a="b"}[5m]))', 'x{a="b"}', ['route', 'method']],
    ['sum(rate(x[{{.window}}])) by (route)', 'x', ['route']],
    ['rate(x{a=")"}[1h])', 'x{a=")"}', []],
    ['sum(rate(x{a="b"}[$__rate_interval]))', 'x{a="b"}', []],
    ["sum(increase({__name__='x', a = 'b'}[5m]))", 'x{a="b"}', []],
  ])('%s', (query, selector, groupBy) => {
    expect(parseCounterQuery(query)).toEqual({ selector, groupBy });
  });
  test.each([
    ['sum(rate(a[5m])) / sum(rate(b[5m]))', /"sum\(rate\(a\[5m\]\)\) \/ sum.*" cannot be mapped/],
    ['avg(rate(a[5m]))', /avg\(…\) cannot be mapped/],
    ['sum(rate(a[5m]) + rate(b[5m]))', /"rate\(a\[5m\]\) \+ rate\(b\[5m\]\)" cannot be mapped/],
    ['rate(a)', /with a range/],
    ['1 - sum(rate(a[5m]))', /cannot be mapped: opsdeck needs one counter selector/],
    ['sum(sum(rate(a[5m])))', /nested sums/],
    ['sum without (a) (rate(x[5m]))', /sum without/],
    ['sum(rate(a[5m] offset 1h))', /with a range/],
    ['rate(x{a=~"(a)\\\\1"}[5m])', /not an RE2 regular expression/],
    ['sum(rate(x[5m]', /not valid PromQL/],
  ])('"%s" is refused', (query, message) => {
    expect(() => parseCounterQuery(query)).toThrow(message);
  });
});

describe('indicators from good/bad/total', () => {
  test.each([
    [
      'http_requests_total{job="api",code!~"5.."}',
      'http_requests_total{job="api"}',
      {
        kind: 'ratio',
        errors: 'http_requests_total{job="api",code=~"5.."}',
        total: 'http_requests_total{job="api"}',
      },
    ],
    [
      'up{job="x",ok="1"}',
      'up{job="x"}',
      { kind: 'ratio', errors: 'up{job="x",ok!="1"}', total: 'up{job="x"}' },
    ],
    [
      'lat_bucket{job="api",le="0.5"}',
      'lat_count{job="api"}',
      { kind: 'latency', metric: 'lat', matchers: 'job="api"', le: 0.5 },
    ],
    ['lat_bucket{le="1"}', 'lat_count', { kind: 'latency', metric: 'lat', matchers: '', le: 1 }],
  ])('good %s of %s', (good, total, expected) => {
    expect(indicatorFromGood(good, total)).toEqual(expected);
  });
  test.each([
    ['a{x="1",y="2"}', 'a', /plus one matcher/],
    ['b{x="1"}', 'a', /plus one matcher/],
    ['lat_bucket{job="other",le="0.5"}', 'lat_count{job="api"}', /same matchers/],
    ['lat_bucket{le="+Inf"}', 'lat_count', /not a positive bucket bound/],
  ])('good %s of %s is refused', (good, total, message) => {
    expect(() => indicatorFromGood(good, total)).toThrow(message);
  });
  test('bad + total map directly', () => {
    expect(ratioFromBad(' a{code="500"} ', 'a')).toEqual({
      kind: 'ratio',
      errors: 'a{code="500"}',
      total: 'a',
    });
  });
});
