// SLO evaluation against Prometheus: status (SLI, budget, burn rates, alert state) of one or all SLOs
// and budget series for a time range. The PromQL and the math come from @opsdeck/common; this module
// chooses the query form (recording rules when loaded, raw otherwise), runs it and assembles answers.
import {
  BURN_RATE_WINDOWS,
  GUARD_WINDOWS,
  type QueryMode,
  type SloSpec,
  alertState,
  burnRate,
  calendarPeriod,
  errorBudget,
  errorBudgetRatio,
  errorRatioFromCounts,
  errorRatioQuery,
  type EventCountQueries,
  countLessExcluded,
  excludedParts,
  excludedSeconds,
  exclusionTerms,
  type ExclusionTerm,
  parseDuration,
  RECORD_OVERLAP,
  recordedCountQueries,
  type TimeRange,
  errorsQuery,
  eventCountQueries,
  eventsQuery,
  formatDuration,
  objectiveFraction,
  parseWindow,
  RECORDED,
  rangeSeconds,
  recordedBatchQuery,
  recordedWindow,
  recordingExpressions,
  sli,
  sloDefinitionError,
  totalQuery,
  windowAt,
  windowRecordingExpressions,
} from '@opsdeck/common';
import type { Clock } from '../clock';
import { unprocessable } from '../errors';
import type { PrometheusQueries, RecordingRule, Sample, Series } from '../prometheus/client';
import { ExcludedCounts } from '../exclusions/excluded-counts';
import type { SloBudget, SloGroupStatus, SloStatus } from './status';

/** The SLO fields evaluation reads; a stored `Slo` fits. */
export type EvaluatedSlo = Pick<
  SloSpec,
  'id' | 'service' | 'objective' | 'window' | 'timeZone' | 'indicator' | 'groupBy' | 'minEvents'
>;

export interface BudgetRequest {
  from: Date;
  to: Date;
  stepSeconds: number;
  /** window of the burn-rate series, one of BURN_RATE_WINDOWS */
  burnWindow: string;
}

/** The exclusions (time ranges whose events do not count) of each SLO overlapping `range`, up to `now`. */
export type ExclusionSource = (
  sloIds: readonly string[],
  range: TimeRange,
  now: Date,
) => Promise<ReadonlyMap<string, readonly TimeRange[]>>;

export interface SloEvaluatorOptions {
  prometheus: PrometheusQueries;
  clock: Clock;
  /** where exclusions come from; without one nothing is excluded */
  exclusions?: ExclusionSource;
  /** called with every status computed, e.g. to update gauges */
  onStatus?: (status: SloStatus) => void;
}

/** The shortest range evaluated: a calendar window that has just begun is judged on its first minute. */
const MIN_RANGE_SECONDS = 60;
/** The longest burn-rate window: exclusions are read back this far at least. */
const LONGEST_BURN_SECONDS = Math.max(...BURN_RATE_WINDOWS.map(parseDuration));
const NO_EXCLUSIONS: readonly TimeRange[] = [];

/**
 * 422 for a stored definition that cannot become PromQL (written before selectors were parsed),
 * naming the field; evaluation never sends it to Prometheus.
 */
function definitionProblem(slo: EvaluatedSlo) {
  const error = sloDefinitionError(slo);
  return error
    ? unprocessable(
        'invalid_definition',
        `SLO ${slo.id} cannot be evaluated: ${error.message}; correct it with PATCH /api/v1/slos/${slo.id}`,
        [{ field: error.field, message: error.reason }],
      )
    : null;
}

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const iso = (t: Date) => t.toISOString();

interface Indicators {
  errorRatio: number;
  events: number;
  errorRatios: Record<string, number>;
  guardEvents: Record<string, number>;
}

function groupKey(labels: Record<string, string>, groupBy: readonly string[]): string {
  return JSON.stringify(groupBy.map((l) => labels[l] ?? ''));
}

