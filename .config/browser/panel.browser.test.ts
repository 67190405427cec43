// Browser check: the built plugins' dist/module.js load as AMD modules in headless Chromium inside the
// host page, the data source plugin fetches SLO status frames from a running backend over backfilled
// Prometheus history (through the proxy route), and the panel plugin renders them in every layout
// and theme, on Grafana 13.1 with React 18 and again on Grafana 13.2 with React 19 (.config/grafana-13.2).
// Screenshots land in .tmp/screenshots (and docs/screenshots with OPSDECK_UPDATE_SCREENSHOTS=1).
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import webpack, { type Configuration } from 'webpack';
import { ManualClock } from '../../backend/src/clock';
import { auth, createTestApp, type TestApp, TOKENS } from '../../backend/test/support/app';
import { END } from '../../backend/test/support/golden-data';
import { type PrometheusServer, startGoldenPrometheus } from '../../backend/test/support/prometheus';
import pluginConfig from '../webpack.config.js';
import { type HostServer, startHostServer } from './host-server';
import hostConfig from './webpack.host.js';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, '.tmp', 'screenshots');
const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const MAX_MODULE_BYTES = 150 * 1024;
const now = new Date(END * 1000);

const availability = (route: string, method?: string) => ({
  kind: 'ratio',
  errors: `http_requests_total{service="api",route="${route}"${method ? `,method="${method}"` : ''},code=~"5.."}`,
  total: `http_requests_total{service="api",route="${route}"${method ? `,method="${method}"` : ''}}`,
});
const SLOS = [
  {
    id: 'orders-read',
    name: 'Orders read availability',
    service: 'orders',
    objective: 99.9,
    window: '30d',
    indicator: availability('/orders', 'GET'),
  },
  {
    id: 'orders-write',
    name: 'Orders write availability',
    service: 'orders',
    objective: 99.9,
    window: '30d',
    indicator: availability('/orders', 'POST'),
  },
  {
    id: 'search',
    name: 'Search availability',
    service: 'search',
    objective: 99.5,
    window: '7d',
    indicator: availability('/search'),
  },
  {
    id: 'search-latency',
    name: 'Search under 300 ms',
    service: 'search',
    objective: 99,
    window: '28d',
    indicator: {
      kind: 'latency',
      metric: 'http_request_duration_seconds',
      matchers: 'service="api",route="/search"',
      le: 0.3,
    },
  },
  {
    id: 'orders-latency',
    name: 'Orders read under 150 ms',
    service: 'orders',
    objective: 95,
    window: '30d',
    indicator: {
      kind: 'latency',
      metric: 'http_request_duration_seconds',
      matchers: 'service="api",route="/orders",method="GET"',
      le: 0.15,
    },
  },
  {
    id: 'api-monthly',
    name: 'API availability (calendar month)',
    service: 'api',
    objective: 99.5,
    window: 'month',
    indicator: {
      kind: 'ratio',
      errors: 'http_requests_total{service="api",code=~"5.."}',
      total: 'http_requests_total{service="api"}',
    },
  },
];

function compile(config: Configuration): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    }),
  );
}

let prom: PrometheusServer;
let api: TestApp;
/** One host page per Grafana runtime, loaded once (as a dashboard loads its plugins once). */
interface Host {
  server: HostServer;
  page?: Page;
}
const hosts: Partial<Record<'13.1' | '13.2', Host>> = {};
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  await compile(pluginConfig({ production: true, plugin: 'datasource-plugin' }));
  await compile(pluginConfig({ production: true, plugin: 'panel-plugin' }));
  await compile(hostConfig());
  await compile(hostConfig({ runtime: '13.2' }));

  prom = await startGoldenPrometheus();
  api = await createTestApp('sqlite', { env: { PROMETHEUS_URL: prom.url }, clock: new ManualClock(now) });
  for (const slo of SLOS) {
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/slos',
      payload: slo,
      headers: auth('editor'),
    });
    if (res.statusCode !== 201) throw new Error(`${slo.id}: ${res.body}`);
  }
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const backendUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  for (const runtime of ['13.1', '13.2'] as const) {
    const server = await startHostServer({
      uid: 'opsdeck',
      jsonData: { url: backendUrl },
      secureJsonData: { token: TOKENS.viewer },
      runtime,
    });
    hosts[runtime] = { server };
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  for (const host of Object.values(hosts)) await host.server.close();
  await api?.close();
  await prom?.remove();
});

interface RunResult {
  frames: number;
  rows: number;
  errors: string[];
}

let page: Page;

/** Renders in the runtime's host page; `page` is then that page. */
async function renderPanel(
  options: Record<string, unknown>,
  theme: 'light' | 'dark',
  size = { width: 1100, height: 640 },
  targets?: Array<Record<string, unknown>>,
  runtime: '13.1' | '13.2' = '13.1',
) {
  const host = hosts[runtime]!;
  if (!host.page) {
    host.page = await browser.newPage();
    host.page.on('pageerror', (e) => pageErrors.push(`${runtime}: ${e.message}`));
    await host.page.goto(host.server.url);
    await host.page.waitForFunction(() => 'opsdeckHost' in window, undefined, { timeout: 120_000 });
  }
  page = host.page;
  await page.setViewportSize({ width: size.width + 40, height: size.height + 40 });
  const result = (await page.evaluate(
    (spec) =>
      (window as unknown as { opsdeckHost: { run: (s: unknown) => Promise<unknown> } }).opsdeckHost.run(spec),
    {
      theme,
      options,
      ...size,
      now: now.toISOString(),
      datasourceUrl: '/api/datasources/proxy/uid/opsdeck',
      backendUrl: 'configured in the proxy',
      targets,
    },
  )) as RunResult;
  return result;
}

