// Browser check of the built app: its dist/module.js loads as an AMD module in headless Chromium in the
// host page, against the real backend (with the repository's provisioning: SLOs, windows, runbooks)
// through the plugin proxy route. It declares an incident, ticks a runbook step and sees it in the
// timeline, resolves, writes the postmortem, and sees a High-risk change refused with the next slot.
// Screenshots land in .tmp/screenshots (and docs/screenshots with OPSDECK_UPDATE_SCREENSHOTS=1).
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import webpack, { type Configuration } from 'webpack';
import pluginConfig from '../../.config/webpack.config.js';
import {
  APP_TOKEN,
  PLUGIN_TEST_TOKENS,
  type Running,
  freePort,
  startPrometheus,
} from '../../datasource-plugin/src/test-support/opsdeck-stack';
import { type AppHost, SUB_PATH, startAppHost } from './app-host-server';
import appHostConfig from './webpack.app-host.js';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, '.tmp', 'screenshots');
const DOCS_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const APP = '/a/opsdeck-sre-app';

function compile(config: Configuration): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(config, (err, stats) => {
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    }),
  );
}

const answers = (url: string) =>
  new Promise<boolean>((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
  });

/** The built backend as it runs in production, loading the repository's provisioning files. */
async function startBackend(
  prometheusUrl: string,
): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-app-browser-'));
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'backend', 'dist', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dir, 'opsdeck.db')}`,
      PROMETHEUS_URL: prometheusUrl,
      OPSDECK_TOKENS: PLUGIN_TEST_TOKENS,
      OPSDECK_PROVISIONING_DIR: path.join(ROOT, 'provisioning'),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && !(await answers(`${url}/healthz`)); i++)
    await new Promise((r) => setTimeout(r, 200));
  return { url, child, dir };
}

let prometheus: Running;
let backend: { url: string; child: ChildProcess; dir: string };
let host: AppHost;
let browser: Browser;
const pageErrors: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  await compile(pluginConfig({ production: true, plugin: 'app-plugin' }));
  await compile(appHostConfig());
  prometheus = await startPrometheus();
  backend = await startBackend(prometheus.url);
  host = await startAppHost({
    jsonData: { backendUrl: backend.url },
    secureJsonData: { token: APP_TOKEN },
    role: 'Editor',
    login: 'alice',
  });
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
  await host?.close();
  if (backend) {
    backend.child.kill('SIGTERM');
    await new Promise((r) => backend.child.once('exit', r));
    rmSync(backend.dir, { recursive: true, force: true });
  }
  await prometheus?.stop();
});

interface OpenOptions {
  /** where the host loads module.js from, as Grafana hands it to its AMD loader */
  moduleUrl?: string;
  /** collects the URLs of the scripts the page loads */
  scripts?: string[];
}

async function open(
  pathAndQuery: string,
  theme: 'light' | 'dark' = 'light',
  { moduleUrl, scripts }: OpenOptions = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  if (scripts)
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(
    ({ t, m }) => Object.assign(window, { opsdeckTheme: t, ...(m ? { opsdeckModuleUrl: m } : {}) }),
    { t: theme, m: moduleUrl },
  );
  await page.goto(`${host.url}${pathAndQuery}`);
  await page.waitForFunction(
    () => (window as unknown as { opsdeckAppReady?: boolean }).opsdeckAppReady === true,
    undefined,
    { timeout: 60_000 },
  );
  return page;
}

async function shot(page: Page, name: string) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.OPSDECK_UPDATE_SCREENSHOTS === '1')
    copyFileSync(file, path.join(DOCS_SHOTS, `${name}.png`));
}

/** The Monday 10:00 UTC at least a day ahead, and the Tuesday 02:00 UTC after it (the guide's window). */
function mondayAndNextSlot(now: Date): { monday: string; slotStart: string } {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 2, 10));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  const tuesday = new Date(d.getTime() + 16 * 3_600_000);
  return {
    monday: d.toISOString().slice(0, 16),
    slotStart: `${tuesday.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  };
}

const PAYLOAD = '<img src=x onerror="window.__pwned=1">';

