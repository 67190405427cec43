// PromQL series selectors read with Prometheus's own grammar (lezer-promql) and written back from the
// parse tree, so that what an SLO stores can only ever reach a query or a rule as one plain selector.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { re2Problem } from '../re2';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}
export interface Selector {
  /** the metric name: an SLO selector always names its one metric */
  metric: string;
  matchers: Matcher[];
}

/** The text is not a plain series selector (or matcher list); the message says what is wrong. */
export class SelectorError extends Error {}

/** Prometheus's classic metric-name and label-name grammar, which every compatible engine reads. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** Go escapes PromQL strings take (Prometheus's strutil.Unquote), by the letter after the backslash. */
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** The value of a PromQL string literal (`"…"`, `'…'` or a raw `` `…` ``), escapes decoded as Prometheus does. */
export function decodeStringLiteral(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote)
    throw new SelectorError(`unterminated string ${literal}`);
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\n') throw new SelectorError('a quoted string cannot span lines; write \\n');
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = body[++i] ?? '';
    if (e in SIMPLE_ESCAPES) value += SIMPLE_ESCAPES[e];
    else if (e === quote) value += quote;
    else if (e === 'u' || e === 'U' || e === 'x' || /[0-7]/.test(e)) {
      const [digits, radix] = e === 'u' ? [4, 16] : e === 'U' ? [8, 16] : e === 'x' ? [2, 16] : [3, 8];
      const text =
        e === 'u' || e === 'U' || e === 'x' ? body.slice(i + 1, i + 1 + digits) : body.slice(i, i + 3);
      const pattern = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
      if (text.length !== digits || !pattern.test(text))
        throw new SelectorError(`invalid escape \\${e}${text} in ${literal}`);
      const code = parseInt(text, radix);
      // \x and octal escapes are bytes in Go; only ASCII ones are a whole character on their own
      const isByte = e === 'x' || radix === 8;
      if ((isByte && code > 0x7f) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        throw new SelectorError(
          `escape \\${e}${text} in ${literal} is not a character; write the character itself`,
        );
      value += String.fromCodePoint(code);
      i += radix === 8 ? 2 : digits;
    } else throw new SelectorError(`unknown escape \\${e} in ${literal}`);
  }
  return value;
}

