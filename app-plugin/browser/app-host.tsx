// The app's host page script: the plugins' AMD loader from .config/browser/host.tsx (Grafana's shared
// modules), a BackendSrv over window.fetch to this page's plugin proxy, a signed-in user, and the
// built app's root page rendered at Grafana's /a/opsdeck-sre-app/… URLs with Grafana's global styles.
import '../../.config/browser/host';
import { createTheme, OrgRole, type AppPlugin } from '@grafana/data';
import { config, setBackendSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { from } from 'rxjs';

interface HostWindow {
  opsdeckHost: { loadAmd: (url: string) => Promise<Record<string, unknown>> };
  opsdeckTheme?: 'light' | 'dark';
  opsdeckRole?: keyof typeof OrgRole;
  opsdeckAppReady?: boolean;
  /** where Grafana serves the app's module.js (a sub-path or CDN in some installs) */
  opsdeckModuleUrl?: string;
}
const host = window as unknown as HostWindow;

/** BackendSrv.fetch over window.fetch with Grafana's error shape ({status, data}) for non-2xx. */
const backendSrv = {
  fetch(options: { url: string; method?: string; data?: unknown; responseType?: string }) {
    return from(
      window
        .fetch(options.url, {
          method: options.method ?? 'GET',
          headers: options.data === undefined ? {} : { 'content-type': 'application/json' },
          body: options.data === undefined ? undefined : JSON.stringify(options.data),
        })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          if (options.responseType !== 'text') {
            try {
              data = JSON.parse(text);
            } catch {
              // plain text stays text
            }
          }
          if (!res.ok) throw { status: res.status, statusText: res.statusText, data, config: options };
          return {
            status: res.status,
            statusText: res.statusText,
            ok: true,
            data,
            config: options,
            headers: res.headers,
            redirected: false,
            type: res.type,
            url: res.url,
          };
        }),
    );
  },
};

async function start() {
  const role = host.opsdeckRole ?? 'Editor';
  config.bootData = {
    ...config.bootData,
    user: {
      ...config.bootData.user,
      login: 'alice',
      orgRole: OrgRole[role],
      isGrafanaAdmin: false,
      isSignedIn: true,
    },
  };
  setBackendSrv(backendSrv as never);
  const moduleUrl = host.opsdeckModuleUrl ?? '/public/plugins/opsdeck-sre-app/module.js';
  const { plugin } = (await host.opsdeckHost.loadAmd(moduleUrl)) as {
    plugin: AppPlugin;
  };
  const theme = createTheme({ colors: { mode: host.opsdeckTheme ?? 'light' } });
  const Root = plugin.root!;
  createRoot(document.getElementById('app')!).render(
    <ThemeContext.Provider value={theme}>
      {/* Grafana's own page styles (box-sizing, body colours and font), as every Grafana page has them */}
      <GlobalStyles />
      <Root
        meta={plugin.meta}
        basename="/a/opsdeck-sre-app"
        path="/a/opsdeck-sre-app"
        query={{}}
        onNavChanged={() => {}}
      />
    </ThemeContext.Provider>,
  );
  host.opsdeckAppReady = true;
}

start().catch((err: Error) => {
  document.body.textContent = `host failed: ${err.message}`;
});
