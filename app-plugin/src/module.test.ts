import { dateTime, PluginExtensionPoints, type PluginExtensionPanelContext } from '@grafana/data';
import { alertRunbookPath, declareIncidentPath, panelRunbookPath } from './extensions';
import { plugin } from './module';
import pluginJson from './plugin.json';

const panel = (over: Partial<PluginExtensionPanelContext> = {}) =>
  ({
    pluginId: 'timeseries',
    id: 7,
    title: 'Error ratio',
    timeRange: { from: dateTime('2026-11-29T08:00:00Z'), to: dateTime('2026-11-29T10:00:00Z') },
    timeZone: 'utc',
    dashboard: { uid: 'svc', title: 'opsdeck / Service', tags: [] },
    targets: [],
    scopedVars: { service: { text: 'api', value: 'api' } },
    ...over,
  }) as PluginExtensionPanelContext;

describe('app module', () => {
  it('registers exactly the links plugin.json declares, on the same extension points', () => {
    const registered = plugin.addedLinkConfigs.map((l) => ({
      title: l.title,
      description: l.description,
      targets: [l.targets].flat(),
    }));
    expect(registered).toEqual(pluginJson.extensions.addedLinks);
    expect(registered.flatMap((l) => l.targets).sort()).toEqual(
      [
        PluginExtensionPoints.AlertingAlertingRuleAction,
        PluginExtensionPoints.DashboardPanelMenu,
        PluginExtensionPoints.DashboardPanelMenu,
      ].sort(),
    );
  });

  it('has a root page and a configuration page', () => {
    expect(plugin.root).toBeDefined();
    expect(plugin.configPages?.map((p) => p.title)).toEqual(['Configuration']);
  });

  it('includes its pages and nests the panel and data source', () => {
    const types = pluginJson.includes.map((i) => i.type);
    expect(types.filter((t) => t === 'page').length).toBeGreaterThanOrEqual(5);
    expect(pluginJson.includes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'panel' }),
        expect.objectContaining({ type: 'datasource' }),
      ]),
    );
  });

  it('proxies reads for viewers and writes only for editors, with the token from secureJsonData', () => {
    for (const route of pluginJson.routes) {
      expect(route.url).toBe('{{ .JsonData.backendUrl }}');
      expect(route.headers).toEqual([
        { name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' },
      ]);
      expect(route.reqRole).toBe(route.method === 'GET' ? 'Viewer' : 'Editor');
    }
  });
});

describe('extension paths', () => {
  it('pre-fills "Declare incident" with dashboard, panel, time range and service', () => {
    const url = new URL(declareIncidentPath(panel()), 'http://grafana');
    expect(url.pathname).toBe('/a/opsdeck-sre-app/incidents/new');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      dashboardUid: 'svc',
      dashboardTitle: 'opsdeck / Service',
      panelId: '7',
      panelTitle: 'Error ratio',
      from: '2026-11-29T08:00:00.000Z',
      to: '2026-11-29T10:00:00.000Z',
      service: 'api',
    });
  });

  it('resolves relative time ranges to instants', () => {
    const url = new URL(
      declareIncidentPath(panel({ timeRange: { from: 'now-1h', to: 'now' } })),
      'http://grafana',
    );
    const from = Date.parse(url.searchParams.get('from')!);
    const to = Date.parse(url.searchParams.get('to')!);
    expect(to - from).toBeGreaterThanOrEqual(3_600_000);
    expect(to - from).toBeLessThan(3_660_000);
  });

  it('opens the runbook for the service variable, else searches by panel title', () => {
    expect(panelRunbookPath(panel())).toBe('/a/opsdeck-sre-app/runbooks?rbService=api');
    expect(panelRunbookPath(panel({ scopedVars: {} }))).toBe('/a/opsdeck-sre-app/runbooks?q=Error+ratio');
  });

  it('opens the runbook answering an alert rule', () => {
    expect(
      alertRunbookPath({
        rule: { name: 'High errors', labels: { alertname: 'APIElevatedErrors', service: 'api' } },
      }),
    ).toBe('/a/opsdeck-sre-app/runbooks?rbAlert=APIElevatedErrors&rbService=api');
  });
});
