// OpenSLO `openslo/v1` SLOs (indicator inline or by indicatorRef to an SLI document): ratioMetric
// with bad/total or good/total Prometheus queries, thresholdMetric on a gauge (time slices), rolling
// or calendar timeWindow; one opsdeck SLO per objective.
import { indicatorFromGood, ratioFromBad } from './indicators';
import { parseSeriesSelector } from '../selector';
import { parseCounterQuery } from './selector';
import { UnmappableField, atField, field, labelsOf, num, slugify, text, type Emit } from './result';
import { roundRatio } from '../math';
import { parseDuration } from '../windows';
import type { Indicator } from '../spec';

export function isOpenSlo(doc: unknown): boolean {
  return field(doc, 'apiVersion') === 'openslo/v1';
}

const OPERATORS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const CALENDAR: Record<string, 'week' | 'month' | 'quarter'> = {
  '1w': 'week',
  '1M': 'month',
  '1Q': 'quarter',
};

/** The Prometheus query of a metric source; other source types cannot be mapped. */
function query(metric: unknown, path: string): string {
  const type = field(metric, 'metricSource', 'type');
  if (typeof type === 'string' && !/prometheus|thanos|mimir|cortex|victoria/i.test(type)) {
    throw new UnmappableField(`${path}.metricSource.type`, `"${type}" is not a Prometheus-compatible source`);
  }
  const q = field(metric, 'metricSource', 'spec', 'query') ?? field(metric, 'metricSource', 'spec', 'promql');
  return text(q, `${path}.metricSource.spec.query`);
}

/** A counter query reduced to its selector; ratio SLIs may not sum by labels in OpenSLO imports. */
function counter(metric: unknown, path: string): string {
  const q = query(metric, path);
  return atField(`${path}.metricSource.spec.query`, () => parseCounterQuery(q).selector);
}

function windowOf(doc: unknown): { window: string; timeZone: string } {
  const windows = field(doc, 'spec', 'timeWindow');
  if (windows === undefined) return { window: '30d', timeZone: 'UTC' };
  if (!Array.isArray(windows) || windows.length !== 1)
    throw new UnmappableField('spec.timeWindow', 'must hold exactly one window');
  const duration = text(field(windows, 0, 'duration'), 'spec.timeWindow.0.duration');
  const calendar = field(windows, 0, 'calendar');
  const rolling = field(windows, 0, 'isRolling') ?? calendar === undefined;
  if (rolling === true) {
    if (!/^\d+[hdw]$/.test(duration)) {
      throw new UnmappableField(
        'spec.timeWindow.0.duration',
        `rolling "${duration}" cannot be mapped: use hours, days or weeks (e.g. 28d, 4w)`,
      );
    }
    return { window: duration, timeZone: 'UTC' };
  }
  const period = CALENDAR[duration];
  if (!period) {
    const hint = duration === '1m' ? ' ("1m" is one minute in OpenSLO; a month is "1M")' : '';
    throw new UnmappableField(
      'spec.timeWindow.0.duration',
      `calendar "${duration}" cannot be mapped: use 1w, 1M or 1Q${hint}`,
    );
  }
  const zone = field(calendar, 'timeZone');
  return { window: period, timeZone: typeof zone === 'string' ? zone : 'UTC' };
}

function sliceSeconds(objective: unknown, path: string): number {
  const window = field(objective, 'timeSliceWindow');
  if (window === undefined) return 60;
  // a bare number is minutes in OpenSLO
  if (typeof window === 'number') return window * 60;
  try {
    return parseDuration(String(window));
  } catch (error) {
    throw new UnmappableField(path, (error as Error).message);
  }
}