/** Recorded series per record name and SLO id, read for many SLOs at once (`recordedBatchQuery`). */
type RecordedBatch = Map<string, Map<string, number>>;

/** A window's answer per group: its error ratio, and its events where they were asked for. */
interface WindowAnswer {
  ratios: Sample[];
  events: Sample[];
  /** bad events per group, where the counts were read (not from recorded ratios) */
  bad?: Sample[];
}

/**
 * Raw window answers of one batch evaluation by indicator, grouping and range: SLOs over the same
 * indicator (another objective, another window, the same burn-rate windows) share them.
 */
type WindowMemo = Map<string, Promise<WindowAnswer>>;

/** What every window of one status evaluation shares: its instant, the SLO's exclusions, the memo. */
interface WindowContext {
  at: Date;
  exclusions: readonly TimeRange[];
  memo?: WindowMemo;
}

export class SloEvaluator {
  /** Rule names by SLO id, indexed once per rule list read (the client answers the same list for a while). */
  private readonly rulesBySlo = new WeakMap<readonly RecordingRule[], Map<string, Set<string>>>();

  constructor(private readonly options: SloEvaluatorOptions) {}

  /** The same evaluation (exclusions, gauges) through another Prometheus client, e.g. the gates' own lane. */
  through(prometheus: PrometheusQueries): SloEvaluator {
    return new SloEvaluator({ ...this.options, prometheus });
  }

  /** The evaluation instant: the clock, to the whole second (so simultaneous panels share answers). */
  private now(): Date {
    return new Date(Math.floor(this.options.clock.now().getTime() / 1000) * 1000);
  }

  /**
   * `rules` when Prometheus has every recording rule of this SLO loaded (labelled with its id), the
   * window group's included: rules generated before it existed leave the SLO on raw queries.
   */
  async modeFor(slo: EvaluatedSlo): Promise<QueryMode> {
    return (await this.modesFor([slo]))[0]!;
  }

  /** `modeFor` of many SLOs, indexing the loaded rules once rather than scanning them per SLO. */
  private async modesFor(slos: EvaluatedSlo[]): Promise<QueryMode[]> {
    const bySlo = this.indexRules(await this.options.prometheus.recordingRules());
    return slos.map((slo) => {
      const have = bySlo.get(slo.id) ?? new Set<string>();
      const needed = [...recordingExpressions(slo), ...windowRecordingExpressions(slo)];
      return needed.every((r) => have.has(r.record)) ? 'rules' : 'raw';
    });
  }

  private indexRules(rules: readonly RecordingRule[]): Map<string, Set<string>> {
    let bySlo = this.rulesBySlo.get(rules);
    if (!bySlo) {
      bySlo = new Map();
      for (const rule of rules) {
        const id = rule.labels.slo;
        if (id === undefined) continue;
        const names = bySlo.get(id) ?? bySlo.set(id, new Set()).get(id)!;
        names.add(rule.name);
      }
      this.rulesBySlo.set(rules, bySlo);
    }
    return bySlo;
  }

  async status(slo: EvaluatedSlo): Promise<SloStatus> {
    const problem = definitionProblem(slo);
    if (problem) throw problem;
    return this.evaluate(slo, this.now());
  }

