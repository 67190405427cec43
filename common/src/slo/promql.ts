// PromQL for SLOs: the event-weighted error ratio of each indicator kind over a range, raw (from the
// source metrics) or from the recording rules that `rules.ts` generates, plus those rules' expressions.
import { BURN_RATE_ALERTS, BURN_RATE_WINDOWS, errorBudgetRatio } from './math';
import {
  METRIC_NAME,
  SelectorError,
  formatMatchers,
  formatSelector,
  parseMatcherList,
  parseSeriesSelector,
  quoteString,
} from './selector';
import {
  LATENCY_RESERVED_LABELS,
  groupByLabelsClash,
  groupByProblem,
  type Indicator,
  type SloSpec,
} from './spec';
import { formatDuration, parseDuration, parseWindow } from './windows';

/**
 * What the builders read from an SLO; a full `SloSpec` fits. With its `window`, rules-mode queries
 * over exactly that window read the window's recorded counts.
 */
export type SloQueryInput = Pick<SloSpec, 'id' | 'indicator' | 'groupBy'> & Partial<Pick<SloSpec, 'window'>>;

/** `raw` queries the source metrics; `rules` reads the series the generated recording rules keep. */
export type QueryMode = 'raw' | 'rules';

/** Range of the recorded increases that long windows are summed from. */
export const RECORD_RANGE = '5m';
/** Evaluation interval of each SLO's main rule group (burn-rate ratios, guards, alerts). */
export const RULE_INTERVAL = '1m';
/**
 * Evaluation interval of the SLO-window groups: a 30-day sum need not be redone every minute, but the
 * interval stays well under Prometheus's 5m lookback, so an instant query always finds a sample (at
 * 5m, queries landing while the next evaluation runs would find none).
 */
export const WINDOW_RULE_INTERVAL = '2m30s';
/** How many recorded 5m increases count each event: one is recorded every rule interval. */
export const RECORD_OVERLAP = parseDuration(RECORD_RANGE) / parseDuration(RULE_INTERVAL);
/**
 * Windows from this length on are sums of recorded 5m increases (cheap, still event-weighted);
 * shorter ones are recorded from the source metrics directly, exact and cheap at that length.
 */
export const SUMMED_WINDOW_SECONDS = 86_400;

/** Names of the recorded series; every one carries `slo` (and `service`) labels plus the groupBy labels. */
export const RECORDED = {
  errors: `slo:errors:increase${RECORD_RANGE}`,
  total: `slo:total:increase${RECORD_RANGE}`,
  /** event-weighted error ratio over a burn-rate or SLO window, e.g. slo:sli_error:ratio_rate1h */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** events in a page's short window (the guard) or the SLO window, e.g. slo:total:increase30m */
  events: (window: string) => `slo:total:increase${window}`,
  /** bad events in the SLO window, e.g. slo:errors:increase30d */
  errorEvents: (window: string) => `slo:errors:increase${window}`,
} as const;

/** Short windows of page rows: the rules record their event counts for the minimum-traffic guard. */
export const GUARD_WINDOWS: readonly string[] = [
  ...new Set(BURN_RATE_ALERTS.filter((a) => a.severity === 'page').map((a) => a.short)),
];

const BAD_WHEN: Record<'<' | '<=' | '>' | '>=', string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** A stored SLO field that cannot become PromQL; `field` is its path, e.g. `indicator.total`. */
export class SloDefinitionError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** Parsed and re-rendered selectors and matcher lists by text: the builders ask for the same few often. */
const renderedByText = new Map<string, string>();
const RENDERED_MAX = 2000;

function rendered(key: string, field: string, render: () => string): string {
  const known = renderedByText.get(key);
  if (known !== undefined) return known;
  let text: string;
  try {
    text = render();
  } catch (err) {
    if (err instanceof SelectorError) throw new SloDefinitionError(field, err.message);
    throw err;
  }
  if (renderedByText.size >= RENDERED_MAX) renderedByText.clear();
  renderedByText.set(key, text);
  return text;
}

/** A selector field of an indicator, parsed with PromQL's grammar and written from the parse tree. */
function selectorOf(text: string, field: string): string {
  return rendered(`s\0${text}`, field, () => formatSelector(parseSeriesSelector(text)));
}

/** `sum by (a, b) (inner)`, or `sum(inner)` without grouping; every label is checked first. */
export function sumBy(groupBy: readonly string[], inner: string): string {
  groupBy.forEach((label, i) => {
    const problem = groupByProblem(label);
    if (problem) throw new SloDefinitionError(`groupBy.${i}`, problem);
  });
  return groupBy.length === 0 ? `sum(${inner})` : `sum by (${groupBy.join(', ')}) (${inner})`;
}

