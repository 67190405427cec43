// The opsdeck data source's query kinds and the data-frame fields each kind answers with: the backend
// builds frames from these names and the plugins read them back, so both sides agree by construction.

export const QUERY_KINDS = [
  'slo-status',
  'slo-budget',
  'slo-compliance',
  'incidents',
  'changes',
  'maintenance-windows',
  'incident-metrics',
  'annotations',
  'variable-values',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** What the query editor offers, with the frame shape each kind produces. */
export const QUERY_KIND_INFO: Readonly<Record<QueryKind, { label: string; description: string }>> = {
  'slo-status': {
    label: 'SLO status',
    description: 'table: one row per SLO with SLI, budget, burn rates, alert state',
  },
  'slo-budget': {
    label: 'SLO budget & burn rate',
    description: 'time series: remaining budget and burn rates per SLO',
  },
  'slo-compliance': {
    label: 'SLO compliance',
    description:
      'table: one row per SLO and calendar period (month, quarter, ISO week) with SLI, met or missed',
  },
  incidents: { label: 'Incidents', description: 'table of incidents in the time range' },
  changes: { label: 'Changes', description: 'table of changes in the time range' },
  'maintenance-windows': {
    label: 'Maintenance windows',
    description: 'table of windows with their next occurrence',
  },
  'incident-metrics': {
    label: 'Incident metrics',
    description: 'stats: open incidents, MTTA, MTTR, overdue',
  },
  annotations: {
    label: 'Annotations',
    description: 'incidents, changes and maintenance occurrences as events',
  },
  'variable-values': {
    label: 'Variable values',
    description: 'services, SLOs or severities for template variables',
  },
};

/** The kinds a person picks in the query editor (annotations and variables have editors of their own). */
export const EDITOR_QUERY_KINDS: readonly QueryKind[] = QUERY_KINDS.filter(
  (k) => k !== 'annotations' && k !== 'variable-values',
);

export const QUERY_FILTERS = ['service', 'slo', 'severity', 'risk', 'status'] as const;
export type QueryFilter = (typeof QUERY_FILTERS)[number];

/** The filters each kind honours; the editor shows these and the backend rejects the others. */
export const QUERY_KIND_FILTERS: Readonly<Record<QueryKind, readonly QueryFilter[]>> = {
  'slo-status': ['service', 'slo'],
  'slo-budget': ['service', 'slo'],
  'slo-compliance': ['service', 'slo'],
  incidents: ['service', 'severity', 'status'],
  changes: ['service', 'risk', 'status'],
  'maintenance-windows': ['service'],
  'incident-metrics': ['service', 'severity'],
  annotations: ['service', 'severity', 'risk'],
  'variable-values': ['service'],
};

export const VARIABLE_SOURCES = ['services', 'slos', 'severities'] as const;
export type VariableSource = (typeof VARIABLE_SOURCES)[number];

export const ANNOTATION_SOURCES = ['incident', 'change', 'maintenance', 'exclusion'] as const;
export type AnnotationSource = (typeof ANNOTATION_SOURCES)[number];

/** Frame names, so a panel can tell an SLO status frame from any other frame it is given. */
export const FRAME_NAMES = {
  sloStatus: 'opsdeck-slo-status',
  sloBudget: 'opsdeck-slo-budget',
  incidents: 'opsdeck-incidents',
  changes: 'opsdeck-changes',
  maintenanceWindows: 'opsdeck-maintenance-windows',
  incidentMetrics: 'opsdeck-incident-metrics',
  annotations: 'opsdeck-annotations',
  sloCompliance: 'opsdeck-slo-compliance',
  variableValues: 'opsdeck-variable-values',
} as const;

/** Multi-window alert state of an SLO as one word: page wins over ticket. */
export const SLO_ALERT_STATES = ['page', 'ticket', 'ok'] as const;
export type SloAlertState = (typeof SLO_ALERT_STATES)[number];

/**
 * Fields of the SLO status frame, one row per SLO. Ratios are fractions (99.9 % is 0.999), times
 * epoch milliseconds, `exhaustionSeconds` null when nothing burns, `burndown` a list of
 * `[epochMs, remainingBudget]` pairs across the window.
 */
export const SLO_STATUS_FIELDS = {
  id: 'id',
  name: 'name',
  service: 'service',
  objective: 'objective',
  sli: 'sli',
  window: 'window',
  windowStart: 'windowStart',
  windowEnd: 'windowEnd',
  budgetTotal: 'budgetTotal',
  budgetConsumed: 'budgetConsumed',
  budgetRemaining: 'budgetRemaining',
  alert: 'alert',
  exhaustionSeconds: 'exhaustionSeconds',
  burndown: 'burndown',
} as const;

/**
 * Fields of the SLO compliance frame, one row per SLO and period, oldest period first: the figures
 * of GET /reports/slos (ratios as fractions, `met` null without events, times epoch milliseconds).
 */
export const SLO_COMPLIANCE_FIELDS = {
  period: 'period',
  periodStart: 'periodStart',
  periodEnd: 'periodEnd',
  complete: 'complete',
  id: 'id',
  name: 'name',
  service: 'service',
  objective: 'objective',
  sli: 'sli',
  met: 'met',
  budgetConsumed: 'budgetConsumed',
  events: 'events',
  badEvents: 'badEvents',
  excludedSeconds: 'excludedSeconds',
  incidents: 'incidents',
} as const;

/** Burn-rate fields of the status frame are named after their window: `burn_5m`, `burn_1h`, … */
export const BURN_RATE_FIELD_PREFIX = 'burn_';
export const burnRateField = (window: string): string => `${BURN_RATE_FIELD_PREFIX}${window}`;

/** Fields of an annotation frame, named as Grafana's annotation support reads them. */
export const ANNOTATION_FIELDS = {
  time: 'time',
  timeEnd: 'timeEnd',
  title: 'title',
  text: 'text',
  tags: 'tags',
  source: 'source',
  id: 'id',
} as const;

/** Fields of a variable-values frame, as Grafana's variable support reads them. */
export const VARIABLE_FIELDS = { text: 'text', value: 'value' } as const;

/**
 * Filter values as written in a query: comma-separated (how a multi-value template variable is
 * interpolated), blanks dropped; an empty list means "no filter".
 */
export function filterValues(text: string | undefined | null): string[] {
  if (!text) return [];
  return [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
}