  private async evaluate(
    slo: EvaluatedSlo,
    at: Date,
    batch?: RecordedBatch,
    knownMode?: QueryMode,
    memo?: WindowMemo,
    knownExclusions?: readonly TimeRange[],
  ): Promise<SloStatus> {
    const elapsed = windowAt(slo.window, slo.timeZone, at).elapsed;
    const [mode, exclusions] = await Promise.all([
      knownMode ?? this.modeFor(slo),
      knownExclusions ?? this.exclusionsOf([slo], at).then((m) => m.get(slo.id) ?? NO_EXCLUSIONS),
    ]);
    const range = formatDuration(Math.max(rangeSeconds(elapsed), MIN_RANGE_SECONDS));
    const ctx: WindowContext = { at, exclusions, memo };

    const overall = { ...slo, groupBy: [] };
    // A recorded burn-rate ratio is per group; summing ratios across groups would be wrong, so a
    // grouped SLO's overall burn rates come from the source metrics.
    const overallMode: QueryMode = slo.groupBy.length > 0 ? 'raw' : mode;
    const batched =
      mode === 'rules' && batch && exclusions.length === 0 ? this.fromBatch(slo, batch) : undefined;
    const [total, groups] = await Promise.all([
      batched ? Promise.resolve(batched) : this.indicators(overall, range, mode, overallMode, ctx),
      slo.groupBy.length > 0
        ? this.indicators(slo, range, mode, mode, ctx)
        : Promise.resolve(new Map<string, Indicators & { labels: Record<string, string> }>()),
    ]);
    const one = total.get(groupKey({}, [])) ?? {
      errorRatio: NaN,
      events: NaN,
      errorRatios: {},
      guardEvents: {},
      labels: {},
    };
    const groupStatuses: SloGroupStatus[] = [...groups.values()]
      .map((g) => ({ labels: g.labels, ...this.present(slo, g) }))
      .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
    const top = this.present(slo, one);
    if (slo.groupBy.length > 0) {
      top.alerts = {
        page: groupStatuses.some((g) => g.alerts.page),
        ticket: groupStatuses.some((g) => g.alerts.ticket),
      };
    }
    const status: SloStatus = {
      id: slo.id,
      service: slo.service,
      objective: objectiveFraction(slo.objective),
      window: { start: iso(elapsed.start), end: iso(elapsed.end) },
      ...top,
      excludedSeconds: excludedSeconds(excludedParts(exclusions, elapsed)),
      source: mode,
      ...(slo.groupBy.length > 0 ? { groups: groupStatuses } : {}),
    };
    this.options.onStatus?.(status);
    return status;
  }

  /**
   * Status of every SLO; one that cannot be evaluated is reported beside the others, not thrown.
   * Ungrouped SLOs on rules with rolling windows are answered by one query for all of them, sent
   * alongside the read of the loaded rules (it does not depend on it: it asks for every such SLO,
   * and only those the rules cover use the answer); the rest are evaluated one by one.
   */
  async statuses(
    all: EvaluatedSlo[],
  ): Promise<{ items: SloStatus[]; errors: { id: string; error: unknown }[] }> {
    const at = this.now();
    const errors: { id: string; error: unknown }[] = [];
    const slos = all.filter((slo) => {
      const problem = definitionProblem(slo);
      if (problem) errors.push({ id: slo.id, error: problem });
      return problem === null;
    });
    const exclusions = await this.exclusionsOf(slos, at);
    const excluded = (s: EvaluatedSlo) => exclusions.get(s.id) ?? NO_EXCLUSIONS;
    // a failed rules or batch read leaves every SLO to its own queries, which report their own errors
    const recorded = this.readRecorded(
      this.batchable(slos).filter((s) => excluded(s).length === 0),
      at,
    ).catch(() => undefined);
    const modes = await this.modesFor(slos).catch(() => undefined);
    const batch = modes ? await recorded : undefined;
    const memo: WindowMemo = new Map();
    const results = await Promise.allSettled(
      slos.map((s, i) => this.evaluate(s, at, batch, modes?.[i], memo, excluded(s))),
    );
    const items: SloStatus[] = [];
    results.forEach((r, i) =>
      r.status === 'fulfilled' ? items.push(r.value) : errors.push({ id: slos[i]!.id, error: r.reason }),
    );
    return { items, errors };
  }

