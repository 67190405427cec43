// Prometheus rule groups for SLOs: the recording rules of promql.ts plus multi-window multi-burn-rate
// alerts, a group per SLO and a slower one for its window, as objects and as a YAML file for `rule_files`.
import { stringify } from 'yaml';
import { excludedWithin } from './exclusions';
import { BURN_RATE_ALERTS, burnRateFactor, errorBudgetRatio, objectiveFraction, roundRatio } from './math';
import {
  RECORDED,
  RULE_INTERVAL,
  type SloDefinitionError,
  WINDOW_RULE_INTERVAL,
  recordedSelector,
  recordingExpressions,
  sloDefinitionError,
  windowRecordingExpressions,
} from './promql';
import { ALERT_TIER_LABEL, DEFAULT_ALERT_SEVERITIES, type SloSpec } from './spec';
import { formatDuration, windowSeconds } from './windows';

/** Every generated alert has this name; `slo`, `slo_tier`, `long` and `short` labels tell them apart. */
export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';
/** The SLO's objective as a fraction, recorded so dashboards can draw it beside the SLI. */
export const OBJECTIVE_RECORD = 'slo:objective:ratio';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}
export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export type PrometheusRule = RecordingRule | AlertingRule;
export interface RuleGroup {
  name: string;
  interval: string;
  rules: PrometheusRule[];
}
export interface RuleFile {
  groups: RuleGroup[];
}

/**
 * What rule generation reads from an SLO: a full spec, where stored definitions may lack the fields
 * added since (`alerting`).
 */
export type RuleSlo = Omit<SloSpec, 'alerting'> & Partial<Pick<SloSpec, 'alerting'>>;

export interface RuleOptions {
  /** the opsdeck app's URL in Grafana; alerts of SLOs without a runbookUrl link its runbook search */
  appUrl: string;
}

/** Path of the opsdeck app's pages in Grafana (`/a/<plugin id>`, the id of app-plugin/src/plugin.json). */
export const SRE_APP_PATH = '/a/opsdeck-sre-app';
/** Grafana's default address (root_url) with the app's path: where the app is unless configured. */
export const DEFAULT_APP_URL = `http://localhost:3000${SRE_APP_PATH}`;

/** The app's runbook page searching a service's runbooks (the `rbService` query the app reads). */
export function runbookSearchUrl(appUrl: string, service: string): string {
  return `${appUrl.replace(/\/+$/, '')}/runbooks?${new URLSearchParams({ rbService: service }).toString()}`;
}

/**
 * `text` as a Go template (Prometheus expands alert labels and annotations) that prints exactly `text`:
 * every `{` becomes the action `{{ "{" }}`, so no `{{` of the data can open an action.
 */
export function templateLiteral(text: string): string {
  return text.replace(/\{/g, '{{ "{" }}');
}

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

export function ruleGroupName(sloId: string): string {
  return `opsdeck-slo-${sloId}`;
}

/** Name of an SLO's window group; `:` cannot occur in an SLO id, so no SLO's main group can take it. */
export function windowRuleGroupName(sloId: string): string {
  return `${ruleGroupName(sloId)}:window`;
}

/**
 * Labels every series of the SLO carries. `service` is left out when the SLO is grouped by service:
 * then each series keeps its own service from the source metrics, and alerts name the real service.
 */
function seriesLabels(slo: RuleSlo): Record<string, string> {
  return slo.groupBy.includes('service') ? { slo: slo.id } : { slo: slo.id, service: slo.service };
}

function percent(ratio: number): string {
  return `${roundRatio(ratio * 100)}%`;
}

function burnAlert(
  slo: RuleSlo,
  alert: (typeof BURN_RATE_ALERTS)[number],
  options: RuleOptions,
): AlertingRule | null {
  const factor = burnRateFactor(alert, slo.window);
  const threshold = roundRatio(factor * errorBudgetRatio(slo.objective));
  // an error ratio never exceeds 1: with a low objective (75 %) the fast rows could never fire
  if (threshold >= 1) return null;
  const above = (window: string) => `${recordedSelector(RECORDED.errorRatio(window), slo.id)} > ${threshold}`;
  const conditions = [above(alert.long), above(alert.short)];
  if (alert.severity === 'page' && slo.minEvents > 0) {
    conditions.push(`${recordedSelector(RECORDED.events(alert.short), slo.id)} >= ${slo.minEvents}`);
  }
  // groupBy labels are label names (checked by sloDefinitionError before any rule is built)
  const group = slo.groupBy.map((label) => `${label}={{ $labels.${label} }}`).join(', ');
  const name = templateLiteral(slo.name);
  const exhaustion = formatDuration(Math.round(windowSeconds(slo.window) / factor));
  const annotations: Record<string, string> = {
    summary: `${name}: error budget burning ${factor}x too fast${group ? ` (${group})` : ''}`,
    description:
      `The error ratio of SLO ${slo.id} (${slo.service}) over ${alert.long} is {{ $value | humanizePercentage }} ` +
      `and stays above ${percent(threshold)} over ${alert.short}, a burn rate above ${factor}x ` +
      `(the ${slo.objective}% objective allows ${percent(errorBudgetRatio(slo.objective))}). ` +
      `At this rate the ${slo.window} error budget is gone in ${exhaustion}.`,
  };
  annotations.runbook_url = templateLiteral(
    slo.runbookUrl && isWebUrl(slo.runbookUrl)
      ? slo.runbookUrl
      : runbookSearchUrl(options.appUrl, slo.service),
  );
  const severities = slo.alerting ?? DEFAULT_ALERT_SEVERITIES;
  const labels: Record<string, string> = {
    ...slo.labels,
    ...seriesLabels(slo),
    severity: alert.severity === 'page' ? severities.pageSeverity : severities.ticketSeverity,
    [ALERT_TIER_LABEL]: alert.severity,
    long: alert.long,
    short: alert.short,
  };
  return {
    alert: SLO_ALERT_NAME,
    // planned work and adjustments: no row fires while its short window touches an exclusion
    expr: `${conditions.join(' and ')} unless on() ${excludedWithin(slo.id, alert.short)}`,
    for: alert.for,
    labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, templateLiteral(v)])),
    annotations,
  };
}

