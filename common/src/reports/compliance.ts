// Compliance of an SLO over a calendar period, from its event counts: SLI, met or missed, budget
// consumed; and the report as CSV. Pure, so the backend, the app and the PDF agree on every figure.
import { z } from 'zod';
import { errorBudgetRatio } from '../slo/math';

export interface ComplianceCounts {
  /** events (or time slices) in the period, excluded ones left out */
  events: number | null;
  /** bad events among them */
  badEvents: number | null;
}

export interface Compliance {
  /** 1 − bad ÷ events; null without events */
  sli: number | null;
  /** the SLI reached the objective; null without events */
  met: boolean | null;
  /** share of the period's error budget spent (over 1 once overspent) */
  budgetConsumed: number | null;
}

export function compliance(counts: ComplianceCounts, objectivePercent: number): Compliance {
  const { events, badEvents } = counts;
  if (events === null || badEvents === null || !(events > 0))
    return { sli: null, met: null, budgetConsumed: null };
  const errorRatio = badEvents / events;
  const sli = 1 - errorRatio;
  // compared in the error domain: 1 − 0.999 written as a fraction loses digits
  return {
    sli,
    met: errorRatio <= errorBudgetRatio(objectivePercent) + 1e-12,
    budgetConsumed: errorRatio / errorBudgetRatio(objectivePercent),
  };
}

/** One SLO's row of a report, as the API answers it. */
export const ComplianceRow = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string(),
  objective: z.number().describe('fraction, e.g. 0.999'),
  sli: z.number().nullable().describe('1 − bad ÷ events over the period; null without events'),
  met: z.boolean().nullable().describe('the SLI reached the objective; null without events'),
  budgetConsumed: z
    .number()
    .nullable()
    .describe("share of the period's error budget spent (over 1 once overspent)"),
  start: z.string().describe("the period's start as this SLO counts it (its calendar's time zone, else UTC)"),
  end: z.string().describe("the period's end, or now while it runs"),
  events: z.number().nullable().describe('events (or time slices) in the period, excluded ones left out'),
  badEvents: z.number().nullable(),
  excludedSeconds: z.number().describe('seconds of the period left out by exclusions'),
  incidents: z
    .array(z.object({ id: z.string(), title: z.string(), severity: z.string() }))
    .describe('incidents whose impact overlapped the period and that name the SLO (sloIds) or its service'),
});
export type ComplianceRow = z.infer<typeof ComplianceRow>;

export const ComplianceReport = z.object({
  period: z.string(),
  generatedAt: z.string(),
  complete: z.boolean().describe('false while the period is still running: figures cover its start to now'),
  items: z.array(ComplianceRow),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;

export const COMPLIANCE_CSV_COLUMNS = [
  'slo',
  'name',
  'service',
  'objective',
  'sli',
  'met',
  'budget_consumed',
  'events',
  'bad_events',
  'excluded_seconds',
  'incidents',
  'start',
  'end',
] as const;

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180); formulas defused. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  // a spreadsheet runs a cell starting with = + - @ as a formula: names and titles come from users
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function complianceCsv(rows: readonly ComplianceRow[]): string {
  const lines = [COMPLIANCE_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.name,
        r.service,
        r.objective,
        r.sli,
        r.met,
        r.budgetConsumed,
        r.events,
        r.badEvents,
        r.excludedSeconds,
        r.incidents.map((i) => `${i.severity} ${i.title}`).join('; '),
        r.start,
        r.end,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