/** Selects an SLO's recorded series: `slo:errors:increase5m{slo="api-availability"}`. */
export function recordedSelector(record: string, sloId: string): string {
  return `${record}{slo=${quoteString(sloId)}}`;
}

/** A histogram `le` matcher; whole bounds also match the `1.0` spelling some clients and Prometheus 3 use. */
export function leMatcher(le: number): string {
  const text = String(le);
  return Number.isInteger(le) ? `le=~"${text}(\\\\.0)?"` : `le="${text}"`;
}

function histogramSelector(
  indicator: Extract<Indicator, { kind: 'latency' }>,
  suffix: string,
  extra?: string,
): string {
  if (!METRIC_NAME.test(indicator.metric))
    throw new SloDefinitionError('indicator.metric', `"${indicator.metric}" is not a Prometheus metric name`);
  const listed = rendered(`m\0${indicator.matchers}`, 'indicator.matchers', () =>
    formatMatchers(parseMatcherList(indicator.matchers, LATENCY_RESERVED_LABELS)),
  );
  const matchers = [listed, extra].filter((m): m is string => !!m).join(',');
  return matchers ? `${indicator.metric}_${suffix}{${matchers}}` : `${indicator.metric}_${suffix}`;
}

/** `(gauge BAD bool bound)`: 1 for a slice where the gauge misses the bound, 0 where it meets it. */
function badSlice(indicator: Extract<Indicator, { kind: 'threshold' }>): string {
  return `(${selectorOf(indicator.selector, 'indicator.selector')} ${BAD_WHEN[indicator.operator]} bool ${indicator.bound})`;
}

function sliceStep(indicator: Extract<Indicator, { kind: 'threshold' }>): string {
  return formatDuration(indicator.sliceSeconds);
}

/** Total events over `range` from the source metrics, grouped: requests, histogram count, or time slices. */
export function totalQuery(slo: SloQueryInput, range: string): string {
  const ind = slo.indicator;
  switch (ind.kind) {
    case 'ratio':
      return sumBy(slo.groupBy, `increase(${selectorOf(ind.total, 'indicator.total')}[${range}])`);
    case 'latency':
      return sumBy(slo.groupBy, `increase(${histogramSelector(ind, 'count')}[${range}])`);
    case 'threshold':
      return sumBy(slo.groupBy, `count_over_time(${badSlice(ind)}[${range}:${sliceStep(ind)}])`);
  }
}

/** Good events over `range` of a latency indicator: observations at or under the threshold. */
function goodLatencyQuery(
  slo: SloQueryInput & { indicator: Extract<Indicator, { kind: 'latency' }> },
  range: string,
): string {
  return sumBy(
    slo.groupBy,
    `increase(${histogramSelector(slo.indicator, 'bucket', leMatcher(slo.indicator.le))}[${range}])`,
  );
}

/**
 * Bad events over `range` from the source metrics, grouped. Ratio errors fall back to 0 × total so a
 * group that never failed answers 0 instead of vanishing (error counters often appear only on the first
 * error); latency errors are count − bucket{le}; threshold errors are the slices that missed the bound.
 */
export function errorsQuery(slo: SloQueryInput, range: string): string {
  const ind = slo.indicator;
  switch (ind.kind) {
    case 'ratio':
      return `${sumBy(slo.groupBy, `increase(${selectorOf(ind.errors, 'indicator.errors')}[${range}])`)} or 0 * ${totalQuery(slo, range)}`;
    case 'latency':
      return `${totalQuery(slo, range)} - ${goodLatencyQuery({ ...slo, indicator: ind }, range)}`;
    case 'threshold':
      return sumBy(slo.groupBy, `sum_over_time(${badSlice(ind)}[${range}:${sliceStep(ind)}])`);
  }
}

/**
 * The two counts an error ratio over `range` divides, as separate queries, for dividing outside
 * Prometheus: all events, and the bad ones (ratio, threshold) or the good ones (latency: bad = total
 * − good). `errorRatioQuery` reads the events two or three times in one expression (in the division,
 * in the ratio fallback `or 0 × total`, in count − bucket); apart, each series is read once, and the
 * events query doubles as the window's event count. An absent bad count is no error yet: see
 * `errorRatioFromCounts`.
 */
export interface EventCountQueries {
  total: string;
  counted: string;
  countedIs: 'bad' | 'good';
}

