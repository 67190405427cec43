// UI extensions: "Declare incident" and "Open runbook" where Grafana shows plugin links (panel menu,
// Explore toolbar, alert instances, alert rules, command palette). Each is also declared under
// `extensions.addedLinks` in plugin.json; the context shapes are Grafana's, see docs/grafana-contract.md.
import {
  dateMath,
  PluginExtensionPoints,
  type PluginExtensionAddedLinkConfig,
  type PluginExtensionPanelContext,
  type RawTimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { pages } from './constants';

/** Explore's toolbar context (public/app/features/explore/extensions/ToolbarExtensionPoint.tsx). */
export interface ExploreContext {
  exploreId: string;
  timeRange: RawTimeRange;
}

/** An alert instance row (public/app/features/alerting/unified/components/AlertInstanceExtensionPoint.tsx). */
export interface AlertInstanceContext {
  instance: { labels?: Record<string, string>; annotations?: Record<string, string>; activeAt?: string };
  rule?: { name?: string; labels?: Record<string, string> };
}

/**
 * An alerting rule's menu (public/app/features/alerting/unified/plugins/useRulePluginLinkExtensions.ts):
 * flat, and listed only for rules whose `__grafana_origin` label is `plugin/opsdeck-sre-app`.
 */
export interface AlertingRuleContext {
  name: string;
  namespace: string;
  group: string;
  expression: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

type AnyContext = Partial<
  PluginExtensionPanelContext & ExploreContext & AlertInstanceContext & AlertingRuleContext
>;

const toIso = (value: RawTimeRange['from'] | undefined, roundUp: boolean): string | undefined => {
  if (value === undefined) return undefined;
  const parsed = dateMath.toDateTime(value, { roundUp });
  return parsed?.isValid() ? parsed.toISOString() : undefined;
};

const withQuery = (base: string, params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const q = s.toString();
  return q ? `${base}?${q}` : base;
};

/** One concrete value of a variable: none for several values, All, empty or an unresolved `$name`. */
function singleValue(value: unknown): string | undefined {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  return typeof v === 'string' && v !== '' && !v.startsWith('$') ? v : undefined;
}

/** The dashboard's `service` template variable, through Grafana's template service. */
function dashboardService(): string | undefined {
  // Outside a dashboard (or before Grafana set it) there is no template service to ask.
  const variables = getTemplateSrv?.()?.getVariables?.() ?? [];
  const service = variables.find((v) => v.name === 'service');
  return service && 'current' in service ? singleValue(service.current?.value) : undefined;
}

/**
 * The service a panel shows: its repeat variable when the panel or row repeats by `service` (the only
 * variables Grafana puts in the panel menu's scopedVars), else the dashboard's `service` variable.
 */
export function panelService(context: Partial<PluginExtensionPanelContext> | undefined): string | undefined {
  return singleValue(context?.scopedVars?.service?.value) ?? dashboardService();
}

/** What an alert instance row is about: its alertname (else its rule's name) and its service label. */
function instanceAlert(instance: AlertInstanceContext['instance'], rule: AlertInstanceContext['rule']) {
  const labels = instance.labels ?? {};
  return { alert: labels.alertname ?? rule?.name, service: labels.service ?? rule?.labels?.service };
}

/** Where "Declare incident" leads: the declare form pre-filled from where it was opened. */
export function declareIncidentPath(context: AnyContext | undefined): string {
  if (context?.instance) return withQuery(pages.declare, instanceAlert(context.instance, context.rule));
  if (context?.dashboard)
    return withQuery(pages.declare, {
      dashboardUid: context.dashboard.uid,
      dashboardTitle: context.dashboard.title,
      panelId: context.id,
      panelTitle: context.title,
      from: toIso(context.timeRange?.from, false),
      to: toIso(context.timeRange?.to, true),
      service: panelService(context),
    });
  if (context?.timeRange)
    return withQuery(pages.declare, {
      from: toIso(context.timeRange.from, false),
      to: toIso(context.timeRange.to, true),
    });
  return pages.declare;
}

/** Where "Open runbook" leads: the runbooks page with the drawer for the alert or service at hand. */
export function runbookPath(context: AnyContext | undefined): string {
  if (context?.instance) {
    const { alert, service } = instanceAlert(context.instance, context.rule);
    return withQuery(pages.runbooks, { rbAlert: alert, rbService: service });
  }
  if (context?.expression !== undefined)
    return withQuery(pages.runbooks, { rbAlert: context.name, rbService: context.labels?.service });
  const service = panelService(context);
  return service
    ? withQuery(pages.runbooks, { rbService: service })
    : withQuery(pages.runbooks, { q: context?.title });
}

export const extensionLinks: Array<PluginExtensionAddedLinkConfig<object>> = [
  {
    title: 'Declare incident',
    description: 'Declare an opsdeck incident pre-filled from this panel, Explore time range or alert',
    targets: [
      PluginExtensionPoints.DashboardPanelMenu,
      PluginExtensionPoints.ExploreToolbarAction,
      PluginExtensionPoints.AlertInstanceAction,
      PluginExtensionPoints.CommandPalette,
    ],
    icon: 'fire',
    path: pages.declare,
    configure: (context) => ({ path: declareIncidentPath(context as AnyContext | undefined) }),
  },
  {
    title: 'Open runbook',
    description: 'Open the opsdeck runbook for this alert or for the service of this panel',
    targets: [
      PluginExtensionPoints.DashboardPanelMenu,
      PluginExtensionPoints.AlertInstanceAction,
      PluginExtensionPoints.AlertingAlertingRuleAction,
    ],
    icon: 'book-open',
    path: pages.runbooks,
    configure: (context) => ({ path: runbookPath(context as AnyContext | undefined) }),
  },
];
