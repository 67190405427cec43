// Grafana entry point of the opsdeck SRE app: root page, configuration page and UI extension links.
import { AppPlugin } from '@grafana/data';
import { App } from './components/App';
import { extensionLinks } from './extensions';
import { AppConfig } from './pages/AppConfig';
import type { AppJsonData } from './types';

export const plugin = new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});

for (const link of extensionLinks) plugin.addLink(link);
