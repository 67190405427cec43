// A real Alertmanager (Debian's /usr/bin/prometheus-alertmanager) for tests and the silencer
// benchmark: free loopback port, temp storage, no clustering; it can be stopped, restarted with its
// state or wiped, on the same URL.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const CONFIG = `route:
  receiver: blackhole
  group_wait: 1s
receivers:
  - name: blackhole
`;

export interface AlertmanagerServer {
  url: string;
  port: number;
  /** Ends the process (silences are snapshotted on a clean stop); the URL stays reserved. */
  stop(): Promise<void>;
  /** Starts again on the same port, keeping the stored silences unless `wipe`, with a new `config` if given. */
  start(options?: { wipe?: boolean; config?: string }): Promise<void>;
  /** stop() and delete the storage */
  remove(): Promise<void>;
  /** Alerts as Alertmanager sees them, with their silenced state. */
  alerts(): Promise<AlertStatus[]>;
  /** Sends alerts that fire now, labelled as given. */
  postAlerts(labels: Array<Record<string, string>>): Promise<void>;
}

export interface AlertStatus {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[] };
}

/** `config`: an alertmanager.yml of the caller's (routes, receivers); a route to nowhere by default. */
export async function startAlertmanager(options: { config?: string } = {}): Promise<AlertmanagerServer> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-am-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, options.config ?? CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let generation = 0;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const start = async (options: { wipe?: boolean; config?: string } = {}): Promise<void> => {
    await stop();
    if (options.wipe) generation += 1;
    if (options.config !== undefined) writeFileSync(config, options.config);
    const storage = join(dir, `data-${generation}`);
    const c = spawn(
      '/usr/bin/prometheus-alertmanager',
      [
        `--config.file=${config}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    child = c;
    try {
      await waitReady(url, c, () => stderr);
    } catch (err) {
      await stop();
      throw err;
    }
  };

  await start();
  return {
    url,
    port,
    stop,
    start,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async alerts() {
      const res = await fetch(`${url}/api/v2/alerts`);
      if (!res.ok) throw new Error(`GET alerts: ${res.status} ${await res.text()}`);
      return (await res.json()) as AlertStatus[];
    },
    async postAlerts(labels) {
      const startsAt = new Date().toISOString();
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(labels.map((l) => ({ labels: l, startsAt }))),
      });
      if (!res.ok) throw new Error(`POST alerts: ${res.status} ${await res.text()}`);
    },
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager at ${url} not ready within 30s: ${stderr()}`);
}
