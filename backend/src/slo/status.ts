// Wire shapes of SLO status and budget series (DESIGN.md "Backend contract"): ratios as fractions,
// times as RFC 3339, null where Prometheus has no data (no traffic gives no SLI, not 100 %).
import { z } from 'zod';

const Ratio = z.number().nullable();
const BurnRates = z
  .record(z.string(), Ratio)
  .describe('burn rate per window: 5m, 30m, 1h, 2h, 6h, 1d, 3d (error ratio ÷ (1 − objective))');
const ErrorBudget = z.object({
  total: z.number().describe('allowed error ratio, 1 − objective'),
  consumed: Ratio.describe('share of the budget spent in the window'),
  remaining: Ratio.describe('1 − consumed; negative once overspent'),
});
const Alerts = z.object({ page: z.boolean(), ticket: z.boolean() });

const Indicators = {
  sli: Ratio.describe('1 − event-weighted error ratio over the window'),
  events: z.number().nullable().describe('events (or time slices) in the window'),
  errorBudget: ErrorBudget,
  burnRates: BurnRates,
  alerts: Alerts,
};

export const SloGroupStatus = z.object({
  labels: z.record(z.string(), z.string()).describe('the groupBy label values of this group'),
  ...Indicators,
});

export const SloStatus = z.object({
  id: z.string(),
  service: z.string(),
  objective: z.number().describe('fraction, e.g. 0.999'),
  window: z.object({ start: z.string(), end: z.string() }),
  ...Indicators,
  alerts: Alerts.describe('page/ticket when any group fires (the generated alerts fire per group)'),
  source: z.enum(['raw', 'rules']).describe("rules when Prometheus has this SLO's recording rules loaded"),
  excludedSeconds: z
    .number()
    .describe('seconds of the window left out by exclusions (adjustments, maintenance occurrences)'),
  groups: z.array(SloGroupStatus).optional(),
});
export type SloStatus = z.infer<typeof SloStatus>;
export type SloGroupStatus = z.infer<typeof SloGroupStatus>;

export const SloStatusError = z.object({ id: z.string(), error: z.string(), message: z.string() });
export const SloBatchStatus = z.object({
  evaluatedAt: z.string(),
  items: z.array(SloStatus),
  errors: z.array(SloStatusError).describe('SLOs that could not be evaluated and why'),
});
export type SloBatchStatus = z.infer<typeof SloBatchStatus>;

/** [RFC 3339 time, value] */
const Point = z.tuple([z.string(), z.number().nullable()]);
export const BudgetSeries = z.object({
  labels: z.record(z.string(), z.string()),
  remaining: z.array(Point).describe('error budget remaining over the SLO window ending at each point'),
  burnRate: z.array(Point).describe('burn rate over burnWindow ending at each point'),
});
export const SloBudget = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  step: z.number().describe('seconds between points'),
  burnWindow: z.string(),
  source: z.enum(['raw', 'rules']),
  series: z.array(BudgetSeries),
});
export type SloBudget = z.infer<typeof SloBudget>;
