// Builds Grafana data frames (DataFrameJSON) for the data source's query kinds from stored documents
// and SLO evaluations, using the field names @opsdeck/common defines for both sides.
import {
  ANNOTATION_FIELDS,
  type Change,
  type ComplianceReport,
  SLO_COMPLIANCE_FIELDS as C,
  type DataFrameJson,
  FRAME_NAMES,
  type Incident,
  type MaintenanceWindow,
  type Occurrence,
  SLO_STATUS_FIELDS as S,
  type SloAlertState,
  VARIABLE_FIELDS,
  type IncidentStatistics,
  burnRateField,
  secondsToExhaustion,
  windowSeconds,
} from '@opsdeck/common';
import type { Annotation } from '../annotations/query';
import type { SloBudget, SloStatus } from '../slo/status';

type FieldType = DataFrameJson['schema']['fields'][number]['type'];

export interface Column {
  name: string;
  type: FieldType;
  values: unknown[];
  config?: Record<string, unknown>;
  labels?: Record<string, string>;
}

export function frame(name: string, refId: string, columns: Column[]): DataFrameJson {
  return {
    schema: {
      name,
      refId,
      fields: columns.map((c) => ({
        name: c.name,
        type: c.type,
        ...(c.config ? { config: c.config } : {}),
        ...(c.labels ? { labels: c.labels } : {}),
      })),
    },
    data: { values: columns.map((c) => c.values) },
  };
}

const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);
const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export const alertWord = (alerts: { page: boolean; ticket: boolean }): SloAlertState =>
  alerts.page ? 'page' : alerts.ticket ? 'ticket' : 'ok';

/** The "current burn" that time to exhaustion extrapolates: the 1h burn rate, as the page alert judges it. */
export const CURRENT_BURN_WINDOW = '1h';

export interface SloStatusRow {
  name: string;
  window: string;
  status: SloStatus;
  burndown: Array<[number, number]>;
}

export function sloStatusFrame(
  refId: string,
  rows: SloStatusRow[],
  burnWindows: readonly string[],
): DataFrameJson {
  const col = (
    name: string,
    type: FieldType,
    pick: (r: SloStatusRow) => unknown,
    config?: Record<string, unknown>,
  ): Column => ({
    name,
    type,
    values: rows.map(pick),
    ...(config ? { config } : {}),
  });
  return frame(FRAME_NAMES.sloStatus, refId, [
    col(S.id, 'string', (r) => r.status.id, { displayName: 'SLO id' }),
    col(S.name, 'string', (r) => r.name, { displayName: 'SLO' }),
    col(S.service, 'string', (r) => r.status.service, { displayName: 'Service' }),
    col(S.objective, 'number', (r) => r.status.objective, {
      displayName: 'Objective',
      unit: 'percentunit',
      decimals: 3,
    }),
    col(S.sli, 'number', (r) => r.status.sli, { displayName: 'SLI', unit: 'percentunit', decimals: 3 }),
    col(S.window, 'string', (r) => r.window, { displayName: 'Window' }),
    col(S.windowStart, 'time', (r) => ms(r.status.window.start), { displayName: 'Window start' }),
    col(S.windowEnd, 'time', (r) => ms(r.status.window.end), { displayName: 'Window end' }),
    col(S.budgetTotal, 'number', (r) => r.status.errorBudget.total, {
      displayName: 'Error budget',
      unit: 'percentunit',
    }),
    col(S.budgetConsumed, 'number', (r) => r.status.errorBudget.consumed, {
      displayName: 'Budget consumed',
      unit: 'percentunit',
    }),
    col(S.budgetRemaining, 'number', (r) => r.status.errorBudget.remaining, {
      displayName: 'Budget remaining',
      unit: 'percentunit',
    }),
    ...burnWindows.map((w) =>
      col(burnRateField(w), 'number', (r) => r.status.burnRates[w] ?? null, {
        displayName: `Burn ${w}`,
        decimals: 2,
      }),
    ),
    col(S.alert, 'string', (r) => alertWord(r.status.alerts), { displayName: 'Alert' }),
    col(S.exhaustionSeconds, 'number', (r) => exhaustion(r), {
      displayName: 'Time to exhaustion',
      unit: 's',
    }),
    col(S.burndown, 'other', (r) => r.burndown, { displayName: 'Burn-down' }),
  ]);
}

/** Seconds until the budget is gone at the current burn; null when nothing burns or nothing is known. */
function exhaustion(row: SloStatusRow): number | null {
  const remaining = row.status.errorBudget.remaining;
  const burn = row.status.burnRates[CURRENT_BURN_WINDOW];
  if (remaining === null || remaining === undefined) return null;
  return finiteOrNull(secondsToExhaustion(remaining, burn ?? 0, row.window));
}

/** Step of a burn-down with `points` points across the SLO window, whole minutes, at least one. */
export function burndownStepSeconds(window: string, points: number): number {
  return Math.max(60, Math.ceil(windowSeconds(window) / points / 60) * 60);
}

