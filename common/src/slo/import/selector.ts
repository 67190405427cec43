// The counter query shapes other SLO tools write (`sum by (x) (rate(sel[{{.window}}]))`), read with
// PromQL's grammar so that they can be mapped to the one selector inside, or refused.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { SelectorError, formatSelector, parseSeriesSelector } from '../selector';

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
/**
 * Range placeholders of Sloth (`{{.window}}`) and Grafana (`$__rate_interval`): any range reads the
 * same selector, so the grammar reads a duration of the same length there (messages quote the query).
 */
const RANGE_PLACEHOLDER = /(?<=\[\s*)(\{\{[^}]*\}\}|\$\{?\w+\}?)(?=\s*\])/g;
const asDuration = (placeholder: string) => `${'0'.repeat(placeholder.length - 2)}5m`;

const source = (text: string, node: SyntaxNode) => text.slice(node.from, node.to);

/** The only expression inside a call's parentheses. */
function onlyArgument(text: string, body: SyntaxNode | null, call: string): SyntaxNode {
  const args: SyntaxNode[] = [];
  for (let n = body?.firstChild; n; n = n.nextSibling)
    if (n.name !== '(' && n.name !== ')' && n.name !== ',') args.push(n);
  if (args.length !== 1)
    throw new SelectorError(`${call}(…) must hold one expression, not "${body ? source(text, body) : ''}"`);
  return args[0]!;
}

function counterOf(text: string, node: SyntaxNode, inSum: boolean): CounterQuery {
  switch (node.name) {
    case 'VectorSelector':
      return { selector: formatSelector(parseSeriesSelector(source(text, node))), groupBy: [] };
    case 'FunctionCall': {
      const fn = source(text, node.getChild('FunctionIdentifier')!);
      if (fn !== 'rate' && fn !== 'increase')
        throw new SelectorError(`${fn}(…) cannot be mapped; use sum(rate(<selector>[…])) or a bare selector`);
      const arg = onlyArgument(text, node.getChild('FunctionCallBody'), fn);
      const vector = arg.name === 'MatrixSelector' ? arg.getChild('VectorSelector') : null;
      if (!vector)
        throw new SelectorError(`${fn}(…) must hold one selector with a range, e.g. ${fn}(metric{…}[5m])`);
      return counterOf(text, vector, inSum);
    }
    case 'AggregateExpr': {
      const op = source(text, node.getChild('AggregateOp')!);
      if (op !== 'sum')
        throw new SelectorError(`${op}(…) cannot be mapped; use sum(rate(<selector>[…])) or a bare selector`);
      if (inSum) throw new SelectorError('nested sums cannot be mapped');
      const modifier = node.getChild('AggregateModifier');
      if (modifier?.getChild('Without'))
        throw new SelectorError('sum without (…) cannot be mapped; use sum by (…)');
      const groupBy: string[] = [];
      for (let l = modifier?.getChild('GroupingLabels')?.firstChild; l; l = l.nextSibling)
        if (l.name === 'LabelName') groupBy.push(source(text, l));
      const inner = counterOf(text, onlyArgument(text, node.getChild('FunctionCallBody'), 'sum'), true);
      return { selector: inner.selector, groupBy };
    }
    case 'ParenExpr':
      return counterOf(text, onlyArgument(text, node, ''), inSum);
    default:
      throw new SelectorError(
        `"${source(text, node).slice(0, 60)}" cannot be mapped: opsdeck needs one counter selector, optionally in rate(…[…])/increase(…[…]) and sum(…)`,
      );
  }
}

/**
 * Maps the counter queries SLO tools write to the selector inside: a bare selector, `rate(sel[…])`,
 * `increase(sel[…])`, each optionally inside `sum(…)`, `sum by (l) (…)` or `sum(…) by (l)`. Anything
 * else (arithmetic, several selectors, other functions) is refused: opsdeck needs one counter selector.
 */
export function parseCounterQuery(query: string): CounterQuery {
  const text = query.trim();
  const root = parser.parse(text.replace(RANGE_PLACEHOLDER, asDuration)).topNode;
  let error: SyntaxNode | null = null;
  root.cursor().iterate((n) => {
    if (n.type.isError && error === null) error = n.node;
    return error === null;
  });
  if (error !== null || !root.firstChild)
    throw new SelectorError(`"${query.trim().slice(0, 60)}" is not valid PromQL`);
  if (root.firstChild.nextSibling)
    throw new SelectorError(`unexpected "${source(text, root.firstChild.nextSibling)}" after the query`);
  return counterOf(text, root.firstChild, false);
}
