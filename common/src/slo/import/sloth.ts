// Sloth `prometheus/v1` specs (and the `sloth.slok.dev/v1` PrometheusServiceLevel CRD, same spec):
// one opsdeck SLO per `slos[]` entry, from the counter selectors inside error_query and total_query.
import { parseCounterQuery } from './selector';
import {
  UnmappableField,
  atField,
  field,
  labelsOf,
  num,
  slugify,
  text,
  urlOrNull,
  type Emit,
} from './result';

/** Sloth has no window field; its generator defaults to 30 days. */
export const SLOTH_DEFAULT_WINDOW = '30d';

export function isSloth(doc: unknown): boolean {
  return (
    field(doc, 'version') === 'prometheus/v1' ||
    (field(doc, 'apiVersion') === 'sloth.slok.dev/v1' && field(doc, 'kind') === 'PrometheusServiceLevel')
  );
}

export function convertSloth(doc: unknown, where: string, emit: Emit): void {
  const crd = field(doc, 'apiVersion') === 'sloth.slok.dev/v1';
  const root = crd ? field(doc, 'spec') : doc;
  const prefix = crd ? 'spec.' : '';
  const service = field(root, 'service');
  const slos = field(root, 'slos');
  if (!Array.isArray(slos) || slos.length === 0) {
    emit(`sloth ${where}`, () => {
      throw new UnmappableField(`${prefix}slos`, 'a Sloth spec needs at least one entry in slos');
    });
    return;
  }
  slos.forEach((slo, i) => {
    const at = `${prefix}slos.${i}`;
    const name = field(slo, 'name');
    emit(`sloth ${String(service)}/${String(name ?? i)} (${where})`, () => {
      const serviceName = text(service, `${prefix}service`);
      const sloName = text(name, `${at}.name`);
      if (field(slo, 'sli', 'raw') !== undefined) {
        throw new UnmappableField(
          `${at}.sli.raw`,
          'a raw error-ratio query cannot be mapped: opsdeck needs error and total counters (sli.events)',
        );
      }
      if (field(slo, 'sli', 'plugin') !== undefined) {
        throw new UnmappableField(
          `${at}.sli.plugin`,
          'SLI plugins cannot be mapped: rewrite the SLI as sli.events error_query/total_query',
        );
      }
      const errors = atField(`${at}.sli.events.error_query`, () =>
        parseCounterQuery(text(field(slo, 'sli', 'events', 'error_query'), `${at}.sli.events.error_query`)),
      );
      const total = atField(`${at}.sli.events.total_query`, () =>
        parseCounterQuery(text(field(slo, 'sli', 'events', 'total_query'), `${at}.sli.events.total_query`)),
      );
      if (errors.groupBy.join(',') !== total.groupBy.join(',')) {
        throw new UnmappableField(
          `${at}.sli.events`,
          `error_query sums by (${errors.groupBy.join(', ')}) but total_query by (${total.groupBy.join(', ')}): use the same labels`,
        );
      }
      return {
        id: slugify(`${serviceName}-${sloName}`),
        name: sloName,
        description: (field(slo, 'description') as string | undefined) ?? '',
        service: serviceName,
        objective: num(field(slo, 'objective'), `${at}.objective`),
        window: SLOTH_DEFAULT_WINDOW,
        indicator: { kind: 'ratio', errors: errors.selector, total: total.selector },
        groupBy: errors.groupBy,
        labels: { ...labelsOf(field(root, 'labels')), ...labelsOf(field(slo, 'labels')) },
        runbookUrl:
          urlOrNull(field(slo, 'alerting', 'annotations', 'runbook_url')) ??
          urlOrNull(field(slo, 'alerting', 'annotations', 'runbook')),
      };
    });
  });
}
