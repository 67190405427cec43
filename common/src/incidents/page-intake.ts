// From an Alertmanager notification to an incident: which alerts page and at what severity, and the
// incident's title, service, SLOs, runbook and source from their labels and annotations. Pure.
import type { AlertmanagerWebhook, WebhookAlert } from '../api/alertmanager-webhook';
import type { IncidentCreate, Severity } from '../api/incident';
import { ServiceName, Slug, Url } from '../api/primitives';
import { ESCALATION_ALERT_NAMES } from './escalation';
import { SEVERITIES } from './severity';

/** The label whose value decides whether an alert pages. */
export const SEVERITY_LABEL = 'severity';
/** Severity label values (other than S1–S4, always taken as they are) and the severity they page at. */
export type PageSeverityMap = Readonly<Record<string, Severity>>;
export const DEFAULT_PAGE_SEVERITIES: PageSeverityMap = { page: 'S2' };
/** Pages open incidents; lower severities are tickets, not incidents. */
export const PAGING_SEVERITIES: readonly Severity[] = ['S1', 'S2'];
/** Where an alert with no usable service label is filed. */
export const UNKNOWN_SERVICE = 'unknown';

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 20_000;
const LISTED_ALERTS = 20;

const isSeverity = (v: string): v is Severity => (SEVERITIES as readonly string[]).includes(v);

/** The severity an alert pages at, or null when it does not page (or is one of opsdeck's own escalations). */
export function pageSeverity(
  labels: Readonly<Record<string, string>>,
  map: PageSeverityMap = DEFAULT_PAGE_SEVERITIES,
): Severity | null {
  if (ESCALATION_ALERT_NAMES.includes(labels.alertname ?? '')) return null;
  const value = labels[SEVERITY_LABEL];
  if (value === undefined) return null;
  const severity = isSeverity(value) ? value : Object.hasOwn(map, value) ? map[value] : undefined;
  return severity && PAGING_SEVERITIES.includes(severity) ? severity : null;
}

