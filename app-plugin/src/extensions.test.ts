// The extension links as Grafana calls them: configure() with the context each extension point builds.
// Each context below is written after the Grafana file named beside it (see docs/grafana-contract.md).
import { dateTime, PluginExtensionPoints, type PluginExtensionPanelContext } from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { declareIncidentPath, extensionLinks, runbookPath } from './extensions';

/** public/app/features/dashboard-scene/scene/PanelMenuBehavior.tsx, createExtensionContext(): raw time
 * range, dashboard {uid, title, tags}, scopedVars only from LocalValueVariables (panel or row repeats). */
const panel = (over: Partial<PluginExtensionPanelContext> = {}): PluginExtensionPanelContext => ({
  id: 7,
  pluginId: 'timeseries',
  title: 'Error ratio',
  timeRange: { from: dateTime('2026-11-29T08:00:00Z'), to: dateTime('2026-11-29T10:00:00Z') },
  timeZone: 'utc',
  dashboard: { uid: 'svc', title: 'opsdeck / Service', tags: [] },
  targets: [],
  scopedVars: {},
  data: undefined,
  ...over,
});

/** The dashboard's variables as getTemplateSrv().getVariables() returns them (name, current {text, value}). */
function dashboardVariables(variables: Array<{ name: string; value: string | string[] }>) {
  setTemplateSrv({
    getVariables: () =>
      variables.map(({ name, value }) => ({
        name,
        type: 'custom',
        current: { text: value, value },
        options: [],
      })),
    replace: (s?: string) => s ?? '',
    containsTemplate: () => false,
    updateTimeRange: () => {},
  } as unknown as TemplateSrv);
}

/** public/app/features/alerting/unified/components/AlertInstanceExtensionPoint.tsx: `{ instance, rule }`,
 * an Alert (labels, annotations, state, activeAt, value) and its CombinedRule. */
const alertInstance = {
  instance: {
    labels: { alertname: 'APIElevatedErrors', service: 'api', severity: 'page' },
    annotations: { summary: 'error ratio above 1 %' },
    state: 'Alerting',
    activeAt: '2026-11-29T09:12:00Z',
    value: '0.031',
  },
  rule: { name: 'APIElevatedErrors', query: 'sum(rate(...))', labels: {}, annotations: {}, group: {} },
};

/** public/app/features/alerting/unified/plugins/useRulePluginLinkExtensions.ts: a flat context. */
const alertingRule = {
  name: 'OpsdeckSloBurnPage',
  namespace: 'opsdeck',
  group: 'opsdeck-slo-api-availability',
  expression: 'slo:burn_rate:1h > 14.4',
  labels: { service: 'api', severity: 'page', __grafana_origin: 'plugin/opsdeck-sre-app' },
  annotations: {},
};