export function eventCountQueries(slo: SloQueryInput, range: string): EventCountQueries {
  parseDuration(range);
  const ind = slo.indicator;
  const total = totalQuery(slo, range);
  switch (ind.kind) {
    case 'ratio':
      return {
        total,
        counted: sumBy(slo.groupBy, `increase(${selectorOf(ind.errors, 'indicator.errors')}[${range}])`),
        countedIs: 'bad',
      };
    case 'latency':
      return { total, counted: goodLatencyQuery({ ...slo, indicator: ind }, range), countedIs: 'good' };
    case 'threshold':
      return { total, counted: errorsQuery(slo, range), countedIs: 'bad' };
  }
}

/**
 * Error ratio from the answers to `eventCountQueries`. A bad count that is absent while events exist
 * is 0 (the error counter appears on the first error); an absent good count leaves the ratio unknown
 * (NaN), as the histogram bucket is missing, not empty; no events leaves it unknown too.
 */
export function errorRatioFromCounts(
  total: number | undefined,
  counted: number | undefined,
  countedIs: EventCountQueries['countedIs'],
): number {
  if (total === undefined) return NaN;
  if (countedIs === 'bad') return (counted ?? 0) / total;
  return counted === undefined ? NaN : (total - counted) / total;
}

/**
 * The first field of a (stored) SLO that cannot become PromQL — a selector or matcher list outside
 * the grammar, a groupBy label the rules cannot carry — or null when every query and rule can be built.
 */
export function sloDefinitionError(
  slo: SloQueryInput & Partial<Pick<SloSpec, 'labels'>>,
): SloDefinitionError | null {
  try {
    errorsQuery(slo, RECORD_RANGE);
    totalQuery(slo, RECORD_RANGE);
  } catch (err) {
    if (err instanceof SloDefinitionError) return err;
    throw err;
  }
  const clash = groupByLabelsClash(slo);
  return clash ? new SloDefinitionError('groupBy', clash) : null;
}

/** True when the rules record a ratio for this window (the burn-rate windows). */
function isRecordedRatioWindow(range: string): boolean {
  return BURN_RATE_WINDOWS.includes(range);
}

/**
 * The range the window rules record for an SLO window, e.g. `30d` (a `4w` window records `28d`), or
 * null for calendar windows: their elapsed part grows from the period's start, which no fixed range
 * selector in a rule can follow, so they keep summing the recorded 5m increases.
 */
export function recordedWindow(window: string): string | null {
  const parsed = parseWindow(window);
  return parsed.kind === 'rolling' ? formatDuration(parsed.seconds) : null;
}

/** True when `range` is exactly the SLO's rolling window, whose counts the window rules record. */
function isRecordedSloWindow(slo: SloQueryInput, range: string): boolean {
  return slo.window !== undefined && recordedWindow(slo.window) === range;
}

function summedRatio(slo: SloQueryInput, range: string): string {
  const sum = (record: string) =>
    sumBy(slo.groupBy, `sum_over_time(${recordedSelector(record, slo.id)}[${range}])`);
  return `${sum(RECORDED.errors)} / ${sum(RECORDED.total)}`;
}

/**
 * Event-weighted error ratio (bad ÷ total events) over `range`, one series per groupBy value.
 * Raw: from the source metrics. Rules: the SLO's rolling window divides its recorded bad and total
 * counts (one sample each per group; counts, unlike ratios, still add up when groups are summed); a
 * burn-rate window reads its recorded ratio; any other range (a calendar window's elapsed part) sums
 * the recorded 5m increases.
 */
export function errorRatioQuery(slo: SloQueryInput, range: string, mode: QueryMode = 'raw'): string {
  parseDuration(range);
  if (mode === 'rules') {
    if (isRecordedSloWindow(slo, range)) {
      const sum = (record: string) => sumBy(slo.groupBy, recordedSelector(record, slo.id));
      return `${sum(RECORDED.errorEvents(range))} / ${sum(RECORDED.events(range))}`;
    }
    return isRecordedRatioWindow(range)
      ? sumBy(slo.groupBy, recordedSelector(RECORDED.errorRatio(range), slo.id))
      : summedRatio(slo, range);
  }
  return `(${errorsQuery(slo, range)}) / ${totalQuery(slo, range)}`;
}

/** Burn rate over `range`: the error ratio divided by the error budget (1 − objective). */
export function burnRateQuery(
  slo: SloQueryInput & Pick<SloSpec, 'objective'>,
  range: string,
  mode: QueryMode = 'raw',
): string {
  return `(${errorRatioQuery(slo, range, mode)}) / ${errorBudgetRatio(slo.objective)}`;
}

