// The SLO definition: service, objective, window and one of three indicator kinds.
import { z } from 'zod';
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

const Selector = z
  .string()
  .min(1)
  .max(2000)
  .describe('a PromQL series selector, e.g. http_requests_total{job="api",code=~"5.."}');
const MetricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name');
const Matchers = z
  .string()
  .max(2000)
  .describe('label matchers without braces, e.g. job="api",method="GET"; empty for none');

export const RatioIndicator = z.strictObject({
  kind: z.literal('ratio'),
  errors: Selector.describe('counter selector of bad events'),
  total: Selector.describe('counter selector of all events'),
});
export const LatencyIndicator = z.strictObject({
  kind: z.literal('latency'),
  metric: MetricName.describe('histogram base name, without _bucket/_count'),
  matchers: Matchers.default(''),
  le: z.number().positive().describe('the bucket bound a good event falls under, in the histogram unit'),
});
export const ThresholdIndicator = z.strictObject({
  kind: z.literal('threshold'),
  selector: Selector.describe('a gauge, e.g. etl_lag_seconds{pipeline="orders"}'),
  operator: z.enum(['<', '<=', '>', '>=']).default('<').describe('good when value OPERATOR bound'),
  bound: z.number(),
  sliceSeconds: z.number().int().min(10).max(3600).default(60).describe('time-slice length'),
});
export const Indicator = z.discriminatedUnion('kind', [RatioIndicator, LatencyIndicator, ThresholdIndicator]);
export type Indicator = z.infer<typeof Indicator>;

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
  labels: Labels,
  groupBy: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)).max(10),
  minEvents: z.number().int().min(0).describe('no page when the short alert window holds fewer events'),
  runbookUrl: Url.nullable(),
};

export const SloCreate = z.strictObject({
  id: SloId,
  ...SloFields,
  description: SloFields.description.default(''),
  window: SloFields.window.default('30d'),
  timeZone: SloFields.timeZone.default('UTC'),
  labels: SloFields.labels.default({}),
  groupBy: SloFields.groupBy.default([]),
  minEvents: SloFields.minEvents.default(0),
  runbookUrl: SloFields.runbookUrl.default(null),
});
export type SloCreate = z.input<typeof SloCreate>;
/** A complete SLO definition, defaults applied: what the math and rule generation take. */
export type SloSpec = z.output<typeof SloCreate>;

export const SloUpdate = z.strictObject(SloFields).partial().extend(VersionField);

export const Slo = z.object({
  ...Stored,
  ...SloFields,
  indicator: Indicator,
  source: z.enum(['api', 'provisioning', 'import']),
});
export type Slo = z.infer<typeof Slo>;

export const SloListQuery = z.strictObject({ ...ListQueryBase });
