import { indicatorFromGood, ratioFromBad } from './indicators';
import { formatSelector, parseCounterQuery, parseSelector } from './selector';

describe('parseSelector', () => {
  test.each([
    ['up', { metric: 'up', matchers: [] }],
    [
      'http_requests_total{job="api", code=~"5..",path!="/x,y}"}',
      {
        metric: 'http_requests_total',
        matchers: [
          { name: 'job', op: '=', value: 'api' },
          { name: 'code', op: '=~', value: '5..' },
          { name: 'path', op: '!=', value: '/x,y}' },
        ],
      },
    ],
    ['{__name__="up",job!~\'a|b\'}', { metric: 'up', matchers: [{ name: 'job', op: '!~', value: 'a|b' }] }],
    ['x{a="q\\"uote",}', { metric: 'x', matchers: [{ name: 'a', op: '=', value: 'q"uote' }] }],
  ])('%s', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });
  test.each(['', 'x{a}', 'x{a="b"', 'rate(x[5m])', 'x{a="b"} / y'])('"%s" is refused', (text) => {
    expect(() => parseSelector(text)).toThrow();
  });
  test('formats back', () => {
    expect(formatSelector(parseSelector('x{ a = "b" ,c=~"d|e"}'))).toBe('x{a="b",c=~"d|e"}');
  });
});

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
  ])('%s', (query, selector, groupBy) => {
    expect(parseCounterQuery(query)).toEqual({ selector, groupBy });
  });
  test.each([
    ['sum(rate(a[5m])) / sum(rate(b[5m]))', /unexpected "\/ sum/],
    ['avg(rate(a[5m]))', /avg\(…\) cannot be mapped/],
    ['sum(rate(a[5m]) + rate(b[5m]))', /unexpected "\+ rate/],
    ['rate(a)', /with a range/],
    ['1 - sum(rate(a[5m]))', /metric selector/],
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