/**
 * Events over `range`. Rules: a guard window or the SLO's rolling window reads its recorded count;
 * other ranges sum the recorded 5m increases and divide by how often each event is counted (5m range
 * ÷ 1m interval).
 */
export function eventsQuery(slo: SloQueryInput, range: string, mode: QueryMode = 'raw'): string {
  parseDuration(range);
  if (mode === 'raw') return totalQuery(slo, range);
  if (GUARD_WINDOWS.includes(range) || isRecordedSloWindow(slo, range))
    return sumBy(slo.groupBy, recordedSelector(RECORDED.events(range), slo.id));
  return `${sumBy(slo.groupBy, `sum_over_time(${recordedSelector(RECORDED.total, slo.id)}[${range}])`)} / ${RECORD_OVERLAP}`;
}

/** `['a', 'b.c']` → `a|b\\.c`: an RE2 alternation of exactly these values, escaped for a PromQL string. */
function exactAlternation(values: readonly string[]): string {
  return values
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')
    .replace(/\\/g, '\\\\');
}

/**
 * One instant query for recorded series of many SLOs: `sum by (__name__, slo)` over the named records
 * of the listed SLOs answers, per record and SLO, what `sum(record{slo="…"})` answers for one.
 */
export function recordedBatchQuery(records: readonly string[], sloIds: readonly string[]): string {
  return `sum by (__name__, slo) ({__name__=~"${exactAlternation(records)}", slo=~"${exactAlternation(sloIds)}"})`;
}

export interface RecordingExpression {
  record: string;
  expr: string;
}

/**
 * The recording rules of one SLO, in evaluation order: the 5m increases, the guard windows' event
 * counts, then an error ratio per burn-rate window — raw below a day, summed from the recorded 5m
 * increases from a day on (never an average of 5m ratios, which weighs quiet hours like busy ones).
 */
export function recordingExpressions(slo: SloQueryInput): RecordingExpression[] {
  const rules: RecordingExpression[] = [
    { record: RECORDED.errors, expr: errorsQuery(slo, RECORD_RANGE) },
    { record: RECORDED.total, expr: totalQuery(slo, RECORD_RANGE) },
  ];
  for (const window of GUARD_WINDOWS) {
    if (window !== RECORD_RANGE)
      rules.push({ record: RECORDED.events(window), expr: totalQuery(slo, window) });
  }
  for (const window of BURN_RATE_WINDOWS) {
    const sameLabels = (record: string) => recordedSelector(record, slo.id);
    const expr =
      window === RECORD_RANGE
        ? `${sameLabels(RECORDED.errors)} / ${sameLabels(RECORDED.total)}`
        : parseDuration(window) >= SUMMED_WINDOW_SECONDS
          ? `sum_over_time(${sameLabels(RECORDED.errors)}[${window}]) / sum_over_time(${sameLabels(RECORDED.total)}[${window}])`
          : errorRatioQuery(slo, window, 'raw');
    rules.push({ record: RECORDED.errorRatio(window), expr });
  }
  return rules;
}

/**
 * The SLO-window recordings of one SLO (rolling windows only; none for calendar ones): bad and total
 * events over the window and their ratio, each a sum of the recorded 5m increases (event-weighted,
 * never an average of ratios). Counts divide by the overlap of the 5m increases; the ratio needs no
 * division. The ratio is left out when a burn-rate window of the same length already records it.
 * Every expression reads the 5m increases, none another window record, so the group can be backfilled
 * in one pass after them.
 */
export function windowRecordingExpressions(
  slo: SloQueryInput & Pick<SloSpec, 'window'>,
): RecordingExpression[] {
  const window = recordedWindow(slo.window);
  if (window === null) return [];
  const sum = (record: string) => `sum_over_time(${recordedSelector(record, slo.id)}[${window}])`;
  const rules: RecordingExpression[] = [
    { record: RECORDED.errorEvents(window), expr: `${sum(RECORDED.errors)} / ${RECORD_OVERLAP}` },
    { record: RECORDED.events(window), expr: `${sum(RECORDED.total)} / ${RECORD_OVERLAP}` },
  ];
  if (!isRecordedRatioWindow(window)) {
    rules.push({
      record: RECORDED.errorRatio(window),
      expr: `${sum(RECORDED.errors)} / ${sum(RECORDED.total)}`,
    });
  }
  return rules;
}