/**
 * One SLO's group: objective, recordings (in dependency order), then the burn-rate alerts — all four
 * rows, less those whose threshold (factor × budget) reaches 100 % errors and so could never fire.
 */
export function sloRuleGroup(slo: RuleSlo, options: RuleOptions = { appUrl: DEFAULT_APP_URL }): RuleGroup {
  const labels = seriesLabels(slo);
  const records: RecordingRule[] = [
    { record: OBJECTIVE_RECORD, expr: `vector(${objectiveFraction(slo.objective)})`, labels },
    ...recordingExpressions(slo).map((r) => ({ ...r, labels })),
  ];
  return {
    name: ruleGroupName(slo.id),
    interval: RULE_INTERVAL,
    rules: [...records, ...BURN_RATE_ALERTS.map((a) => burnAlert(slo, a, options)).filter((a) => a !== null)],
  };
}

/**
 * The SLO-window recordings (errors, events and ratio over a rolling window) in their own group at a
 * slower interval: each evaluation sums a whole window of 5m increases. Null for calendar windows.
 */
export function sloWindowRuleGroup(slo: RuleSlo): RuleGroup | null {
  const labels = seriesLabels(slo);
  const rules = windowRecordingExpressions(slo).map((r) => ({ ...r, labels }));
  return rules.length === 0
    ? null
    : { name: windowRuleGroupName(slo.id), interval: WINDOW_RULE_INTERVAL, rules };
}

/** Every rule group of one SLO: the main group, then its window group when it has one. */
export function sloRuleGroups(slo: RuleSlo, options: RuleOptions = { appUrl: DEFAULT_APP_URL }): RuleGroup[] {
  const window = sloWindowRuleGroup(slo);
  const main = sloRuleGroup(slo, options);
  return window === null ? [main] : [main, window];
}

/** An SLO left out of the rule file, and the field that kept it out. */
export interface SkippedSlo {
  id: string;
  error: SloDefinitionError;
}

/**
 * The rule file of all SLOs that can become rules. A definition that cannot (stored before the
 * selector grammar was enforced) is left out and reported, so it never takes the others' rules down.
 */
export function sloRuleFile(
  slos: readonly RuleSlo[],
  options: RuleOptions = { appUrl: DEFAULT_APP_URL },
): { file: RuleFile; skipped: SkippedSlo[] } {
  const skipped: SkippedSlo[] = [];
  const groups: RuleGroup[] = [];
  for (const slo of slos) {
    const error = sloDefinitionError(slo);
    if (error) skipped.push({ id: slo.id, error });
    else groups.push(...sloRuleGroups(slo, options));
  }
  return { file: { groups }, skipped };
}

/** One line of a YAML comment: line breaks and other non-printable characters become spaces. */
const commentText = (text: string) => text.replace(/[\p{Cc}\p{Cs}\u2028\u2029\ufeff\ufffe\uffff]/gu, ' ');

/**
 * The rule file as YAML, long expressions on one line so they stay greppable, each skipped SLO named
 * with its field in a comment at the top; and the skipped SLOs, for the caller to log.
 */
export function sloRulesDocument(
  slos: readonly RuleSlo[],
  options: RuleOptions = { appUrl: DEFAULT_APP_URL },
): { yaml: string; skipped: SkippedSlo[] } {
  const { file, skipped } = sloRuleFile(slos, options);
  const header =
    `# Prometheus rules for ${slos.length - skipped.length} SLO(s), generated by opsdeck (opsdeck rules). Do not edit by hand.\n` +
    skipped.map((s) => `# skipped SLO ${commentText(s.id)}: ${commentText(s.error.message)}\n`).join('');
  return { yaml: header + stringify(file, { lineWidth: 0, aliasDuplicateObjects: false }), skipped };
}

export function sloRulesYaml(slos: readonly RuleSlo[], options?: RuleOptions): string {
  return sloRulesDocument(slos, options).yaml;
}
