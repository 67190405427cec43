// The host page's script: stands in for Grafana's plugin loader. It provides Grafana's shared modules
// (react, @grafana/*, rxjs, …) to AMD plugin bundles, a BackendSrv over window.fetch against this
// page's proxy route, and renders a panel plugin with frames its data source plugin fetched.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import * as lodash from 'lodash';
import React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as rxjs from 'rxjs';

const { createTheme, dateTime, LoadingState, PanelOptionsEditorBuilder, standardEditorsRegistry } =
  grafanaData;

// Grafana registers its option editors at start-up; the host needs their ids to read panel defaults.
standardEditorsRegistry.setInit(() =>
  ['radio', 'text', 'boolean', 'slider', 'select', 'number', 'color', 'unit', 'multiSelect'].map((id) => ({
    id,
    name: id,
    editor: () => null,
  })),
);

/** What Grafana gives plugins at run time; the AMD bundles list these as their dependencies. */
const SHARED: Record<string, unknown> = {
  react: React,
  'react-dom': ReactDOM,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  rxjs,
  lodash,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
};

type Factory = (...deps: unknown[]) => unknown;
let pending: { deps: string[]; factory: Factory } | null = null;

/** A minimal AMD `define`: remembers the module the script just declared. */
function define(deps: string[] | Factory, factory?: Factory) {
  pending = Array.isArray(deps) ? { deps, factory: factory! } : { deps: [], factory: deps };
}
define.amd = {};
(window as unknown as { define: typeof define }).define = define;

/** Loads an AMD bundle by URL and returns its exports, resolving dependencies from SHARED. */
function loadAmd(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.onload = () => {
      const declared = pending;
      pending = null;
      if (!declared) return reject(new Error(`${url} is not an AMD module: it called no define()`));
      const missing = declared.deps.filter((d) => d !== 'module' && !(d in SHARED));
      if (missing.length)
        return reject(new Error(`${url} needs modules Grafana does not share: ${missing.join(', ')}`));
      const args = declared.deps.map((d) => (d === 'module' ? { uri: url } : SHARED[d]));
      resolve(declared.factory(...args) as Record<string, unknown>);
    };
    document.head.appendChild(script);
  });
}

/** BackendSrv.fetch over window.fetch, with Grafana's error shape ({status, data}) for non-2xx. */
const backendSrv = {
  fetch(options: { url: string; method?: string; data?: unknown; headers?: Record<string, string> }) {
    return rxjs.from(
      window
        .fetch(options.url, {
          method: options.method ?? 'GET',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: options.data === undefined ? undefined : JSON.stringify(options.data),
        })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // plain text stays text
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

export interface RunSpec {
  theme: 'light' | 'dark';
  options: Record<string, unknown>;
  width: number;
  height: number;
  /** ISO time the dashboard's "now" is (the backfilled history's end) */
  now: string;
  datasourceUrl: string;
  backendUrl: string;
  /** the panel's targets; default one SLO status target */
  targets?: Array<Record<string, unknown>>;
}

export interface RunResult {
  frames: number;
  rows: number;
  errors: string[];
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();
/** Each bundle is loaded once per page, as Grafana's loader caches it. */
const plugin = (url: string) => {
  if (!loaded.has(url)) loaded.set(url, loadAmd(url));
  return loaded.get(url)!;
};
let root: ReturnType<typeof createRoot> | null = null;

async function run(spec: RunSpec): Promise<RunResult> {
  const dsModule = await plugin('/public/plugins/opsdeck-api-datasource/module.js');
  const panelModule = await plugin('/public/plugins/opsdeck-slo-panel/module.js');
  grafanaRuntime.setBackendSrv(backendSrv as never);
  grafanaRuntime.setTemplateSrv({
    replace: (s?: string) => s ?? '',
    getVariables: () => [],
    containsTemplate: () => false,
    updateTimeRange: () => {},
  } as never);

  const dsPlugin = dsModule.plugin as {
    DataSourceClass: new (settings: unknown) => {
      query: (r: unknown) => rxjs.Observable<{ data: unknown[]; errors?: Array<{ message?: string }> }>;
    };
  };
  const datasource = new dsPlugin.DataSourceClass({
    id: 1,
    uid: 'opsdeck',
    type: 'opsdeck-api-datasource',
    name: 'opsdeck',
    url: spec.datasourceUrl,
    jsonData: { url: spec.backendUrl },
    meta: {},
    readOnly: false,
    access: 'proxy',
  });
  const to = dateTime(spec.now);
  const from = dateTime(to.valueOf() - 6 * 3_600_000);
  const range = { from, to, raw: { from: 'now-6h', to: 'now' } };
  const response = await rxjs.lastValueFrom(
    datasource.query({
      requestId: 'browser-check',
      interval: '1m',
      intervalMs: 60_000,
      maxDataPoints: spec.width,
      range,
      scopedVars: {},
      targets: spec.targets ?? [{ refId: 'A', kind: 'slo-status' }],
      timezone: 'utc',
      app: 'dashboard',
      startTime: Date.now(),
    }),
  );

  const panelPlugin = panelModule.plugin as {
    panel: React.ComponentType<Record<string, unknown>>;
    getPanelOptionsSupplier: () => (
      builder: InstanceType<typeof PanelOptionsEditorBuilder>,
      context: unknown,
    ) => void;
  };
  const builder = new PanelOptionsEditorBuilder();
  panelPlugin.getPanelOptionsSupplier()(builder, { data: [] });
  const defaults = Object.fromEntries(builder.getItems().map((item) => [item.path, item.defaultValue]));

  const theme = createTheme({ colors: { mode: spec.theme } });
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
  document.body.style.fontSize = `${theme.typography.fontSize}px`;
  const Panel = panelPlugin.panel;
  const props = {
    id: 1,
    data: {
      state: response.errors?.length ? LoadingState.Error : LoadingState.Done,
      series: response.data,
      errors: response.errors,
      timeRange: range,
    },
    timeRange: range,
    timeZone: 'utc',
    options: { ...defaults, ...spec.options },
    onOptionsChange: () => {},
    fieldConfig: { defaults: {}, overrides: [] },
    onFieldConfigChange: () => {},
    transparent: false,
    width: spec.width,
    height: spec.height,
    renderCounter: 0,
    title: 'SLOs',
    eventBus: {
      publish: () => {},
      getStream: () => rxjs.EMPTY,
      subscribe: () => ({ unsubscribe: () => {} }),
      removeAllListeners: () => {},
      newScopedBus: () => undefined,
    },
    replaceVariables: (s: string) => s,
    onChangeTimeRange: () => {},
  };
  const container = document.getElementById('panel')!;
  container.style.width = `${spec.width}px`;
  container.style.height = `${spec.height}px`;
  container.style.padding = '8px';
  container.style.background = theme.colors.background.primary;
  container.style.border = `1px solid ${theme.colors.border.weak}`;
  container.style.borderRadius = `${theme.shape.radius.default}`;
  root?.unmount();
  root = createRoot(container);
  root.render(
    <grafanaUi.ThemeContext.Provider value={theme}>
      <Panel {...props} />
    </grafanaUi.ThemeContext.Provider>,
  );
  await new Promise((r) => setTimeout(r, 300));
  const frame = response.data[0] as { length?: number } | undefined;
  return {
    frames: response.data.length,
    rows: frame?.length ?? 0,
    errors: (response.errors ?? []).map((e) => e.message ?? 'error'),
  };
}

// The React the host shares, so a check can tell which Grafana runtime it runs on.
Object.assign(window, { opsdeckHost: { run, loadAmd }, opsdeckReactVersion: React.version });
