// Grafana entry point of the opsdeck SRE app. With `preload` Grafana loads this module on every page, so
// it only registers the pages and the UI extension links: the pages themselves load as chunks on first use.
import { AppPlugin, type AppPluginMeta, type AppRootProps, type PluginConfigPageProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import React, { lazy, Suspense } from 'react';
import { extensionLinks } from './extensions';
import type { AppJsonData } from './types';

const LazyApp = lazy(() =>
  import(/* webpackChunkName: "pages" */ './components/App').then((m) => ({ default: m.App })),
);
const LazyAppConfig = lazy(() =>
  import(/* webpackChunkName: "config" */ './pages/AppConfig').then((m) => ({ default: m.AppConfig })),
);

const loading = <LoadingPlaceholder text="Loading opsdeck…" />;

function App(props: AppRootProps<AppJsonData>) {
  return (
    <Suspense fallback={loading}>
      <LazyApp {...props} />
    </Suspense>
  );
}

function AppConfig(props: PluginConfigPageProps<AppPluginMeta<AppJsonData>>) {
  return (
    <Suspense fallback={loading}>
      <LazyAppConfig {...props} />
    </Suspense>
  );
}

export const plugin = new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});

for (const link of extensionLinks) plugin.addLink(link);
