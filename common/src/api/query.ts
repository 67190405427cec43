// Wire schemas of POST /api/v1/query: the data source's targets in, Grafana data frames out, shaped
// like Grafana's own backend query response so the plugin converts them without reshaping.
import { z } from 'zod';
import { ANNOTATION_SOURCES, QUERY_KINDS, VARIABLE_SOURCES } from '../query/frames';
import { MAX_COMPLIANCE_PERIODS, REPORT_PERIOD_KINDS } from '../reports/period';
import { Timestamp } from './primitives';

const Filter = z
  .string()
  .max(2000)
  .optional()
  .describe('comma-separated values, any of which matches (how a multi-value variable interpolates)');

/** The coarsest step a time-series target may ask for, a point a year; far longer ones overflow Prometheus's durations. */
export const MAX_STEP_DAYS = 366;
export const MAX_STEP_MS = MAX_STEP_DAYS * 86_400_000;

/** One target of a panel. Grafana adds its own keys (datasource, hide, key…); those are ignored. */
export const OpsdeckQuery = z.object({
  refId: z.string().min(1).max(100),
  kind: z.enum(QUERY_KINDS),
  service: Filter,
  slo: Filter.describe('SLO ids, comma-separated'),
  severity: Filter.describe('S1–S4, comma-separated'),
  risk: Filter.describe('Low, Med, High, comma-separated'),
  status: Filter.describe('incident or change statuses, comma-separated'),
  annotationSources: z.array(z.enum(ANNOTATION_SOURCES)).max(ANNOTATION_SOURCES.length).optional(),
  variable: z.enum(VARIABLE_SOURCES).optional(),
  burndownPoints: z
    .number()
    .int()
    .min(0)
    .max(500)
    .optional()
    .describe('points of the budget burn-down per SLO in slo-status; 0 leaves it out'),
  limit: z.number().int().min(1).max(5000).optional().describe('rows of a table kind; default 500'),
  period: z
    .string()
    .max(20)
    .optional()
    .describe(
      'slo-compliance: the last period shown, YYYY-MM, YYYY-Qn or YYYY-Www; default the one holding `to`',
    ),
  periodKind: z
    .enum(REPORT_PERIOD_KINDS)
    .optional()
    .describe('slo-compliance without `period`: month (default), quarter or week'),
  periods: z
    .number()
    .int()
    .min(1)
    .max(MAX_COMPLIANCE_PERIODS)
    .optional()
    .describe('slo-compliance: how many periods, ending with `period`; default 1'),
  maxDataPoints: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      `points the panel can show; a time series steps by at least (to − from) / maxDataPoints, at most ${MAX_STEP_DAYS}d`,
    ),
  intervalMs: z
    .number()
    .positive()
    .max(MAX_STEP_MS, `must be at most ${MAX_STEP_DAYS}d (${MAX_STEP_MS} ms)`)
    .optional()
    .describe(`the panel's interval, the shortest step of a time series; at most ${MAX_STEP_DAYS}d`),
});
export type OpsdeckQuery = z.infer<typeof OpsdeckQuery>;

export const QueryRequest = z.object({
  from: Timestamp,
  to: Timestamp,
  queries: z.array(OpsdeckQuery).min(1).max(50),
});
export type QueryRequest = z.infer<typeof QueryRequest>;

/** Grafana's DataFrameJSON: a schema of typed fields and their values column by column. */
export const DataFrameJson = z.object({
  schema: z.object({
    name: z.string().optional(),
    refId: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(
      z.object({
        name: z.string(),
        type: z.enum(['time', 'number', 'string', 'boolean', 'other']),
        config: z.record(z.string(), z.unknown()).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
    ),
  }),
  data: z.object({ values: z.array(z.array(z.unknown())) }),
});
export type DataFrameJson = z.infer<typeof DataFrameJson>;

/** One target's answer: frames, or an error that names what to fix (other targets still answer). */
export const QueryResult = z.object({
  frames: z.array(DataFrameJson),
  error: z.string().optional(),
  status: z.number().int().optional(),
});
export type QueryResult = z.infer<typeof QueryResult>;

export const QueryResponse = z.object({ results: z.record(z.string(), QueryResult) });
export type QueryResponse = z.infer<typeof QueryResponse>;