  /**
   * Each SLO's exclusions that touch what a status at `at` reads: its window's elapsed part or the
   * longest burn-rate window, whichever reaches further back.
   */
  private async exclusionsOf(
    slos: readonly EvaluatedSlo[],
    at: Date,
  ): Promise<ReadonlyMap<string, readonly TimeRange[]>> {
    const source = this.options.exclusions;
    if (!source || slos.length === 0) return new Map();
    const start = Math.min(
      at.getTime() - LONGEST_BURN_SECONDS * 1000,
      ...slos.map((s) => windowAt(s.window, s.timeZone, at).elapsed.start.getTime()),
    );
    return source(
      slos.map((s) => s.id),
      { start: new Date(start), end: at },
      at,
    );
  }

  /** SLOs whose whole status the batch can answer once on rules: ungrouped, rolling window. */
  private batchable(slos: EvaluatedSlo[]): EvaluatedSlo[] {
    return slos.filter((s) => s.groupBy.length === 0 && recordedWindow(s.window) !== null);
  }

  /** The recorded series those SLOs read, in one instant query for all of them. */
  private async readRecorded(slos: EvaluatedSlo[], at: Date): Promise<RecordedBatch | undefined> {
    if (slos.length === 0) return undefined;
    const windows = slos.map((s) => recordedWindow(s.window)!);
    const records = new Set([
      ...windows.flatMap((w) => [RECORDED.errorEvents(w), RECORDED.events(w)]),
      ...BURN_RATE_WINDOWS.map((w) => RECORDED.errorRatio(w)),
      ...(slos.some((s) => s.minEvents > 0) ? GUARD_WINDOWS.map((w) => RECORDED.events(w)) : []),
    ]);
    const samples = await this.options.prometheus.instant(
      recordedBatchQuery([...records], [...new Set(slos.map((s) => s.id))]),
      at,
    );
    const batch: RecordedBatch = new Map();
    for (const s of samples) {
      const record = s.labels.__name__ ?? '';
      const bySlo = batch.get(record) ?? batch.set(record, new Map()).get(record)!;
      bySlo.set(s.labels.slo ?? '', s.value);
    }
    return batch;
  }

  /** An ungrouped SLO's indicators from the batch, as `indicators` files them; undefined if it cannot. */
  private fromBatch(slo: EvaluatedSlo, batch: RecordedBatch) {
    const window = recordedWindow(slo.window);
    if (slo.groupBy.length > 0 || window === null) return undefined;
    const read = (record: string) => batch.get(record)?.get(slo.id) ?? NaN;
    const guardWindows = slo.minEvents > 0 ? GUARD_WINDOWS : [];
    const one: Indicators & { labels: Record<string, string> } = {
      labels: {},
      errorRatio: read(RECORDED.errorEvents(window)) / read(RECORDED.events(window)),
      events: read(RECORDED.events(window)),
      errorRatios: Object.fromEntries(BURN_RATE_WINDOWS.map((w) => [w, read(RECORDED.errorRatio(w))])),
      guardEvents: Object.fromEntries(guardWindows.map((w) => [w, read(RECORDED.events(w))])),
    };
    return new Map([[groupKey({}, []), one]]);
  }

  private present(slo: EvaluatedSlo, ind: Indicators) {
    const budget = errorBudget(ind.errorRatio, slo.objective);
    const state = alertState({
      objectivePercent: slo.objective,
      window: slo.window,
      errorRatios: ind.errorRatios,
      events: ind.guardEvents,
      minEvents: slo.minEvents,
    });
    return {
      sli: finite(sli(ind.errorRatio)),
      events: finite(ind.events),
      errorBudget: {
        total: budget.total,
        consumed: finite(budget.consumed),
        remaining: finite(budget.remaining),
      },
      burnRates: Object.fromEntries(
        BURN_RATE_WINDOWS.map((w) => [w, finite(burnRate(ind.errorRatios[w] ?? NaN, slo.objective))]),
      ),
      alerts: { page: state.page, ticket: state.ticket },
    };
  }

