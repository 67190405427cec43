// Real processes for data source tests: the built opsdeck backend (`node backend/dist/main.js`) on a
// fresh SQLite file, and optionally Debian's Prometheus, each on a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process';
import { get } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BACKEND_MAIN = path.join(ROOT, 'backend', 'dist', 'main.js');

export const VIEWER_TOKEN = 'viewer-secret-for-plugin-tests';
export const EDITOR_TOKEN = 'editor-secret-for-plugin-tests';
/** The app's token, marked as Grafana's proxy token (OPSDECK_TOKENS `…:grafana-proxy`), as the stack ships it. */
export const APP_TOKEN = 'app-proxy-secret-for-plugin-tests';
export const PLUGIN_TEST_TOKENS = `grafana:viewer:${VIEWER_TOKEN},ci:editor:${EDITOR_TOKEN},grafana-app:editor:${APP_TOKEN}:grafana-proxy`;

export interface Running {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True when anything answers HTTP at `url` (jsdom test environments have no fetch). */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(true);
    });
    req.setTimeout(1000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${url}: process exited with ${child.exitCode}: ${output()}`);
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s: ${output()}`);
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  probe: string,
  cleanup: () => void,
): Promise<Running> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };
  return waitFor(probe, child, () => output).then(
    () => ({ url: new URL(probe).origin, stop }),
    async (err) => {
      await stop();
      throw err;
    },
  );
}

/** The built backend with viewer, editor and app tokens; `prometheusUrl` may point nowhere on purpose. */
export async function startBackend(prometheusUrl: string): Promise<Running> {
  if (!existsSync(BACKEND_MAIN))
    throw new Error(`${BACKEND_MAIN} is missing: run "npx tsc -b common backend" first`);
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-ds-test-'));
  const port = await freePort();
  return run(
    process.execPath,
    [BACKEND_MAIN],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dir, 'opsdeck.db')}`,
      PROMETHEUS_URL: prometheusUrl,
      OPSDECK_TOKENS: PLUGIN_TEST_TOKENS,
      OPSDECK_PROVISIONING_DIR: dir,
      LOG_LEVEL: 'warn',
    },
    `http://127.0.0.1:${port}/healthz`,
    () => rmSync(dir, { recursive: true, force: true }),
  );
}

/** An empty Prometheus: enough for the backend's readiness check. */
export async function startPrometheus(): Promise<Running> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-ds-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  evaluation_interval: 1m\n');
  const port = await freePort();
  return run(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {},
    `http://127.0.0.1:${port}/-/ready`,
    () => rmSync(dir, { recursive: true, force: true }),
  );
}