describe('opsdeck app in Chromium', () => {
  let incidentPath = '';

  it('declares an incident from a panel link', async () => {
    const page = await open(
      `${APP}/incidents/new?dashboardUid=opsdeck-service&dashboardTitle=opsdeck%20%2F%20Service&panelId=2&panelTitle=Error%20ratio&service=api`,
    );
    await page.getByLabel('Title').fill(`Checkout 5xx after deploy ${PAYLOAD}`);
    await page.getByRole('radio', { name: 'S1 Critical' }).check();
    await shot(page, 'app-incident-declare');
    await page.getByRole('button', { name: 'Declare S1' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    incidentPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: /Checkout 5xx after deploy/ }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('ticks a runbook step in the drawer and sees it in the timeline, then resolves', async () => {
    const page = await open(incidentPath);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Runbook' }).click();
    const step = page
      .getByRole('checkbox', { name: /^Check the error ratio per route|^Error ratio per route/ })
      .first();
    await step.check();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText(/Done \(API elevated errors\): Error ratio per route/).waitFor();
    await shot(page, 'app-runbook-drawer');
    await page.getByRole('button', { name: 'Close' }).dispatchEvent('click');
    await step.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Resolution note' }).fill('rolled back to the last good version');
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText(/· resolved /).waitFor();
    await shot(page, 'app-incident-detail');
    await page.close();
  });

  it('writes the postmortem with an action item', async () => {
    const page = await open(`${incidentPath}/postmortem`);
    await page.getByLabel('Root cause').fill('A config flag enabled a slow code path on checkout.');
    await page.getByLabel('Impact').fill('40 % of checkout requests failed for 18 minutes.');
    await page.getByRole('button', { name: 'Add action item' }).click();
    await page.locator('#ai-title-0').fill('Alert on the slow checkout path');
    await page.locator('#ai-owner-0').fill('bob');
    await page.locator('#ai-due-0').fill('2026-12-15');
    await page.getByRole('button', { name: 'Save postmortem' }).click();
    await page.getByText(/^Saved \(version \d+\)/).waitFor();
    await shot(page, 'app-postmortem');
    await page.close();
  });

  it('refuses a High-risk change outside a window and names the next slot', async () => {
    const page = await open(`${APP}/changes/new`);
    const { monday, slotStart } = mondayAndNextSlot(new Date());
    await page.getByLabel('Title').fill('Postgres 16 upgrade');
    await page.getByLabel('Service').fill('db');
    await page.getByRole('radio', { name: 'High', exact: true }).check();
    await page.getByLabel('Planned start (UTC)').fill(monday);
    const refusal = page.getByTestId('window-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('High risk changes run only inside a maintenance window');
    expect(await refusal.getByRole('button').textContent()).toContain(`Plan it for ${slotStart}`);
    expect(await page.getByRole('button', { name: 'Propose change' }).isDisabled()).toBe(true);
    await shot(page, 'app-change-refused');
    await page.close();
  });

  it.each([
    ['app-slos', `${APP}/slos`, 'light', 'Service level objectives'],
    ['app-incidents-dark', `${APP}/incidents`, 'dark', 'Incidents'],
    ['app-maintenance', `${APP}/maintenance`, 'light', 'Maintenance windows'],
    ['app-runbooks-dark', `${APP}/runbooks/api-elevated-errors`, 'dark', 'API elevated errors'],
  ] as const)('renders %s', async (name, url, theme, heading) => {
    const page = await open(url, theme);
    await page.getByRole('heading', { name: heading }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, name);
    await page.close();
  });

  it('loads its pages as chunks from wherever Grafana serves the plugin', async () => {
    for (const base of ['', SUB_PATH]) {
      const scripts: string[] = [];
      const pluginPath = `${base}/public/plugins/opsdeck-sre-app/`;
      const page = await open(`${APP}/runbooks`, 'light', { moduleUrl: `${pluginPath}module.js`, scripts });
      await page.getByRole('heading', { name: 'Runbooks' }).first().waitFor();
      const chunks = scripts.filter((s) => s !== `${pluginPath}module.js` && s.includes('/plugins/'));
      expect(chunks).toEqual(expect.arrayContaining([expect.stringMatching(/\/pages\.[0-9a-f]{8}\.js$/)]));
      for (const chunk of chunks) expect(chunk.startsWith(pluginPath)).toBe(true);
      await page.close();
    }
  });

  it('loaded without page errors or dialogs, and what preload loads on every page stays small', () => {
    expect(pageErrors).toEqual([]);
    expect(dialogs).toEqual([]);
    const dist = path.join(ROOT, 'app-plugin', 'dist');
    // Grafana loads module.js on every page of every user (preload); the pages come as chunks.
    expect(statSync(path.join(dist, 'module.js')).size).toBeLessThanOrEqual(150 * 1024);
    const files = readdirSync(dist);
    expect(files).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pages\.[0-9a-f]{8}\.js$/),
        expect.stringMatching(/^config\.[0-9a-f]{8}\.js$/),
      ]),
    );
    expect(existsSync(path.join(dist, 'plugin.json'))).toBe(true);
  });
});