/** One frame per SLO group: remaining budget and burn rate on a shared time column. */
export function sloBudgetFrames(refId: string, budget: SloBudget, service: string): DataFrameJson[] {
  return budget.series.map((s) => {
    const times = [...new Set([...s.remaining, ...s.burnRate].map(([t]) => Date.parse(t)))].sort(
      (a, b) => a - b,
    );
    const remaining = new Map(s.remaining.map(([t, v]) => [Date.parse(t), v]));
    const burn = new Map(s.burnRate.map(([t, v]) => [Date.parse(t), v]));
    const labels = { slo: budget.id, service, ...s.labels };
    return frame(FRAME_NAMES.sloBudget, refId, [
      { name: 'time', type: 'time', values: times },
      {
        name: 'budgetRemaining',
        type: 'number',
        values: times.map((t) => remaining.get(t) ?? null),
        labels,
        config: { displayNameFromDS: `${budget.id} budget remaining`, unit: 'percentunit' },
      },
      {
        name: 'burnRate',
        type: 'number',
        values: times.map((t) => burn.get(t) ?? null),
        labels,
        config: { displayNameFromDS: `${budget.id} burn rate (${budget.burnWindow})`, decimals: 2 },
      },
    ]);
  });
}

export function incidentsFrame(refId: string, incidents: Incident[]): DataFrameJson {
  return frame(FRAME_NAMES.incidents, refId, [
    { name: 'id', type: 'string', values: incidents.map((i) => i.id) },
    {
      name: 'title',
      type: 'string',
      values: incidents.map((i) => i.title),
      config: { displayName: 'Title' },
    },
    {
      name: 'severity',
      type: 'string',
      values: incidents.map((i) => i.severity),
      config: { displayName: 'Severity' },
    },
    {
      name: 'status',
      type: 'string',
      values: incidents.map((i) => i.status),
      config: { displayName: 'Status' },
    },
    {
      name: 'service',
      type: 'string',
      values: incidents.map((i) => i.service),
      config: { displayName: 'Service' },
    },
    {
      name: 'startedAt',
      type: 'time',
      values: incidents.map((i) => ms(i.startedAt)),
      config: { displayName: 'Started' },
    },
    {
      name: 'acknowledgedAt',
      type: 'time',
      values: incidents.map((i) => ms(i.acknowledgedAt)),
      config: { displayName: 'Acknowledged' },
    },
    {
      name: 'resolvedAt',
      type: 'time',
      values: incidents.map((i) => ms(i.resolvedAt)),
      config: { displayName: 'Resolved' },
    },
  ]);
}

export function changesFrame(refId: string, changes: Change[]): DataFrameJson {
  return frame(FRAME_NAMES.changes, refId, [
    { name: 'id', type: 'string', values: changes.map((c) => c.id) },
    { name: 'title', type: 'string', values: changes.map((c) => c.title), config: { displayName: 'Title' } },
    { name: 'kind', type: 'string', values: changes.map((c) => c.kind), config: { displayName: 'Kind' } },
    { name: 'risk', type: 'string', values: changes.map((c) => c.risk), config: { displayName: 'Risk' } },
    {
      name: 'status',
      type: 'string',
      values: changes.map((c) => c.status),
      config: { displayName: 'Status' },
    },
    {
      name: 'service',
      type: 'string',
      values: changes.map((c) => c.service),
      config: { displayName: 'Service' },
    },
    { name: 'owner', type: 'string', values: changes.map((c) => c.owner), config: { displayName: 'Owner' } },
    {
      name: 'start',
      type: 'time',
      values: changes.map((c) => ms(c.startedAt ?? c.plannedStart)),
      config: { displayName: 'Start' },
    },
    {
      name: 'end',
      type: 'time',
      values: changes.map((c) => ms(c.finishedAt ?? c.plannedEnd)),
      config: { displayName: 'End' },
    },
    { name: 'rfcUrl', type: 'string', values: changes.map((c) => c.rfcUrl), config: { displayName: 'RFC' } },
  ]);
}

export function scheduleSummary(w: MaintenanceWindow): string {
  const s = w.schedule;
  if (s.kind === 'once') return `once ${s.start} – ${s.end}`;
  if (s.kind === 'weekly')
    return `weekly ${s.days.join(',')} ${s.startTime} for ${s.durationMinutes}m (${w.timeZone})`;
  return `${s.rrule} from ${s.start} for ${s.durationMinutes}m (${w.timeZone})`;
}