  /** Runs the window, burn-rate and guard queries and files the answers by group. */
  private async indicators(
    slo: EvaluatedSlo,
    range: string,
    mode: QueryMode,
    burnMode: QueryMode,
    ctx: WindowContext,
  ): Promise<Map<string, Indicators & { labels: Record<string, string> }>> {
    const at = ctx.at;
    const guardWindows = slo.minEvents > 0 ? GUARD_WINDOWS : [];
    const burnAnswers = BURN_RATE_WINDOWS.map((w) => this.window(slo, w, burnMode, ctx, false));
    // raw guard counts are the burn windows' event queries again, answered once by the client; a
    // guard window touching an exclusion takes the events of its burn window, less the excluded part
    const guardEvents = (w: string) =>
      this.termsOf(ctx, w).length > 0
        ? burnAnswers[BURN_RATE_WINDOWS.indexOf(w)]!.then((a) => a.events)
        : this.options.prometheus.instant(eventsQuery(slo, w, mode), at);
    const [window, burns, guards] = await Promise.all([
      this.window(slo, range, mode, ctx, true),
      Promise.all(burnAnswers),
      Promise.all(guardWindows.map(guardEvents)),
    ]);
    const out = new Map<string, Indicators & { labels: Record<string, string> }>();
    const entry = (labels: Record<string, string>) => {
      const key = groupKey(labels, slo.groupBy);
      let e = out.get(key);
      if (!e) {
        const own = Object.fromEntries(slo.groupBy.map((l) => [l, labels[l] ?? '']));
        e = { labels: own, errorRatio: NaN, events: NaN, errorRatios: {}, guardEvents: {} };
        out.set(key, e);
      }
      return e;
    };
    const file = (samples: Sample[], put: (e: Indicators, v: number) => void) =>
      samples.forEach((s) => put(entry(s.labels), s.value));
    file(window.ratios, (e, v) => (e.errorRatio = v));
    file(window.events, (e, v) => (e.events = v));
    burns.forEach((b, i) => file(b.ratios, (e, v) => (e.errorRatios[BURN_RATE_WINDOWS[i]!] = v)));
    guards.forEach((samples, i) => file(samples, (e, v) => (e.guardEvents[guardWindows[i]!] = v)));
    if (slo.groupBy.length === 0) entry({});
    return out;
  }

  /**
   * Error ratio (and events, when asked) over `range` per group. Raw: the events and the bad (or good)
   * events as two queries, divided here, so each series is read once and the events need no query
   * of their own; the answer goes into `memo` for SLOs over the same indicator. Rules: the recorded
   * ratio and, when asked, the recorded events.
   */
  private window(
    slo: EvaluatedSlo,
    range: string,
    mode: QueryMode,
    ctx: WindowContext,
    withEvents: boolean,
  ): Promise<WindowAnswer> {
    const prom = this.options.prometheus;
    const { at, memo } = ctx;
    const terms = this.termsOf(ctx, range);
    if (terms.length > 0) {
      // exclusions are per SLO: these answers are not shared through the memo
      return mode === 'rules'
        ? this.countsLessExcluded(slo, recordedCountQueries, RECORD_OVERLAP, range, at, terms)
        : this.countsLessExcluded(slo, eventCountQueries, 1, range, at, terms);
    }
    if (mode === 'rules') {
      return Promise.all([
        prom.instant(errorRatioQuery(slo, range, mode), at),
        withEvents ? prom.instant(eventsQuery(slo, range, mode), at) : Promise.resolve([]),
      ]).then(([ratios, events]) => ({ ratios, events }));
    }
    if (!memo) return this.countsLessExcluded(slo, eventCountQueries, 1, range, at, []);
    const key = JSON.stringify([slo.indicator, slo.groupBy, range]);
    let answer = memo.get(key);
    if (!answer) {
      answer = this.countsLessExcluded(slo, eventCountQueries, 1, range, at, []);
      memo.set(key, answer);
    }
    return answer;
  }