export function convertOpenSlo(doc: unknown, where: string, emit: Emit, slis: Map<string, unknown>): void {
  if (field(doc, 'kind') !== 'SLO') return;
  const name = field(doc, 'metadata', 'name');
  const objectives = field(doc, 'spec', 'objectives');
  const list = Array.isArray(objectives) && objectives.length > 0 ? objectives : [undefined];
  list.forEach((objective, i) => {
    const label =
      list.length > 1 ? `${String(name)}/${String(field(objective, 'displayName') ?? i)}` : String(name);
    emit(`openslo SLO ${label} (${where})`, () => {
      const sloName = text(name, 'metadata.name');
      if (objective === undefined)
        throw new UnmappableField('spec.objectives', 'needs at least one objective');
      const at = `spec.objectives.${i}`;
      const ref = field(doc, 'spec', 'indicatorRef');
      const inline = field(doc, 'spec', 'indicator', 'spec');
      const sli = inline ?? (typeof ref === 'string' ? slis.get(ref) : undefined);
      const sliPath = inline ? 'spec.indicator.spec' : `SLI ${String(ref)} spec`;
      if (!sli) {
        throw new UnmappableField(
          ref ? 'spec.indicatorRef' : 'spec.indicator',
          ref ? `no SLI document named "${String(ref)}" in this import` : 'needs indicator or indicatorRef',
        );
      }
      const method = field(doc, 'spec', 'budgetingMethod') ?? 'Occurrences';
      let indicator: Indicator;
      const ratio = field(sli, 'ratioMetric');
      const threshold = field(sli, 'thresholdMetric');
      if (ratio !== undefined) {
        if (method !== 'Occurrences') {
          throw new UnmappableField(
            'spec.budgetingMethod',
            `${String(method)} with a ratioMetric cannot be mapped: opsdeck budgets ratio SLIs by events (Occurrences)`,
          );
        }
        if (field(ratio, 'raw') !== undefined) {
          throw new UnmappableField(
            `${sliPath}.ratioMetric.raw`,
            'a precomputed ratio cannot be mapped: give good or bad, and total counters',
          );
        }
        if (field(ratio, 'counter') === false) {
          throw new UnmappableField(
            `${sliPath}.ratioMetric.counter`,
            'opsdeck ratio SLIs read counters (counter: true)',
          );
        }
        const total = counter(field(ratio, 'total'), `${sliPath}.ratioMetric.total`);
        const bad = field(ratio, 'bad');
        indicator =
          bad !== undefined
            ? atField(`${sliPath}.ratioMetric.bad`, () =>
                ratioFromBad(counter(bad, `${sliPath}.ratioMetric.bad`), total),
              )
            : atField(`${sliPath}.ratioMetric.good.metricSource.spec.query`, () =>
                indicatorFromGood(counter(field(ratio, 'good'), `${sliPath}.ratioMetric.good`), total),
              );
      } else if (threshold !== undefined) {
        const selector = query(threshold, `${sliPath}.thresholdMetric`);
        atField(`${sliPath}.thresholdMetric.metricSource.spec.query`, () => parseSeriesSelector(selector));
        const op = field(objective, 'op');
        if (typeof op !== 'string' || !(op in OPERATORS))
          throw new UnmappableField(`${at}.op`, 'use lt, lte, gt or gte');
        indicator = {
          kind: 'threshold',
          selector: selector.trim(),
          operator: OPERATORS[op as keyof typeof OPERATORS],
          bound: num(field(objective, 'value'), `${at}.value`),
          sliceSeconds: sliceSeconds(objective, `${at}.timeSliceWindow`),
        };
      } else {
        throw new UnmappableField(sliPath, 'needs ratioMetric or thresholdMetric');
      }
      const target = field(objective, 'target');
      const objectivePercent =
        target !== undefined
          ? roundRatio(num(target, `${at}.target`) * 100)
          : num(field(objective, 'targetPercent'), `${at}.targetPercent`);
      const displayName = field(doc, 'metadata', 'displayName');
      const objectiveName = field(objective, 'displayName');
      return {
        id: slugify(list.length > 1 ? `${sloName}-${String(objectiveName ?? i)}` : sloName),
        name: [
          typeof displayName === 'string' ? displayName : sloName,
          list.length > 1 ? objectiveName : undefined,
        ]
          .filter((part): part is string => typeof part === 'string')
          .join(': '),
        description: (field(doc, 'spec', 'description') as string | undefined) ?? '',
        service: text(field(doc, 'spec', 'service'), 'spec.service'),
        objective: objectivePercent,
        ...windowOf(doc),
        indicator,
        labels: labelsOf(field(doc, 'metadata', 'labels')),
      };
    });
  });
}
