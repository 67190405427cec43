// The SLO definition: service, objective, window and one of three indicator kinds.
import { z } from 'zod';
import { Severity } from '../api/incident';
import { TimeZone } from '../api/maintenance-window';
import {
  Labels,
  ListQueryBase,
  LongText,
  ServiceName,
  ShortText,
  Slug,
  Stored,
  Url,
  VersionField,
} from '../api/primitives';
import { LABEL_NAME, METRIC_NAME, SelectorError, parseMatcherList, parseSeriesSelector } from './selector';

/** Label of the generated alerts that keeps the tier (page or ticket) for routing and inhibition. */
export const ALERT_TIER_LABEL = 'slo_tier';
/** Labels the generated rules set on every SLO series and alert; `service` only when not grouped by it. */
export const RULE_LABELS: readonly string[] = [
  'slo',
  'service',
  'severity',
  ALERT_TIER_LABEL,
  'long',
  'short',
];
/** Labels an SLO cannot group by: the series name, the histogram bound, and what the rules set themselves. */
export const UNGROUPABLE_LABELS: readonly string[] = [
  '__name__',
  'le',
  'alertname',
  ...RULE_LABELS.filter((l) => l !== 'service'),
];

/** A zod check from a parser that throws SelectorError: the parser's message becomes the issue. */
function parsedBy(parse: (text: string) => unknown) {
  return (text: string, ctx: z.RefinementCtx) => {
    try {
      parse(text);
    } catch (err) {
      if (!(err instanceof SelectorError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  };
}

const Selector = z
  .string()
  .min(1)
  .max(2000)
  .superRefine(parsedBy(parseSeriesSelector))
  .describe(
    'a PromQL series selector: a metric name with optional label matchers (regexes in RE2), nothing else, e.g. http_requests_total{job="api",code=~"5.."}',
  );
const MetricName = z.string().regex(METRIC_NAME, 'a Prometheus metric name');
/** Matchers of a latency indicator; `le` is the indicator's own bound. */
export const LATENCY_RESERVED_LABELS: readonly string[] = ['le'];
const Matchers = z
  .string()
  .max(2000)
  .superRefine(parsedBy((text) => parseMatcherList(text, LATENCY_RESERVED_LABELS)))
  .describe('label matchers without braces, e.g. job="api",method="GET"; empty for none; no le');

/** Why `label` cannot be a groupBy label, or null when it can. */
export function groupByProblem(label: string): string | null {
  if (!LABEL_NAME.test(label)) return `"${label}" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)`;
  if (label.startsWith('__')) return `"${label}" is reserved: labels starting with __ are Prometheus's own`;
  if (UNGROUPABLE_LABELS.includes(label))
    return `"${label}" cannot be grouped by: ${label === 'le' ? 'it is the histogram bound' : 'the generated rules set it'} (${UNGROUPABLE_LABELS.join(', ')} are not groupable)`;
  return null;
}

const GroupByLabel = z.string().superRefine((label, ctx) => {
  const problem = groupByProblem(label);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Severities of the generated alerts on the guide's S-levels; the tier is kept in ALERT_TIER_LABEL. */
export const DEFAULT_ALERT_SEVERITIES = { pageSeverity: 'S2', ticketSeverity: 'S3' } as const;
export const SloAlerting = z
  .strictObject({
    pageSeverity: Severity.default(DEFAULT_ALERT_SEVERITIES.pageSeverity).describe(
      'severity label of the page alerts (fast burn)',
    ),
    ticketSeverity: Severity.default(DEFAULT_ALERT_SEVERITIES.ticketSeverity).describe(
      'severity label of the ticket alerts (slow burn)',
    ),
  })
  .describe('severities of the generated alerts; absent: page S2, ticket S3');

/** The three indicator kinds over the given selector, matcher-list and metric-name schemas. */
function indicatorKinds(selector: z.ZodType<string>, matchers: z.ZodType<string>, metric: z.ZodType<string>) {
  return z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('ratio'),
      errors: selector.describe('counter selector of bad events'),
      total: selector.describe('counter selector of all events'),
    }),
    z.strictObject({
      kind: z.literal('latency'),
      metric: metric.describe('histogram base name, without _bucket/_count'),
      matchers: matchers.default(''),
      le: z.number().positive().describe('the bucket bound a good event falls under, in the histogram unit'),
    }),
    z.strictObject({
      kind: z.literal('threshold'),
      selector: selector.describe('a gauge, e.g. etl_lag_seconds{pipeline="orders"}'),
      operator: z.enum(['<', '<=', '>', '>=']).default('<').describe('good when value OPERATOR bound'),
      bound: z.number(),
      sliceSeconds: z.number().int().min(10).max(3600).default(60).describe('time-slice length'),
    }),
  ]);
}
export const Indicator = indicatorKinds(Selector, Matchers, MetricName);
export type Indicator = z.infer<typeof Indicator>;
/**
 * An indicator as stored: definitions written before the selector grammar was enforced are read back
 * as they are (never a failed read); evaluation and rule generation check them and name the field.
 */
const StoredIndicator = indicatorKinds(z.string(), z.string(), z.string());

/** Rolling (`30d`, `4w`, `12h`) or calendar (`week`, `month`, `quarter`) windows. */
export const SloWindow = z
  .string()
  .regex(
    /^(\d+[hdw]|week|month|quarter)$/,
    'use a rolling duration like 30d, 28d, 4w, or a calendar week|month|quarter',
  );

/** Ids the fixed routes under /api/v1/slos answer (GET /slos/rules, GET /slos/status, POST /slos/import). */
export const RESERVED_SLO_IDS: readonly string[] = ['rules', 'status', 'import'];

const SloId = Slug.refine((id) => !RESERVED_SLO_IDS.includes(id), {
  error: (issue) =>
    `"${String(issue.input)}" is taken by the route /api/v1/slos/${String(issue.input)}; choose another id (${RESERVED_SLO_IDS.join(', ')} are reserved)`,
});

const SloFields = {
  name: ShortText,
  description: LongText,
  service: ServiceName,
  objective: z.number().gt(0).lt(100).describe('percent, e.g. 99.9'),
  window: SloWindow,
  timeZone: TimeZone.describe('calendar windows start at midnight in this zone'),
  indicator: Indicator,
  labels: Labels.refine((labels) => !Object.keys(labels).some((k) => RULE_LABELS.includes(k)), {
    error: `${RULE_LABELS.join(', ')} are set by the generated rules; choose other label names`,
  }),
  groupBy: z
    .array(GroupByLabel)
    .max(10)
    .refine((labels) => new Set(labels).size === labels.length, { error: 'lists a label twice' })
    .describe('label names to evaluate and alert on per value, e.g. ["route"]'),
  alerting: SloAlerting.optional(),
  minEvents: z.number().int().min(0).describe('no page when the short alert window holds fewer events'),
  runbookUrl: Url.nullable(),
};

/** Why grouping by a label that `labels` also sets fails (every group would get the same value), or null. */
export function groupByLabelsClash(slo: {
  labels?: Record<string, string>;
  groupBy?: readonly string[];
}): string | null {
  const clash = (slo.groupBy ?? []).find((l) => slo.labels !== undefined && Object.hasOwn(slo.labels, l));
  return clash === undefined
    ? null
    : `"${clash}" is also set in labels, which would give every group the same ${clash}; drop one`;
}

export const SloCreate = z
  .strictObject({
    id: SloId,
    ...SloFields,
    description: SloFields.description.default(''),
    window: SloFields.window.default('30d'),
    timeZone: SloFields.timeZone.default('UTC'),
    labels: SloFields.labels.default({}),
    groupBy: SloFields.groupBy.default([]),
    minEvents: SloFields.minEvents.default(0),
    runbookUrl: SloFields.runbookUrl.default(null),
  })
  .superRefine((slo, ctx) => {
    const clash = groupByLabelsClash(slo);
    if (clash) ctx.addIssue({ code: 'custom', path: ['groupBy'], message: clash });
  });
export type SloCreate = z.input<typeof SloCreate>;
/** A complete SLO definition, defaults applied: what the math and rule generation take. */
export type SloSpec = z.output<typeof SloCreate>;

export const SloUpdate = z.strictObject(SloFields).partial().extend(VersionField);

export const Slo = z.object({
  ...Stored,
  ...SloFields,
  indicator: StoredIndicator,
  labels: Labels,
  groupBy: z.array(z.string()),
  source: z.enum(['api', 'provisioning', 'import']),
});
export type Slo = z.infer<typeof Slo>;

export const SloListQuery = z.strictObject({ ...ListQueryBase });
