// A real Prometheus (Debian's /usr/bin/prometheus) for tests: free loopback port, temp data dir,
// optional golden-history blocks and rule files, ready when /-/ready answers, stopped by the test.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { goldenBlocksDir } from './golden-history';

const run = promisify(execFile);

export interface PrometheusOptions {
  /** copy these TSDB blocks (e.g. `await goldenBlocksDir()`/blocks) into the data dir */
  blocks?: string[];
  /** rule files (YAML text) loaded by the server */
  rules?: string[];
  /** reuse this data dir (a restart keeps the data) instead of a new temp one */
  dataDir?: string;
  /** listen on this port (to come back where a stopped server was) instead of a free one */
  port?: number;
}

export interface PrometheusServer {
  url: string;
  port: number;
  dataDir: string;
  /** Ends the process; the data dir stays until `remove()`. */
  stop(): Promise<void>;
  /** stop() and delete the data dir */
  remove(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'opsdeck-prom-'));
  const tsdb = join(dataDir, 'tsdb');
  for (const blocks of options.blocks ?? []) cpSync(blocks, tsdb, { recursive: true });
  const ruleFiles = (options.rules ?? []).map((text, i) => {
    const file = join(dataDir, `rules-${i}.yml`);
    writeFileSync(file, text);
    return file;
  });
  const config = join(dataDir, 'prometheus.yml');
  writeFileSync(
    config,
    `global:\n  evaluation_interval: 1m\nrule_files:\n${ruleFiles.map((f) => `  - ${f}\n`).join('')}`,
  );
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${tsdb}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    await waitReady(url, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    port,
    dataDir,
    stop,
    async remove() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr()}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus at ${url} not ready within 60s: ${stderr()}`);
}

/** Prometheus over the golden history, optionally with rule files loaded. */
export async function startGoldenPrometheus(rules: string[] = []): Promise<PrometheusServer> {
  const dir = await goldenBlocksDir();
  return startPrometheus({ blocks: [join(dir, 'blocks')], rules });
}

/**
 * Evaluates recording rules over [start, end] of the history a running Prometheus holds, with
 * `promtool tsdb create-blocks-from rules`, into `workDir`/NAME; returns the directory of the new
 * blocks. Rules reading other rules need those backfilled and loaded first (one call per level).
 */
export async function backfillRules(
  url: string,
  rules: string,
  start: number,
  end: number,
  workDir: string,
  name: string,
): Promise<string> {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'rules.yml');
  writeFileSync(file, rules);
  const out = join(dir, 'blocks');
  await run(
    'promtool',
    [
      'tsdb',
      'create-blocks-from',
      'rules',
      '--quiet',
      // week-long blocks: 2h blocks leave Prometheus hundreds to open and compact after a 30-day
      // backfill; a block is also one query_range, which Prometheus caps at 11,000 points (7d at 60s)
      '--max-block-duration=168h',
      `--url=${url}`,
      `--start=${start}`,
      `--end=${end}`,
      '--eval-interval=60s',
      `--output-dir=${out}`,
      file,
    ],
    { maxBuffer: 64 << 20 },
  );
  return out;
}