  /** The excluded parts of the `range` ending at the context's instant, as PromQL terms. */
  private termsOf(ctx: WindowContext, range: string): ExclusionTerm[] {
    if (ctx.exclusions.length === 0) return [];
    const window = { start: new Date(ctx.at.getTime() - parseDuration(range) * 1000), end: ctx.at };
    return exclusionTerms(ctx.exclusions, window);
  }

  /**
   * Error ratio and events over `range` per group from the two counts `queries` builds (raw: the
   * source metrics; rules: sums of the recorded 5m increases, which count each event `overlap`
   * times), each less the same counts over every excluded part, read at the part's end (`@ end`).
   * Without exclusions: two queries, divided here, so each series is read once.
   */
  private async countsLessExcluded(
    slo: EvaluatedSlo,
    queries: (slo: EvaluatedSlo, range: string) => EventCountQueries,
    overlap: number,
    range: string,
    at: Date,
    terms: readonly ExclusionTerm[],
  ): Promise<WindowAnswer> {
    const prom = this.options.prometheus;
    const q = queries(slo, range);
    const read = (query: string, t: Date) =>
      prom
        .instant(query, t)
        .then((samples) => new Map(samples.map((s) => [groupKey(s.labels, slo.groupBy), s.value])));
    const [totals, counted, excludedTotals, excludedCounted] = await Promise.all([
      prom.instant(q.total, at),
      read(q.counted, at),
      Promise.all(terms.map((t) => read(queries(slo, t.range).total, t.at))),
      Promise.all(terms.map((t) => read(queries(slo, t.range).counted, t.at))),
    ]);
    const ratios: Sample[] = [];
    const events: Sample[] = [];
    const bad: Sample[] = [];
    for (const t of totals) {
      const key = groupKey(t.labels, slo.groupBy);
      const total = countLessExcluded(
        t.value,
        excludedTotals.map((m) => m.get(key)),
      )!;
      const c = counted.get(key);
      const kept =
        c === undefined
          ? undefined
          : countLessExcluded(
              c,
              excludedCounted.map((m) => m.get(key)),
            );
      const ratio = errorRatioFromCounts(total, kept, q.countedIs);
      ratios.push({ labels: t.labels, value: ratio });
      events.push({ labels: t.labels, value: total / overlap });
      const badCount = q.countedIs === 'bad' ? (kept ?? 0) : kept === undefined ? NaN : total - kept;
      bad.push({ labels: t.labels, value: badCount / overlap });
    }
    return { ratios, events, bad };
  }

