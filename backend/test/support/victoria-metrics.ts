// A real VictoriaMetrics (Debian's /usr/bin/victoria-metrics) for tests, the second Prometheus-compatible
// engine: free loopback port, temp data dir, retention long enough for the golden history, which is
// imported with its timestamps through /api/v1/import/prometheus; ready when /health answers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GoldenHistory } from './golden-data';
import { MINUTES, START, STEP_SECONDS } from './golden-data';
import { freePort } from './prometheus';

export const VICTORIA_METRICS_BIN = '/usr/bin/victoria-metrics';
export const VMALERT_BIN = '/usr/bin/vmalert';

export interface VictoriaMetricsServer {
  url: string;
  /** Ends the process and deletes the data dir. */
  remove(): Promise<void>;
}

export async function startVictoriaMetrics(): Promise<VictoriaMetricsServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-vm-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    VICTORIA_METRICS_BIN,
    [
      `-storageDataPath=${dataDir}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      // the golden history sits months before the machine's clock; older samples than this are dropped
      '-retentionPeriod=100y',
      // a 30d threshold SLO at 60s slices is a 43,200-point subquery; the default refuses over 30,000
      '-search.maxPointsPerTimeseries=100000',
      // backfilled data: answers must come from the samples, not from a cache filled before the import
      '-search.disableCache',
      '-loggerLevel=WARN',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const remove = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await remove();
      throw new Error(`victoria-metrics exited with ${child.exitCode}: ${stderr}`);
    }
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await remove();
      throw new Error(`victoria-metrics at ${url} not ready within 60s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, remove };
}

const labelText = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

/**
 * Imports every sample of the history in Prometheus text format with millisecond timestamps, one
 * series per request, then flushes so the samples are searchable at once.
 */
export async function importGoldenHistory(vm: VictoriaMetricsServer, history: GoldenHistory): Promise<void> {
  for (const s of history.series) {
    const prefix = `${s.name}${labelText(s.labels)} `;
    const lines: string[] = new Array(MINUTES + 1);
    for (let i = 0; i <= MINUTES; i++)
      lines[i] = `${prefix}${s.values[i]} ${(START + i * STEP_SECONDS) * 1000}`;
    const res = await fetch(`${vm.url}/api/v1/import/prometheus`, {
      method: 'POST',
      body: `${lines.join('\n')}\n`,
    });
    if (res.status !== 204) throw new Error(`import of ${prefix}failed: ${res.status} ${await res.text()}`);
  }
  const flushed = await fetch(`${vm.url}/internal/force_flush`);
  if (!flushed.ok) throw new Error(`force_flush answered ${flushed.status}`);
}
