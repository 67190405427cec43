// Pyrra `pyrra.dev/v1alpha1` ServiceLevelObjective: ratio (errors/total), latency (success bucket/total
// count) and bool_gauge indicators; target is a percent string, window a Prometheus duration.
import { SelectorError, parseSeriesSelector } from '../selector';
import { indicatorFromGood, ratioFromBad } from './indicators';
import { UnmappableField, atField, field, num, slugify, text, type Emit } from './result';

export function isPyrra(doc: unknown): boolean {
  return field(doc, 'apiVersion') === 'pyrra.dev/v1alpha1' && field(doc, 'kind') === 'ServiceLevelObjective';
}

/**
 * Pyrra has no service field: the total selector's service="…" or job="…" names it, else the
 * namespace, else the SLO.
 */
function serviceOf(totalSelector: string, doc: unknown, name: string): string {
  try {
    const matchers = parseSeriesSelector(totalSelector).matchers.filter((m) => m.op === '=');
    const named = matchers.find((m) => m.name === 'service') ?? matchers.find((m) => m.name === 'job');
    if (named) return named.value;
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
  }
  const namespace = field(doc, 'metadata', 'namespace');
  return typeof namespace === 'string' && namespace ? namespace : name;
}

export function convertPyrra(doc: unknown, where: string, emit: Emit): void {
  const name = field(doc, 'metadata', 'name');
  emit(`pyrra ${String(name)} (${where})`, () => {
    const sloName = text(name, 'metadata.name');
    const ind = field(doc, 'spec', 'indicator');
    let indicator;
    let total: string;
    let grouping: unknown;
    if (field(ind, 'ratio') !== undefined) {
      total = text(field(ind, 'ratio', 'total', 'metric'), 'spec.indicator.ratio.total.metric');
      const errors = text(field(ind, 'ratio', 'errors', 'metric'), 'spec.indicator.ratio.errors.metric');
      indicator = atField('spec.indicator.ratio', () => ratioFromBad(errors, total));
      grouping = field(ind, 'ratio', 'grouping');
    } else if (field(ind, 'latency') !== undefined) {
      total = text(field(ind, 'latency', 'total', 'metric'), 'spec.indicator.latency.total.metric');
      const success = text(
        field(ind, 'latency', 'success', 'metric'),
        'spec.indicator.latency.success.metric',
      );
      indicator = atField('spec.indicator.latency.success.metric', () => indicatorFromGood(success, total));
      grouping = field(ind, 'latency', 'grouping');
    } else if (field(ind, 'bool_gauge') !== undefined) {
      total = text(field(ind, 'bool_gauge', 'metric'), 'spec.indicator.bool_gauge.metric');
      atField('spec.indicator.bool_gauge.metric', () => parseSeriesSelector(total));
      // a 0/1 gauge is good while 1, judged per one-minute slice
      indicator = {
        kind: 'threshold' as const,
        selector: total.trim(),
        operator: '>=' as const,
        bound: 1,
        sliceSeconds: 60,
      };
      grouping = field(ind, 'bool_gauge', 'grouping');
    } else if (field(ind, 'latency_native') !== undefined) {
      throw new UnmappableField(
        'spec.indicator.latency_native',
        'native histograms cannot be mapped: opsdeck reads classic _bucket/_count histograms',
      );
    } else {
      throw new UnmappableField('spec.indicator', 'needs one of ratio, latency or bool_gauge');
    }
    if (
      grouping !== undefined &&
      (!Array.isArray(grouping) || !grouping.every((g) => typeof g === 'string'))
    ) {
      throw new UnmappableField('spec.indicator.grouping', 'must be a list of label names');
    }
    return {
      id: slugify(sloName),
      name: sloName,
      description: (field(doc, 'spec', 'description') as string | undefined) ?? '',
      service: serviceOf(total, doc, sloName),
      objective: num(field(doc, 'spec', 'target'), 'spec.target'),
      window: text(field(doc, 'spec', 'window'), 'spec.window'),
      indicator,
      groupBy: (grouping as string[] | undefined) ?? [],
    };
  });
}