  /**
   * Remaining budget and burn rate at each step of [from, to]. Rolling windows: the window ending at
   * each point, straight from Prometheus. Calendar windows: errors and events per step, summed from
   * each period's start (exact to the step's resolution).
   */
  async budget(slo: EvaluatedSlo, req: BudgetRequest): Promise<SloBudget> {
    const problem = definitionProblem(slo);
    if (problem) throw problem;
    const prom = this.options.prometheus;
    const window = parseWindow(slo.window);
    const step = req.stepSeconds;
    const budgetRatio = errorBudgetRatio(slo.objective);
    const burnSeconds = parseDuration(req.burnWindow);
    // how far back the first point's windows reach: exclusions from there on count
    const reach = Math.min(
      req.from.getTime() - burnSeconds * 1000,
      window.kind === 'rolling'
        ? req.from.getTime() - window.seconds * 1000
        : calendarPeriod(
            window.period,
            slo.timeZone,
            new Date(req.from.getTime() - step * 1000),
          ).start.getTime(),
    );
    const span = { start: new Date(reach), end: req.to };
    const [ruleMode, exclusions] = await Promise.all([this.modeFor(slo), this.exclusionsIn(slo, span)]);
    const parts = excludedParts(exclusions, span);
    const keyOf = (labels: Record<string, string>) => groupKey(labels, slo.groupBy);
    // with exclusions the series are counts less the excluded steps, read from the source metrics
    const excluded = parts.length > 0 ? await ExcludedCounts.read(prom, slo, parts, step, keyOf) : undefined;
    const mode: QueryMode = excluded ? 'raw' : ruleMode;
    const ratioSeries = (range: string) =>
      excluded
        ? this.ratioLessExcluded(slo, range, req, excluded)
        : prom.range(errorRatioQuery(slo, range, mode), req.from, req.to, step);
    const burnSeries = ratioSeries(req.burnWindow);
    // Awaited below; until then a rejection must count as handled, or a failing remaining-budget query
    // thrown first would leave it unhandled and end the process.
    burnSeries.catch(() => undefined);
    let remaining: Map<string, { labels: Record<string, string>; points: [number, number][] }>;
    if (window.kind === 'rolling') {
      const series = await ratioSeries(formatDuration(window.seconds));
      remaining = this.byGroup(slo, series, (v) => 1 - v / budgetRatio);
    } else {
      remaining = await this.calendarRemaining(slo, window.period, req, budgetRatio, excluded);
    }
    const burns = this.byGroup(slo, await burnSeries, (v) => burnRate(v, slo.objective));
    const keys = [...new Set([...remaining.keys(), ...burns.keys()])].sort();
    const toPoints = (pts: [number, number][] | undefined) =>
      (pts ?? []).map(([t, v]) => [iso(new Date(t * 1000)), finite(v)] as [string, number | null]);
    return {
      id: slo.id,
      from: iso(req.from),
      to: iso(req.to),
      step,
      burnWindow: req.burnWindow,
      source: mode,
      series: keys.map((k) => ({
        labels: remaining.get(k)?.labels ?? burns.get(k)?.labels ?? {},
        remaining: toPoints(remaining.get(k)?.points),
        burnRate: toPoints(burns.get(k)?.points),
      })),
    };
  }

  /**
   * Events and bad events of an SLO, all groups together, over a range that has ended (a report
   * period), from the source metrics at the range's end, excluded parts left out.
   */
  async periodCounts(
    slo: EvaluatedSlo,
    range: TimeRange,
  ): Promise<{ events: number | null; badEvents: number | null; excludedSeconds: number }> {
    const exclusions = await this.exclusionsIn(slo, range);
    const seconds = Math.max(rangeSeconds(range), MIN_RANGE_SECONDS);
    const answer = await this.countsLessExcluded(
      { ...slo, groupBy: [] },
      eventCountQueries,
      1,
      formatDuration(seconds),
      range.end,
      exclusionTerms(exclusions, range),
    );
    return {
      events: finite(answer.events[0]?.value),
      badEvents: finite(answer.bad?.[0]?.value),
      excludedSeconds: excludedSeconds(excludedParts(exclusions, range)),
    };
  }

  /** An SLO's exclusions overlapping `range`, up to now. */
  private async exclusionsIn(slo: EvaluatedSlo, range: TimeRange): Promise<readonly TimeRange[]> {
    const source = this.options.exclusions;
    if (!source) return NO_EXCLUSIONS;
    return (await source([slo.id], range, this.now())).get(slo.id) ?? NO_EXCLUSIONS;
  }

  /**
   * Error ratio over `range` ending at each point, bad and total events each less the excluded
   * steps inside that window (at the series' step resolution).
   */
  private async ratioLessExcluded(
    slo: EvaluatedSlo,
    range: string,
    req: BudgetRequest,
    excluded: ExcludedCounts,
  ): Promise<Series[]> {
    const prom = this.options.prometheus;
    const [bad, total] = await Promise.all([
      prom.range(errorsQuery(slo, range), req.from, req.to, req.stepSeconds),
      prom.range(totalQuery(slo, range), req.from, req.to, req.stepSeconds),
    ]);
    const badByGroup = new Map(bad.map((s) => [groupKey(s.labels, slo.groupBy), new Map(s.points)]));
    const seconds = parseDuration(range);
    return total.map((s) => {
      const key = groupKey(s.labels, slo.groupBy);
      const points = s.points.map(([t, events]): [number, number] => {
        const errors = badByGroup.get(key)?.get(t) ?? NaN;
        const kept = events - excluded.between(key, 'total', t - seconds, t);
        return [t, (errors - excluded.between(key, 'bad', t - seconds, t)) / kept];
      });
      return { labels: s.labels, points };
    });
  }