/** A double-quoted PromQL string whose value is exactly `value` (Go's escapes, nothing left raw that matters). */
export function quoteString(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

const text = (source: string, node: SyntaxNode) => source.slice(node.from, node.to);

/** How a parse problem reads; `shift` is the length of a wrapper around the caller's text. */
interface Reading {
  source: string;
  shift: number;
  hint: string;
}

function nodeError(r: Reading, node: SyntaxNode, what: string): SelectorError {
  const inside = node.from >= r.shift && node.to <= r.source.length - (r.shift > 0 ? 1 : 0);
  const snippet = inside ? text(r.source, node).slice(0, 40) : '';
  const at = inside ? ` at position ${node.from - r.shift + 1}${snippet ? ` ("${snippet}")` : ''}` : '';
  return new SelectorError(`${what}${at}: ${r.hint}`);
}

const DESCRIBE: Record<string, string> = {
  PromQL: 'an expression',
  MatrixSelector: 'a range [..]',
  SubqueryExpr: 'a subquery',
  OffsetExpr: 'an offset',
  StepInvariantExpr: 'an @ modifier',
  BinaryExpr: 'an operator',
  FunctionCall: 'a function call',
  AggregateExpr: 'an aggregation',
  ParenExpr: 'a parenthesis',
  NumberDurationLiteral: 'a number',
  StringLiteral: 'a string',
  UnaryExpr: 'a sign',
  LineComment: 'a comment',
};

const notAllowed = (node: SyntaxNode) => `${DESCRIBE[node.name] ?? node.name} is not allowed`;

function labelName(source: string, node: SyntaxNode): string {
  const name =
    node.name === 'QuotedLabelName'
      ? decodeStringLiteral(text(source, node.firstChild!))
      : text(source, node);
  if (!LABEL_NAME.test(name))
    throw new SelectorError(`label name "${name}" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
  return name;
}

function readMatcher(source: string, node: SyntaxNode): Matcher {
  const nameNode = node.getChild(node.name === 'QuotedLabelMatcher' ? 'QuotedLabelName' : 'LabelName');
  const opNode = node.getChild('MatchOp')?.firstChild;
  const valueNode = node.getChild('StringLiteral');
  if (!nameNode || !opNode || !valueNode) throw new SelectorError(`incomplete matcher ${text(source, node)}`);
  const matcher: Matcher = {
    name: labelName(source, nameNode),
    op: OPS[opNode.name]!,
    value: decodeStringLiteral(text(source, valueNode)),
  };
  if (matcher.op === '=~' || matcher.op === '!~') {
    const problem = re2Problem(matcher.value);
    if (problem) throw new SelectorError(`the regex of ${matcher.name} is ${problem}`);
  }
  return matcher;
}

/**
 * Parses `source` as exactly one PromQL series selector (`name`, `name{…}` or `{__name__="name",…}`)
 * and nothing else: no function, range, offset, `@`, operator or comment. `{__name__="x"}` reads as
 * `x{}`. Throws a SelectorError naming what is wrong; regexes are checked as RE2.
 */
export function parseSeriesSelector(source: string): Selector {
  if (source.trim() === '') throw new SelectorError('is empty; write a metric name and/or {label matchers}');
  return readSelector({
    source,
    shift: 0,
    hint: 'a series selector is a metric name and/or {label matchers}, nothing more',
  });
}

function readSelector(r: Reading): Selector {
  const { source } = r;
  const root = parser.parse(source).topNode;
  let error: SyntaxNode | null = null;
  root.cursor().iterate((n) => {
    if (n.type.isError && error === null) error = n.node;
    return error === null;
  });
  if (error) throw nodeError(r, error, 'not valid PromQL');
  const top = root.firstChild;
  if (!top || top.nextSibling) {
    const extra = top?.nextSibling ?? root;
    throw nodeError(r, extra, notAllowed(extra));
  }
  if (top.name !== 'VectorSelector') throw nodeError(r, top, notAllowed(top));
  let metric = top.getChild('Identifier') ? text(source, top.getChild('Identifier')!) : '';
  const matchers: Matcher[] = [];
  for (let n = top.getChild('LabelMatchers')?.firstChild; n; n = n.nextSibling) {
    if (n.name === 'QuotedLabelName') {
      // Prometheus 3's {"metric.name"} form
      const name = decodeStringLiteral(text(source, n.firstChild!));
      if (metric) throw new SelectorError(`the metric is named twice ("${metric}" and "${name}")`);
      metric = name;
    } else if (n.name === 'UnquotedLabelMatcher' || n.name === 'QuotedLabelMatcher') {
      matchers.push(readMatcher(source, n));
    } else if (n.name !== ',' && n.name !== '{' && n.name !== '}') {
      throw nodeError(r, n, notAllowed(n));
    }
  }
  const named = matchers.filter((m) => m.name === '__name__');
  if (named.length > 0) {
    if (metric || named.length > 1 || named[0]!.op !== '=')
      throw new SelectorError(
        'name the metric once, as name{…} or {__name__="name"}: an SLO reads one metric, and a __name__ regex or negation reads every metric it matches',
      );
    metric = named[0]!.value;
  }
  if (metric && !METRIC_NAME.test(metric))
    throw new SelectorError(`"${metric}" is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`);
  if (!metric)
    throw new SelectorError('name the metric (name{…} or {__name__="name"}): an SLO reads one metric');
  const rest = matchers.filter((m) => m.name !== '__name__');
  return { metric, matchers: rest };
}

/**
 * Parses a matcher list without braces (`job="api",method="GET"`; '' for none) with the same grammar.
 * `reserved` labels may not be matched (e.g. `le`, which the SLO math sets itself).
 */
export function parseMatcherList(source: string, reserved: readonly string[] = []): Matcher[] {
  if (source.trim() === '') return [];
  const { matchers } = readSelector({
    source: `x{${source}}`,
    shift: 2,
    hint: 'write label matchers only, e.g. job="api",method="GET"',
  });
  // __name__ never gets here: the wrapper already names the metric
  const bad = matchers.find((m) => reserved.includes(m.name));
  if (bad) throw new SelectorError(`${bad.name} cannot be matched here: the SLO math sets it`);
  return matchers;
}

export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${quoteString(m.value)}`).join(',');
}

export function formatSelector(selector: Selector): string {
  const matchers = formatMatchers(selector.matchers);
  return matchers ? `${selector.metric}{${matchers}}` : selector.metric;
}