export function maintenanceWindowsFrame(
  refId: string,
  windows: Array<{ window: MaintenanceWindow; next: Occurrence | undefined }>,
): DataFrameJson {
  return frame(FRAME_NAMES.maintenanceWindows, refId, [
    { name: 'id', type: 'string', values: windows.map((w) => w.window.id) },
    {
      name: 'name',
      type: 'string',
      values: windows.map((w) => w.window.name),
      config: { displayName: 'Window' },
    },
    {
      name: 'service',
      type: 'string',
      values: windows.map((w) => w.window.service),
      config: { displayName: 'Service' },
    },
    {
      name: 'enabled',
      type: 'boolean',
      values: windows.map((w) => w.window.enabled),
      config: { displayName: 'Enabled' },
    },
    {
      name: 'schedule',
      type: 'string',
      values: windows.map((w) => scheduleSummary(w.window)),
      config: { displayName: 'Schedule' },
    },
    {
      name: 'matchers',
      type: 'string',
      values: windows.map((w) => w.window.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')),
      config: { displayName: 'Silences' },
    },
    {
      name: 'nextStart',
      type: 'time',
      values: windows.map((w) => ms(w.next?.start)),
      config: { displayName: 'Next start' },
    },
    {
      name: 'nextEnd',
      type: 'time',
      values: windows.map((w) => ms(w.next?.end)),
      config: { displayName: 'Next end' },
    },
  ]);
}

export function incidentMetricsFrame(refId: string, stats: IncidentStatistics): DataFrameJson {
  return frame(FRAME_NAMES.incidentMetrics, refId, [
    { name: 'incidents', type: 'number', values: [stats.incidents], config: { displayName: 'Incidents' } },
    { name: 'open', type: 'number', values: [stats.open], config: { displayName: 'Open now' } },
    { name: 'resolved', type: 'number', values: [stats.resolved], config: { displayName: 'Resolved' } },
    {
      name: 'ackOverdue',
      type: 'number',
      values: [stats.ackOverdue],
      config: { displayName: 'Ack overdue' },
    },
    {
      name: 'mttaSeconds',
      type: 'number',
      values: [stats.mttaSeconds],
      config: { displayName: 'MTTA', unit: 's' },
    },
    {
      name: 'mttrSeconds',
      type: 'number',
      values: [stats.mttrSeconds],
      config: { displayName: 'MTTR', unit: 's' },
    },
  ]);
}

export function annotationsFrame(refId: string, annotations: Annotation[]): DataFrameJson {
  return frame(FRAME_NAMES.annotations, refId, [
    { name: ANNOTATION_FIELDS.time, type: 'time', values: annotations.map((a) => a.time) },
    { name: ANNOTATION_FIELDS.timeEnd, type: 'time', values: annotations.map((a) => a.timeEnd) },
    { name: ANNOTATION_FIELDS.title, type: 'string', values: annotations.map((a) => a.title) },
    { name: ANNOTATION_FIELDS.text, type: 'string', values: annotations.map((a) => a.text) },
    { name: ANNOTATION_FIELDS.tags, type: 'other', values: annotations.map((a) => a.tags) },
    { name: ANNOTATION_FIELDS.source, type: 'string', values: annotations.map((a) => a.kind) },
    { name: ANNOTATION_FIELDS.id, type: 'string', values: annotations.map((a) => a.id) },
  ]);
}

/** One row per SLO and period, the periods in the order given (oldest first). */
export function sloComplianceFrame(refId: string, reports: readonly ComplianceReport[]): DataFrameJson {
  const rows = reports.flatMap((r) => r.items.map((item) => ({ report: r, item })));
  const col = (
    name: string,
    type: FieldType,
    value: (r: (typeof rows)[number]) => unknown,
    config?: Record<string, unknown>,
  ) => ({
    name,
    type,
    values: rows.map(value),
    ...(config ? { config } : {}),
  });
  return frame(FRAME_NAMES.sloCompliance, refId, [
    col(C.period, 'string', (r) => r.report.period),
    col(C.periodStart, 'time', (r) => Date.parse(r.item.start)),
    col(C.periodEnd, 'time', (r) => Date.parse(r.item.end)),
    col(C.complete, 'boolean', (r) => r.report.complete),
    col(C.id, 'string', (r) => r.item.id),
    col(C.name, 'string', (r) => r.item.name),
    col(C.service, 'string', (r) => r.item.service),
    col(C.objective, 'number', (r) => r.item.objective, { unit: 'percentunit' }),
    col(C.sli, 'number', (r) => r.item.sli, { unit: 'percentunit', decimals: 3 }),
    col(C.met, 'boolean', (r) => r.item.met),
    col(C.budgetConsumed, 'number', (r) => r.item.budgetConsumed, { unit: 'percentunit' }),
    col(C.events, 'number', (r) => r.item.events),
    col(C.badEvents, 'number', (r) => r.item.badEvents),
    col(C.excludedSeconds, 'number', (r) => r.item.excludedSeconds, { unit: 's' }),
    col(C.incidents, 'number', (r) => r.item.incidents.length),
  ]);
}

export function variableValuesFrame(
  refId: string,
  options: Array<{ text: string; value: string }>,
): DataFrameJson {
  return frame(FRAME_NAMES.variableValues, refId, [
    { name: VARIABLE_FIELDS.text, type: 'string', values: options.map((o) => o.text) },
    { name: VARIABLE_FIELDS.value, type: 'string', values: options.map((o) => o.value) },
  ]);
}