  private byGroup(slo: EvaluatedSlo, series: Series[], map: (v: number) => number) {
    const out = new Map<string, { labels: Record<string, string>; points: [number, number][] }>();
    for (const s of series) {
      const labels = Object.fromEntries(slo.groupBy.map((l) => [l, s.labels[l] ?? '']));
      out.set(groupKey(s.labels, slo.groupBy), { labels, points: s.points.map(([t, v]) => [t, map(v)]) });
    }
    return out;
  }

  private async calendarRemaining(
    slo: EvaluatedSlo,
    period: 'week' | 'month' | 'quarter',
    req: BudgetRequest,
    budgetRatio: number,
    excluded?: ExcludedCounts,
  ) {
    const step = req.stepSeconds;
    const range = formatDuration(step);
    // Only the requested range is read at the step (a month at 60 s would pass Prometheus's 11,000-point
    // limit); what the first point's period consumed before it comes from one instant query per counter.
    const firstIncreaseStart = new Date(req.from.getTime() - step * 1000);
    const firstPeriod = calendarPeriod(period, slo.timeZone, firstIncreaseStart).start;
    const prefixSeconds = Math.floor((firstIncreaseStart.getTime() - firstPeriod.getTime()) / 1000);
    const prefix = (q: (s: EvaluatedSlo, r: string) => string) =>
      prefixSeconds > 0
        ? this.options.prometheus.instant(q(slo, formatDuration(prefixSeconds)), firstIncreaseStart)
        : Promise.resolve([]);
    const [errors, totals, errorsBefore, totalsBefore] = await Promise.all([
      this.options.prometheus.range(errorsQuery(slo, range), req.from, req.to, step),
      this.options.prometheus.range(totalQuery(slo, range), req.from, req.to, step),
      prefix(errorsQuery),
      prefix(totalQuery),
    ]);
    const errorsByGroup = new Map(errors.map((s) => [groupKey(s.labels, slo.groupBy), new Map(s.points)]));
    const before = (samples: { labels: Record<string, string>; value: number }[], key: string) =>
      samples.find((x) => groupKey(x.labels, slo.groupBy) === key)?.value ?? 0;
    const out = new Map<string, { labels: Record<string, string>; points: [number, number][] }>();
    for (const s of totals) {
      const key = groupKey(s.labels, slo.groupBy);
      const errs = errorsByGroup.get(key);
      let periodStart = firstPeriod.getTime();
      const excludedBefore = (count: 'bad' | 'total') =>
        excluded?.between(key, count, firstPeriod.getTime() / 1000, firstIncreaseStart.getTime() / 1000) ?? 0;
      let sumErrors = before(errorsBefore, key) - excludedBefore('bad');
      let sumTotal = before(totalsBefore, key) - excludedBefore('total');
      const points: [number, number][] = [];
      for (const [t, total] of s.points) {
        // an increase ending at t covers (t − step, t]: it belongs to the period containing t − step
        const ps = calendarPeriod(period, slo.timeZone, new Date((t - step) * 1000)).start.getTime();
        if (ps !== periodStart) {
          periodStart = ps;
          sumErrors = 0;
          sumTotal = 0;
        }
        sumErrors += (errs?.get(t) ?? 0) - (excluded?.between(key, 'bad', t - step, t) ?? 0);
        sumTotal += total - (excluded?.between(key, 'total', t - step, t) ?? 0);
        points.push([t, 1 - sumErrors / sumTotal / budgetRatio]);
      }
      out.set(key, { labels: Object.fromEntries(slo.groupBy.map((l) => [l, s.labels[l] ?? ''])), points });
    }
    return out;
  }
}