/** public/app/features/explore/extensions/ToolbarExtensionPoint.tsx: raw time range of the pane. */
const explore = {
  exploreId: 'left',
  targets: [],
  data: {},
  timeRange: { from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T10:00:00.000Z' },
  timeZone: 'utc',
  shouldShowAddCorrelation: false,
};

/** Calls a registered link's configure() as Grafana's link registry does, with a read-only context. */
function pathOf(title: string, target: PluginExtensionPoints, context: object | undefined): string {
  const link = extensionLinks.find((l) => l.title === title)!;
  expect([link.targets].flat()).toContain(target);
  const frozen = context === undefined ? undefined : Object.freeze({ ...context });
  const result = link.configure?.(frozen);
  return result?.path ?? link.path!;
}

const query = (path: string) => Object.fromEntries(new URL(path, 'http://grafana').searchParams);

beforeEach(() => dashboardVariables([]));

describe('panel menu', () => {
  it('pre-fills "Declare incident" with dashboard, panel, time range and the repeat variable', () => {
    const path = pathOf(
      'Declare incident',
      PluginExtensionPoints.DashboardPanelMenu,
      panel({ scopedVars: { service: { text: 'api', value: 'api' } } }),
    );
    expect(path.split('?')[0]).toBe('/a/opsdeck-sre-app/incidents/new');
    expect(query(path)).toEqual({
      dashboardUid: 'svc',
      dashboardTitle: 'opsdeck / Service',
      panelId: '7',
      panelTitle: 'Error ratio',
      from: '2026-11-29T08:00:00.000Z',
      to: '2026-11-29T10:00:00.000Z',
      service: 'api',
    });
  });

  it('reads the service from the dashboard variable when the panel does not repeat', () => {
    dashboardVariables([
      { name: 'env', value: 'prod' },
      { name: 'service', value: 'checkout' },
    ]);
    const ctx = panel();
    expect(query(pathOf('Declare incident', PluginExtensionPoints.DashboardPanelMenu, ctx)).service).toBe(
      'checkout',
    );
    expect(pathOf('Open runbook', PluginExtensionPoints.DashboardPanelMenu, ctx)).toBe(
      '/a/opsdeck-sre-app/runbooks?rbService=checkout',
    );
  });

  it('prefers the repeat value over the dashboard variable', () => {
    dashboardVariables([{ name: 'service', value: ['api', 'checkout'] }]);
    const repeated = panel({ scopedVars: { service: { text: 'checkout', value: 'checkout' } } });
    expect(pathOf('Open runbook', PluginExtensionPoints.DashboardPanelMenu, repeated)).toBe(
      '/a/opsdeck-sre-app/runbooks?rbService=checkout',
    );
  });

  it('names no service for All, several values or none, and searches runbooks by panel title', () => {
    for (const value of ['$__all', ['api', 'checkout'], '']) {
      dashboardVariables([{ name: 'service', value }]);
      expect(pathOf('Open runbook', PluginExtensionPoints.DashboardPanelMenu, panel())).toBe(
        '/a/opsdeck-sre-app/runbooks?q=Error+ratio',
      );
    }
  });

  it('resolves relative time ranges to instants', () => {
    const path = pathOf(
      'Declare incident',
      PluginExtensionPoints.DashboardPanelMenu,
      panel({ timeRange: { from: 'now-1h', to: 'now' } }),
    );
    const { from, to } = query(path);
    const span = Date.parse(to!) - Date.parse(from!);
    expect(span).toBeGreaterThanOrEqual(3_600_000);
    expect(span).toBeLessThan(3_660_000);
  });
});

describe('alerting', () => {
  it('opens the runbook for an alert instance by its alertname and service labels', () => {
    expect(pathOf('Open runbook', PluginExtensionPoints.AlertInstanceAction, alertInstance)).toBe(
      '/a/opsdeck-sre-app/runbooks?rbAlert=APIElevatedErrors&rbService=api',
    );
  });

  it('declares an incident from an alert instance', () => {
    const path = pathOf('Declare incident', PluginExtensionPoints.AlertInstanceAction, alertInstance);
    expect(query(path)).toEqual({ alert: 'APIElevatedErrors', service: 'api' });
  });

  it('falls back to the rule name when the instance has no alertname label', () => {
    const ctx = { ...alertInstance, instance: { ...alertInstance.instance, labels: {} } };
    expect(pathOf('Open runbook', PluginExtensionPoints.AlertInstanceAction, ctx)).toBe(
      '/a/opsdeck-sre-app/runbooks?rbAlert=APIElevatedErrors',
    );
  });

  it('opens the runbook from the flat alerting rule context', () => {
    expect(pathOf('Open runbook', PluginExtensionPoints.AlertingAlertingRuleAction, alertingRule)).toBe(
      '/a/opsdeck-sre-app/runbooks?rbAlert=OpsdeckSloBurnPage&rbService=api',
    );
  });
});

describe('Explore and the command palette', () => {
  it('declares an incident over the Explore time range', () => {
    expect(query(pathOf('Declare incident', PluginExtensionPoints.ExploreToolbarAction, explore))).toEqual({
      from: '2026-11-29T08:00:00.000Z',
      to: '2026-11-29T10:00:00.000Z',
    });
  });

  it('opens the empty declare form from the command palette (no context)', () => {
    expect(pathOf('Declare incident', PluginExtensionPoints.CommandPalette, undefined)).toBe(
      '/a/opsdeck-sre-app/incidents/new',
    );
    expect(declareIncidentPath({})).toBe('/a/opsdeck-sre-app/incidents/new');
  });

  it('searches runbooks without a context', () => {
    expect(runbookPath(undefined)).toBe('/a/opsdeck-sre-app/runbooks');
  });
});
