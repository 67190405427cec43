import {
  decodeStringLiteral,
  formatSelector,
  parseMatcherList,
  parseSeriesSelector,
  quoteString,
} from './selector';

describe('parseSeriesSelector', () => {
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
    ['x{"a"="b"}', { metric: 'x', matchers: [{ name: 'a', op: '=', value: 'b' }] }],
    ['x{a=`raw\\d`}', { metric: 'x', matchers: [{ name: 'a', op: '=', value: 'raw\\d' }] }],
    ['x{a="\\u00e9\\x41\\101\\n"}', { metric: 'x', matchers: [{ name: 'a', op: '=', value: 'éAA\n' }] }],
    ['x{a=~"(?i)api"}', { metric: 'x', matchers: [{ name: 'a', op: '=~', value: '(?i)api' }] }],
    ['  x  ', { metric: 'x', matchers: [] }],
  ])('%s', (text, expected) => {
    expect(parseSeriesSelector(text)).toEqual(expected);
  });

  test.each([
    ['', /is empty/],
    ['x{a}', /not valid PromQL/],
    ['x{a="b"', /not valid PromQL/],
    ['rate(x[5m])', /a function call is not allowed/],
    ['x[5m]', /a range \[\.\.\] is not allowed/],
    ['x offset 5m', /an offset is not allowed/],
    ['x @ 100', /an @ modifier is not allowed/],
    ['x{a="b"} / y', /an operator is not allowed/],
    ['sum(x)', /an aggregation is not allowed/],
    ['(x)', /a parenthesis is not allowed/],
    ['-x', /a sign is not allowed/],
    ['x # comment', /a comment is not allowed/],
    ['x[5m:1m]', /a subquery is not allowed/],
    ['foo_total[1m])) or on() count(count_over_time({__name__=~".+"}', /not valid PromQL at position 14/],
    ['{__name__=~".+"}', /name the metric once/],
    ['x{__name__="y"}', /name the metric once/],
    ['{job="api"}', /name the metric/],
    ['{"a.b"}', /not a Prometheus metric name/],
    ['x{"a.b"="c"}', /not a Prometheus label name/],
    ['x{a=~"(a)\\\\1"}', /not an RE2 regular expression.*invalid escape sequence/],
    ['x{a=~"(?=a)"}', /not an RE2 regular expression/],
    ['x{a="\\q"}', /unknown escape \\q/],
    ["x{a='\\\"'}", /unknown escape/],
    ['x{a="\\xff"}', /is not a character/],
    ['x{a="\\ud800"}', /is not a character/],
    ['x{a="\ud800"}', /not valid PromQL/],
    ['x{a=`\ud800`}', /not valid PromQL/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseSeriesSelector(text)).toThrow(message);
  });

  test('renders from the tree: canonical spacing and quoting', () => {
    expect(formatSelector(parseSeriesSelector("x{ a = 'b' ,c=~`d|\\.e`}"))).toBe('x{a="b",c=~"d|\\\\.e"}');
  });

  test.each(['a"b', 'back\\slash', 'line\nbreak\ttab\r', '\u0001\u007f', 'é ✓ 𝄞', '{{ query "up" }}'])(
    'quoteString(%j) reads back as the same value',
    (value) => {
      expect(decodeStringLiteral(quoteString(value))).toBe(value);
      expect(parseSeriesSelector(`x{a=${quoteString(value)}}`).matchers[0]!.value).toBe(value);
    },
  );
});

describe('parseMatcherList', () => {
  test.each([
    ['', []],
    ['job="api"', [{ name: 'job', op: '=', value: 'api' }]],
    ['job="api",', [{ name: 'job', op: '=', value: 'api' }]],
  ])('%j', (text, expected) => {
    expect(parseMatcherList(text)).toEqual(expected);
  });

  test.each([
    ['a="b"} or {c="d"', /an operator is not allowed: write label matchers only/],
    ['a="b"}[5m', /not allowed|not valid PromQL/],
    ['le="1"', /le cannot be matched here: the SLO math sets it/],
    ['__name__="x"', /name the metric once/],
    ['a', /not valid PromQL at position 2/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseMatcherList(text, ['le'])).toThrow(message);
  });
});
