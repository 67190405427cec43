import { PluginExtensionPoints } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import React from 'react';
import { plugin } from './module';
import pluginJson from './plugin.json';

describe('app module', () => {
  it('registers exactly the links plugin.json declares, on the same extension points', () => {
    const registered = plugin.addedLinkConfigs.map((l) => ({
      title: l.title,
      description: l.description,
      targets: [l.targets].flat(),
    }));
    expect(registered).toEqual(pluginJson.extensions.addedLinks);
    expect(new Set(registered.flatMap((l) => l.targets))).toEqual(
      new Set([
        PluginExtensionPoints.DashboardPanelMenu,
        PluginExtensionPoints.ExploreToolbarAction,
        PluginExtensionPoints.AlertInstanceAction,
        PluginExtensionPoints.AlertingAlertingRuleAction,
        PluginExtensionPoints.CommandPalette,
      ]),
    );
  });

  it('has a root page and a configuration page that load on first render', async () => {
    expect(plugin.configPages?.map((p) => p.title)).toEqual(['Configuration']);
    const Config = plugin.configPages![0]!.body;
    render(React.createElement(Config, { plugin: { meta: { id: pluginJson.id, jsonData: {} } } } as never));
    expect(await screen.findByRole('textbox', { name: /Backend URL/ })).toBeInTheDocument();
    expect(plugin.root).toBeDefined();
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
