// UI extensions: panel menu "Declare incident" / "Open runbook" and the alert rule action
// "Open runbook". Each is also declared under `extensions.addedLinks` in plugin.json.
import {
  dateMath,
  PluginExtensionPoints,
  type PluginExtensionAddedLinkConfig,
  type PluginExtensionPanelContext,
  type RawTimeRange,
} from '@grafana/data';
import { pages } from './constants';

const toIso = (value: RawTimeRange['from'], roundUp: boolean): string | undefined => {
  const parsed = dateMath.toDateTime(value, { roundUp });
  return parsed?.isValid() ? parsed.toISOString() : undefined;
};

const query = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  return s.toString();
};

/** The dashboard's `service` variable, when it has one. */
function serviceOf(context: PluginExtensionPanelContext | undefined): string | undefined {
  const v = context?.scopedVars?.service?.value;
  return typeof v === 'string' && v && !v.startsWith('$') ? v : undefined;
}

/** Where "Declare incident" leads: the declare form pre-filled with dashboard, panel and time range. */
export function declareIncidentPath(context: PluginExtensionPanelContext | undefined): string {
  if (!context) return pages.declare;
  return `${pages.declare}?${query({
    dashboardUid: context.dashboard?.uid,
    dashboardTitle: context.dashboard?.title,
    panelId: context.id,
    panelTitle: context.title,
    from: toIso(context.timeRange?.from, false),
    to: toIso(context.timeRange?.to, true),
    service: serviceOf(context),
  })}`;
}

export function panelRunbookPath(context: PluginExtensionPanelContext | undefined): string {
  const service = serviceOf(context);
  return service
    ? `${pages.runbooks}?${query({ rbService: service })}`
    : `${pages.runbooks}?${query({ q: context?.title })}`;
}

interface AlertRuleContext {
  rule?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export function alertRunbookPath(context: AlertRuleContext | undefined): string {
  const rule = context?.rule;
  const alert = rule?.labels?.alertname ?? rule?.name;
  return `${pages.runbooks}?${query({ rbAlert: alert, rbService: rule?.labels?.service })}`;
}

export const extensionLinks: Array<PluginExtensionAddedLinkConfig<object>> = [
  {
    title: 'Declare incident',
    description: 'Declare an opsdeck incident pre-filled with this dashboard, panel and time range',
    targets: [PluginExtensionPoints.DashboardPanelMenu],
    icon: 'fire',
    path: pages.declare,
    configure: (context) => ({
      path: declareIncidentPath(context as PluginExtensionPanelContext | undefined),
    }),
  },
  {
    title: 'Open runbook',
    description: "Open the opsdeck runbook for this panel's service",
    targets: [PluginExtensionPoints.DashboardPanelMenu, PluginExtensionPoints.AlertingAlertingRuleAction],
    icon: 'book-open',
    path: pages.runbooks,
    configure: (context) => {
      const ctx = context as (PluginExtensionPanelContext & AlertRuleContext) | undefined;
      return { path: ctx && 'rule' in ctx ? alertRunbookPath(ctx) : panelRunbookPath(ctx) };
    },
  },
];