async function shoot(page: Page, name: string) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.locator('#panel').screenshot({ path: file });
  if (process.env.OPSDECK_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SHOTS, { recursive: true });
    copyFileSync(file, path.join(DOCS_SHOTS, `${name}.png`));
  }
}

it('builds each plugin as an AMD module.js within the size budget, Grafana packages external', () => {
  for (const dir of ['datasource-plugin', 'panel-plugin']) {
    const file = path.join(ROOT, dir, 'dist', 'module.js');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('define([')).toBe(true);
    const deps = JSON.parse(/^define\((\[[^\]]*\])/.exec(text)![1]!) as string[];
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/ui', 'react']));
    expect(statSync(file).size).toBeLessThanOrEqual(MAX_MODULE_BYTES);
  }
});

describe.each(['light', 'dark'] as const)('%s theme', (theme) => {
  it('cards: one card per SLO with live numbers from the backend', async () => {
    const result = await renderPanel({ layout: 'cards' }, theme);
    expect(result).toEqual({ frames: 1, rows: SLOS.length, errors: [] });
    const cards = page.getByTestId('slo-card');
    await expect(cards.count()).resolves.toBe(SLOS.length);
    // the golden history ends in a fast burn on GET /orders and a slow burn on POST /orders
    await expect(
      page.locator('[aria-label="Orders read availability"] [data-testid="slo-alert"]').textContent(),
    ).resolves.toBe('PAGE');
    await expect(
      page.locator('[aria-label="Orders write availability"] [data-testid="slo-alert"]').textContent(),
    ).resolves.toBe('TICKET');
    await expect(page.getByTestId('slo-burndown').count()).resolves.toBe(SLOS.length);
    await expect(page.getByRole('link', { name: 'Search availability' }).getAttribute('href')).resolves.toBe(
      '/a/opsdeck-sre-app/slos/search',
    );
    await shoot(page, `slo-panel-cards-${theme}`);
  });

  it('table: one row per SLO with burn-rate columns', async () => {
    await renderPanel({ layout: 'table' }, theme, { width: 1280, height: 300 });
    await expect(page.getByTestId('slo-table-row').count()).resolves.toBe(SLOS.length);
    await expect(page.getByRole('columnheader', { name: '3d' }).count()).resolves.toBe(1);
    await shoot(page, `slo-panel-table-${theme}`);
  });

  it('single: the chosen SLO with its gauge', async () => {
    await renderPanel({ layout: 'single', sloId: 'orders-read', budgetDisplay: 'gauge' }, theme, {
      width: 520,
      height: 460,
    });
    await expect(page.getByTestId('slo-card').count()).resolves.toBe(1);
    await expect(page.getByTestId('slo-card').getAttribute('aria-label')).resolves.toBe(
      'Orders read availability',
    );
    await expect(page.getByTestId('slo-budget-gauge').count()).resolves.toBe(1);
    await shoot(page, `slo-panel-single-${theme}`);
  });

  it('compliance history: every SLO over the last ISO weeks, met or missed, from the slo-compliance kind', async () => {
    const result = await renderPanel({ layout: 'history' }, theme, { width: 1100, height: 360 }, [
      { refId: 'A', kind: 'slo-compliance', periodKind: 'week', periods: 5 },
    ]);
    expect(result.errors).toEqual([]);
    const history = page.getByTestId('slo-compliance-history');
    await expect(history.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'SLO',
      '2026-W04',
      '2026-W05',
      '2026-W06',
      '2026-W07',
      '2026-W08',
      'Met',
    ]);
    await expect(history.getByRole('row').count()).resolves.toBe(SLOS.length + 1);
    // the history ends in a slow burn on POST /orders: its running week is missing the objective
    const write = history.getByRole('row', { name: /Orders write availability/ });
    await expect(write.getByLabel('2026-W08 missing').count()).resolves.toBe(1);
    await expect(write.getByLabel('2026-W07 met').count()).resolves.toBe(1);
    await shoot(page, `slo-panel-history-${theme}`);
  });
});

describe('on Grafana 13.2 with React 19', () => {
  it('renders every layout with live numbers', async () => {
    const result = await renderPanel({ layout: 'cards' }, 'dark', undefined, undefined, '13.2');
    expect(result).toEqual({ frames: 1, rows: SLOS.length, errors: [] });
    expect(
      await page.evaluate(() => (window as unknown as { opsdeckReactVersion?: string }).opsdeckReactVersion),
    ).toMatch(/^19\./);
    await expect(page.getByTestId('slo-card').count()).resolves.toBe(SLOS.length);
    await expect(
      page.locator('[aria-label="Orders read availability"] [data-testid="slo-alert"]').textContent(),
    ).resolves.toBe('PAGE');
    await page
      .locator('#panel')
      .screenshot({ path: path.join(SHOTS, 'grafana-13.2-slo-panel-cards-dark.png') });
    await renderPanel({ layout: 'table' }, 'light', { width: 1280, height: 300 }, undefined, '13.2');
    await expect(page.getByTestId('slo-table-row').count()).resolves.toBe(SLOS.length);
    await renderPanel(
      { layout: 'single', sloId: 'orders-read', budgetDisplay: 'gauge' },
      'light',
      { width: 520, height: 460 },
      undefined,
      '13.2',
    );
    await expect(page.getByTestId('slo-budget-gauge').count()).resolves.toBe(1);
  });
});

it('raised no errors in the page', () => {
  expect(pageErrors).toEqual([]);
});
