// Just enough PromQL for imports: series selectors (`name{label=~"v"}`) and the counter query shapes
// other SLO tools write (`sum by (x) (rate(sel[{{.window}}]))`), parsed so they can be mapped or refused.

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}
export interface Selector {
  /** metric name, or '' when only matchers are given */
  metric: string;
  matchers: Matcher[];
}

export class SelectorError extends Error {}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const OP = /^(=~|!~|!=|=)/;

/** Reads a quoted PromQL string at `text[at]`; returns its value and the index after it. */
function readString(text: string, at: number): [string, number] {
  const quote = text[at];
  if (quote !== '"' && quote !== "'" && quote !== '`')
    throw new SelectorError(`expected a quoted value at "${text.slice(at)}"`);
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return [value, i + 1];
    if (c === '\\' && quote !== '`') {
      const next = text[++i];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
    } else value += c;
  }
  throw new SelectorError(`unterminated string in "${text}"`);
}

/** Parses a selector at the start of `text`; returns it and the index after it. */
export function readSelector(text: string, start = 0): [Selector, number] {
  let i = start;
  const skip = () => {
    while (text[i] === ' ' || text[i] === '\n' || text[i] === '\t') i++;
  };
  skip();
  const name = NAME.exec(text.slice(i))?.[0] ?? '';
  i += name.length;
  skip();
  const matchers: Matcher[] = [];
  if (text[i] === '{') {
    i++;
    skip();
    while (text[i] !== '}') {
      const label = LABEL.exec(text.slice(i))?.[0];
      if (!label) throw new SelectorError(`expected a label name at "${text.slice(i)}"`);
      i += label.length;
      skip();
      const op = OP.exec(text.slice(i))?.[0] as MatchOp | undefined;
      if (!op) throw new SelectorError(`expected =, !=, =~ or !~ after ${label}`);
      i += op.length;
      skip();
      const [value, next] = readString(text, i);
      i = next;
      matchers.push({ name: label, op, value });
      skip();
      if (text[i] === ',') {
        i++;
        skip();
      } else if (text[i] !== '}') throw new SelectorError(`expected "," or "}" at "${text.slice(i)}"`);
    }
    i++;
  }
  if (!name && matchers.length === 0)
    throw new SelectorError(`expected a metric selector at "${text.slice(start)}"`);
  // {__name__="x",…} is the same selector as x{…}
  const named = name ? undefined : matchers.find((m) => m.name === '__name__' && m.op === '=');
  return [{ metric: name || named?.value || '', matchers: matchers.filter((m) => m !== named) }, i];
}

/** Parses a string that must be exactly one selector. */
export function parseSelector(text: string): Selector {
  const [selector, end] = readSelector(text);
  if (text.slice(end).trim() !== '')
    throw new SelectorError(`unexpected "${text.slice(end).trim()}" after the selector`);
  return selector;
}

export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(',');
}

export function formatSelector(selector: Selector): string {
  const matchers = formatMatchers(selector.matchers);
  return matchers ? `${selector.metric}{${matchers}}` : selector.metric;
}

/** Index of the parenthesis closing the one at `open`, skipping quoted strings. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') i = readString(text, i)[1] - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new SelectorError(`unbalanced parentheses in "${text}"`);
}

function labelList(text: string): string[] {
  return text
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export interface CounterQuery {
  /** the selector as written in the query */
  selector: string;
  groupBy: string[];
}

/**
 * Maps the counter queries SLO tools write to the selector inside: a bare selector, `rate(sel[…])`,
 * `increase(sel[…])`, each optionally inside `sum(…)`, `sum by (l) (…)` or `sum(…) by (l)`. Anything
 * else (arithmetic, several selectors, other functions) is refused: opsdeck needs one counter selector.
 */
export function parseCounterQuery(query: string): CounterQuery {
  const text = query.trim();
  const sum = /^sum\s*(?:by\s*\(([^)]*)\)\s*)?\(/.exec(text);
  if (sum) {
    const open = sum[0].length - 1;
    const close = closingParen(text, open);
    const inner = parseCounterQuery(text.slice(open + 1, close));
    const after = /^\s*(?:by\s*\(([^)]*)\))?\s*$/.exec(text.slice(close + 1));
    if (!after) throw new SelectorError(`unexpected "${text.slice(close + 1).trim()}" after sum(…)`);
    if (inner.groupBy.length > 0) throw new SelectorError('nested sums cannot be mapped');
    return { selector: inner.selector, groupBy: labelList(sum[1] ?? after[1] ?? '') };
  }
  const fn = /^(rate|increase)\s*\(/.exec(text);
  if (fn) {
    const open = fn[0].length - 1;
    const close = closingParen(text, open);
    if (text.slice(close + 1).trim() !== '')
      throw new SelectorError(`unexpected "${text.slice(close + 1).trim()}" after ${fn[1]}(…)`);
    const inner = text.slice(open + 1, close);
    const [, end] = readSelector(inner);
    if (!/^\s*\[[^\]]+\]\s*$/.test(inner.slice(end))) {
      throw new SelectorError(
        `${fn[1]}(…) must hold one selector with a range, e.g. ${fn[1]}(metric{…}[5m])`,
      );
    }
    return { selector: inner.slice(0, end).trim(), groupBy: [] };
  }
  const other = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\(/.exec(text);
  if (other)
    throw new SelectorError(
      `${other[1]}(…) cannot be mapped; use sum(rate(<selector>[…])) or a bare selector`,
    );
  parseSelector(text);
  return { selector: text, groupBy: [] };
}