/** A service label as opsdeck names services: disallowed characters become "-", at most 100 long. */
export function serviceFromLabel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value
    .replace(/[^A-Za-z0-9._:/-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return ServiceName.safeParse(name).success ? name : undefined;
}

const httpUrl = (v: string | undefined) =>
  v !== undefined && /^https?:\/\//i.test(v) && Url.safeParse(v).success ? v : undefined;

/** `name{label="value", …}` of an alert, for the description and the timeline. */
export function describeAlert(a: Pick<WebhookAlert, 'labels'>): string {
  const { alertname, ...rest } = a.labels;
  const pairs = Object.entries(rest)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  const text = `${alertname ?? 'alert'}{${pairs}}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const distinct = (xs: Array<string | undefined>) => [...new Set(xs.filter((x): x is string => !!x))];

/** The firing alerts of a notification that page, with their severity. */
export function pagingAlerts(
  payload: AlertmanagerWebhook,
  map: PageSeverityMap = DEFAULT_PAGE_SEVERITIES,
): Array<{ alert: WebhookAlert; severity: Severity }> {
  return payload.alerts.flatMap((alert) => {
    const severity = alert.status === 'firing' ? pageSeverity(alert.labels, map) : null;
    return severity ? [{ alert, severity }] : [];
  });
}

/**
 * The incident a notification declares, or null when none of its firing alerts page. Severity is the
 * highest among the paging alerts; the group's common labels and annotations win over the first alert's.
 * Impact is taken to start when the first alert started firing (never after `now`).
 */
export function pageIncident(
  payload: AlertmanagerWebhook,
  now: Date,
  map: PageSeverityMap = DEFAULT_PAGE_SEVERITIES,
):
  | (Required<Pick<IncidentCreate, 'title' | 'severity' | 'service' | 'description' | 'source'>> &
      Pick<IncidentCreate, 'services' | 'sloIds' | 'tags' | 'startedAt' | 'detectedAt'>)
  | null {
  const pages = pagingAlerts(payload, map).sort(
    (a, b) => Date.parse(a.alert.startsAt) - Date.parse(b.alert.startsAt),
  );
  const first = pages[0];
  if (!first) return null;
  const severity = pages.some((p) => p.severity === 'S1') ? 'S1' : 'S2';
  const label = (name: string) => payload.commonLabels[name] ?? first.alert.labels[name];
  const annotation = (name: string) => payload.commonAnnotations[name] ?? first.alert.annotations[name];
  const service = serviceFromLabel(label('service')) ?? serviceFromLabel(label('job')) ?? UNKNOWN_SERVICE;
  const alertname = label('alertname') ?? 'alert';
  const runbookUrl = httpUrl(annotation('runbook_url'));
  const panelId = Number(annotation('__panelId__'));
  const dashboardUid = annotation('__dashboardUid__');
  const listed = pages.slice(0, LISTED_ALERTS).map((p) => `- ${describeAlert(p.alert)}`);
  const description = [
    annotation('description'),
    `Paged by Alertmanager${payload.receiver ? ` (receiver ${payload.receiver})` : ''}: ${pages.length} alert${pages.length === 1 ? '' : 's'} firing${payload.truncatedAlerts > 0 ? `, ${payload.truncatedAlerts} more left out of the notification (max_alerts)` : ''}.`,
    ...listed,
    ...(pages.length > LISTED_ALERTS ? [`- and ${pages.length - LISTED_ALERTS} more`] : []),
    ...(runbookUrl ? [`Runbook: ${runbookUrl}`] : []),
  ]
    .filter((line) => line !== undefined && line !== '')
    .join('\n');
  const startedAt = new Date(Math.min(Date.parse(first.alert.startsAt), now.getTime())).toISOString();
  return {
    title: clip((annotation('summary') ?? '').trim() || `${alertname} on ${service}`, TITLE_MAX),
    severity,
    service,
    services: distinct(pages.map((p) => serviceFromLabel(p.alert.labels.service)))
      .filter((s) => s !== service)
      .slice(0, 50),
    sloIds: distinct(pages.map((p) => p.alert.labels.slo))
      .filter((s) => Slug.safeParse(s).success)
      .slice(0, 50),
    tags: ['alertmanager'],
    description: clip(description, DESCRIPTION_MAX),
    source: {
      alert: clip(alertname, 200),
      alertGroup: payload.groupKey,
      ...(httpUrl(first.alert.generatorURL) ? { url: first.alert.generatorURL } : {}),
      ...(runbookUrl ? { runbookUrl } : {}),
      ...(dashboardUid && dashboardUid.length <= 100 ? { dashboardUid } : {}),
      ...(Number.isInteger(panelId) && annotation('__panelId__') !== undefined ? { panelId } : {}),
    },
    startedAt,
    detectedAt: startedAt,
  };
}

/**
 * The timeline note for the resolved alerts of a notification, or null when none resolved. `key` names
 * the resolutions (alert and end time), so a notification Alertmanager retries is noted once.
 */
export function resolvedNote(
  payload: AlertmanagerWebhook,
): { text: string; fingerprints: string[]; key: string } | null {
  const resolved = payload.alerts.filter(
    (a) => a.status === 'resolved' && !ESCALATION_ALERT_NAMES.includes(a.labels.alertname ?? ''),
  );
  if (resolved.length === 0) return null;
  const head =
    payload.status === 'resolved'
      ? `Alertmanager: every alert of the group resolved (${resolved.length})`
      : `Alertmanager: ${resolved.length} alert${resolved.length === 1 ? '' : 's'} resolved, others still firing`;
  const listed = resolved.slice(0, LISTED_ALERTS).map((a) => `- ${describeAlert(a)}`);
  const more = resolved.length > LISTED_ALERTS ? [`- and ${resolved.length - LISTED_ALERTS} more`] : [];
  return {
    text: clip([head, ...listed, ...more].join('\n'), 10_000),
    fingerprints: resolved
      .map((a) => a.fingerprint)
      .filter(Boolean)
      .slice(0, 1000),
    key: resolved
      .map((a) => `${a.fingerprint || describeAlert(a)}@${a.endsAt ?? ''}`)
      .sort()
      .join(','),
  };
}
