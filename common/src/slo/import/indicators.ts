// Turns the good/bad/total selectors of other SLO tools into opsdeck indicators, which store bad
// events: bad + total map directly; good + total map when good is total narrowed by one matcher
// (negated into the errors selector) or a histogram bucket of total's count (a latency indicator).
import type { Indicator } from '../spec';
import {
  SelectorError,
  formatMatchers,
  formatSelector,
  parseSeriesSelector,
  type MatchOp,
  type Matcher,
} from '../selector';

const NEGATED: Record<MatchOp, MatchOp> = { '=': '!=', '!=': '=', '=~': '!~', '!~': '=~' };

const key = (m: Matcher) => `${m.name}${m.op}${m.value}`;

function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  const keys = new Set(a.map(key));
  return a.length === b.length && b.every((m) => keys.has(key(m)));
}

export function ratioFromBad(bad: string, total: string): Indicator {
  return {
    kind: 'ratio',
    errors: formatSelector(parseSeriesSelector(bad)),
    total: formatSelector(parseSeriesSelector(total)),
  };
}

export function indicatorFromGood(good: string, total: string): Indicator {
  const g = parseSeriesSelector(good);
  const t = parseSeriesSelector(total);
  if (g.metric.endsWith('_bucket')) {
    const base = g.metric.slice(0, -'_bucket'.length);
    const le = g.matchers.find((m) => m.name === 'le');
    const rest = g.matchers.filter((m) => m.name !== 'le');
    if (t.metric !== `${base}_count` || !le || le.op !== '=' || !sameMatchers(rest, t.matchers)) {
      throw new SelectorError(
        `a bucket as good events needs le="<bound>" and the same matchers as the total ${base}_count selector`,
      );
    }
    const bound = Number(le.value);
    if (!Number.isFinite(bound) || bound <= 0)
      throw new SelectorError(`le="${le.value}" is not a positive bucket bound`);
    return { kind: 'latency', metric: base, matchers: formatMatchers(t.matchers), le: bound };
  }
  const extra = g.matchers.filter((m) => !t.matchers.some((n) => key(n) === key(m)));
  if (g.metric !== t.metric || extra.length !== 1 || g.matchers.length !== t.matchers.length + 1) {
    throw new SelectorError(
      'good events must be the total selector plus one matcher (e.g. code!~"5.."), so opsdeck can count bad events',
    );
  }
  const [only] = extra as [Matcher];
  return {
    kind: 'ratio',
    errors: formatSelector({
      metric: t.metric,
      matchers: [...t.matchers, { ...only, op: NEGATED[only.op] }],
    }),
    total: formatSelector(t),
  };
}
