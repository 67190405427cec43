// Prometheus rule groups for SLOs: the recording rules of promql.ts plus multi-window multi-burn-rate
// alerts, a group per SLO and a slower one for its window, as objects and as a YAML file for `rule_files`.
import { stringify } from 'yaml';
import { excludedWithin } from './exclusions';
import { BURN_RATE_ALERTS, burnRateFactor, errorBudgetRatio, objectiveFraction, roundRatio } from './math';
import {
  RECORDED,
  RULE_INTERVAL,
  WINDOW_RULE_INTERVAL,
  recordedSelector,
  recordingExpressions,
  windowRecordingExpressions,
} from './promql';
import type { SloSpec } from './spec';
import { formatDuration, windowSeconds } from './windows';

/** Every generated alert has this name; `slo`, `severity`, `long` and `short` labels tell them apart. */
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
function seriesLabels(slo: SloSpec): Record<string, string> {
  return slo.groupBy.includes('service') ? { slo: slo.id } : { slo: slo.id, service: slo.service };
}

function percent(ratio: number): string {
  return `${roundRatio(ratio * 100)}%`;
}

function burnAlert(slo: SloSpec, alert: (typeof BURN_RATE_ALERTS)[number]): AlertingRule | null {
  const factor = burnRateFactor(alert, slo.window);
  const threshold = roundRatio(factor * errorBudgetRatio(slo.objective));
  // an error ratio never exceeds 1: with a low objective (75 %) the fast rows could never fire
  if (threshold >= 1) return null;
  const above = (window: string) => `${recordedSelector(RECORDED.errorRatio(window), slo.id)} > ${threshold}`;
  const conditions = [above(alert.long), above(alert.short)];
  if (alert.severity === 'page' && slo.minEvents > 0) {
    conditions.push(`${recordedSelector(RECORDED.events(alert.short), slo.id)} >= ${slo.minEvents}`);
  }
  const group = slo.groupBy.map((label) => `${label}={{ $labels.${label} }}`).join(', ');
  const exhaustion = formatDuration(Math.round(windowSeconds(slo.window) / factor));
  const annotations: Record<string, string> = {
    summary: `${slo.name}: error budget burning ${factor}x too fast${group ? ` (${group})` : ''}`,
    description:
      `The error ratio of SLO ${slo.id} (${slo.service}) over ${alert.long} is {{ $value | humanizePercentage }} ` +
      `and stays above ${percent(threshold)} over ${alert.short}, a burn rate above ${factor}x ` +
      `(the ${slo.objective}% objective allows ${percent(errorBudgetRatio(slo.objective))}). ` +
      `At this rate the ${slo.window} error budget is gone in ${exhaustion}.`,
  };
  if (slo.runbookUrl) annotations.runbook_url = slo.runbookUrl;
  return {
    alert: SLO_ALERT_NAME,
    // planned work and adjustments: no row fires while its short window touches an exclusion
    expr: `${conditions.join(' and ')} unless on() ${excludedWithin(slo.id, alert.short)}`,
    for: alert.for,
    labels: {
      ...slo.labels,
      ...seriesLabels(slo),
      severity: alert.severity,
      long: alert.long,
      short: alert.short,
    },
    annotations,
  };
}

/**
 * One SLO's group: objective, recordings (in dependency order), then the burn-rate alerts — all four
 * rows, less those whose threshold (factor × budget) reaches 100 % errors and so could never fire.
 */
export function sloRuleGroup(slo: SloSpec): RuleGroup {
  const labels = seriesLabels(slo);
  const records: RecordingRule[] = [
    { record: OBJECTIVE_RECORD, expr: `vector(${objectiveFraction(slo.objective)})`, labels },
    ...recordingExpressions(slo).map((r) => ({ ...r, labels })),
  ];
  return {
    name: ruleGroupName(slo.id),
    interval: RULE_INTERVAL,
    rules: [...records, ...BURN_RATE_ALERTS.map((a) => burnAlert(slo, a)).filter((a) => a !== null)],
  };
}

/**
 * The SLO-window recordings (errors, events and ratio over a rolling window) in their own group at a
 * slower interval: each evaluation sums a whole window of 5m increases. Null for calendar windows.
 */
export function sloWindowRuleGroup(slo: SloSpec): RuleGroup | null {
  const labels = seriesLabels(slo);
  const rules = windowRecordingExpressions(slo).map((r) => ({ ...r, labels }));
  return rules.length === 0
    ? null
    : { name: windowRuleGroupName(slo.id), interval: WINDOW_RULE_INTERVAL, rules };
}

/** Every rule group of one SLO: the main group, then its window group when it has one. */
export function sloRuleGroups(slo: SloSpec): RuleGroup[] {
  const window = sloWindowRuleGroup(slo);
  return window === null ? [sloRuleGroup(slo)] : [sloRuleGroup(slo), window];
}

export function sloRuleFile(slos: readonly SloSpec[]): RuleFile {
  return { groups: slos.flatMap(sloRuleGroups) };
}

/** The rule file as YAML, long expressions on one line so they stay greppable. */
export function sloRulesYaml(slos: readonly SloSpec[]): string {
  const header = `# Prometheus rules for ${slos.length} SLO(s), generated by opsdeck (opsdeck rules). Do not edit by hand.\n`;
  return header + stringify(sloRuleFile(slos), { lineWidth: 0, aliasDuplicateObjects: false });
}
