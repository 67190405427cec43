// Silencer benchmark: 1,000 maintenance windows reconciled against two real Alertmanagers, through
// the same Silencer service the app runs (SQLite store, state saved, metrics recorded).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { MaintenanceWindow } from '@opsdeck/common';
import { Registry } from 'prom-client';
import { systemClock } from '../clock';
import { MAX_IN_FLIGHT, configuredTargets } from '../silencer/alertmanager-client';
import { Silencer } from '../silencer/silencer';
import { openStore } from '../store/db';
import { createRepositories } from '../store/repositories';
import { type AlertmanagerServer, startAlertmanager } from './alertmanager-process';
import type { BenchResult } from './result';

const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 1000);
const TARGET_SECONDS = 2;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];

/** Daily windows at times spread over the day, so each has one or two occurrences in the look-ahead. */
function window(i: number): Omit<MaintenanceWindow, 'version' | 'createdAt' | 'updatedAt' | 'createdBy'> {
  const minute = (i * 37) % (24 * 60);
  const hh = String(Math.floor(minute / 60)).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return {
    id: `bench-${i}`,
    name: `bench window ${i}`,
    description: '',
    service: `svc-${i % 50}`,
    timeZone: ZONES[i % ZONES.length]!,
    schedule: {
      kind: 'rrule',
      rrule: 'FREQ=DAILY',
      start: `2026-01-01T${hh}:${mm}`,
      durationMinutes: 60 + (i % 4) * 30,
    },
    matchers: [
      { name: 'service', op: '=', value: `svc-${i % 50}` },
      { name: 'instance', op: '=~', value: `host-${i}-.*` },
    ],
    targets: [],
    changeId: null,
    enabled: true,
    excludeFromSlos: [],
    source: 'api',
  };
}

/**
 * The baseline: as many silences as the start-up cycles created, POSTed straight to the same Alertmanagers with
 * Node's http on kept-alive connections, MAX_IN_FLIGHT at a time per target, targets in parallel — the time
 * Alertmanager itself takes to accept them.
 */
async function directCreates(urls: string[], total: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    urls.map(async (base, t) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
      const post = (i: number) =>
        new Promise<void>((resolve, reject) => {
          const body = JSON.stringify({
            matchers: [{ name: 'instance', value: `direct-${t}-${i}`, isRegex: false, isEqual: true }],
            startsAt: new Date().toISOString(),
            endsAt: new Date(Date.now() + 3_600_000).toISOString(),
            createdBy: 'bench',
            comment: 'baseline',
          });
          const req = http.request(
            `${base}/api/v2/silences`,
            { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              res.on('end', () =>
                res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`)),
              );
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      let next = 0;
      const share = Math.ceil(total / urls.length);
      const worker = async () => {
        while (next < share) await post(next++);
      };
      await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, worker));
      agent.destroy();
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Result, wall seconds and the CPU seconds opsdeck itself spent (the machine may be shared). */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t0 = process.hrtime.bigint();
  const u0 = process.cpuUsage();
  const result = await fn();
  const u = process.cpuUsage(u0);
  return [result, Number(process.hrtime.bigint() - t0) / 1e9, (u.user + u.system) / 1e6];
}

const round = (s: number) => Math.round(s * 1000) / 1000;

export async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-bench-silencer-'));
  const ams: AlertmanagerServer[] = await Promise.all([startAlertmanager(), startAlertmanager()]);
  const store = await openStore(`sqlite:${path.join(dir, 'bench.db')}`);
  try {
    const repos = createRepositories(store);
    const ctx = { actor: 'bench', at: systemClock.now() };
    for (let i = 0; i < WINDOWS; i++) await repos.maintenanceWindows.insert(window(i), ctx);
    const silencer = new Silencer({
      store,
      listWindows: () => repos.maintenanceWindows.all(),
      clock: systemClock,
      targets: configuredTargets({
        ALERTMANAGER_URLS: ams.map((a) => a.url),
        GRAFANA_URL: '',
        GRAFANA_TOKEN: '',
      }),
      intervalMs: 10_000,
      lookAheadMs: 24 * 3_600_000,
      requestTimeoutMs: 5_000,
      registry: new Registry(),
    });

    // Cycles until every wanted silence exists: the write budget spreads a bulk start over a few,
    // separated by the pause the silencer's loop takes while writes wait.
    const first: number[] = [];
    let created = 0;
    let firstDeferred = 0;
    const failures: string[] = [];
    const startedAt = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) {
      const [report, seconds] = await timed(() => silencer.runCycle());
      first.push(seconds);
      created += report.targets.reduce((n, t) => n + t.created, 0);
      if (i === 0) firstDeferred = report.targets.reduce((n, t) => n + t.deferred, 0);
      failures.push(...report.targets.flatMap((t) => (t.error ? [t.error] : [])));
      if (report.targets.every((t) => t.deferred === 0)) break;
      await new Promise((r) => setTimeout(r, silencer.delayAfter(report)));
    }
    const startSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const steady: number[] = [];
    const steadyCpu: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [, seconds, cpu] = await timed(() => silencer.runCycle());
      steady.push(seconds);
      steadyCpu.push(cpu);
    }

    // An edit to 10 % of the windows: each of their silences is replaced (create + expire).
    for (let i = 0; i < WINDOWS; i += 10) {
      await repos.maintenanceWindows.update(
        `bench-${i}`,
        undefined,
        (w) => ({ ...w, matchers: [...w.matchers, { name: 'edited', op: '=', value: 'yes' }] }),
        ctx,
      );
    }
    const [edit, editSeconds] = await timed(() => silencer.runCycle());

    failures.push(...edit.targets.flatMap((t) => (t.error ? [t.error] : [])));
    const direct = await directCreates(
      ams.map((a) => a.url),
      created,
    );
    for (const f of failures) process.stderr.write(`  silencer bench: a target failed: ${f}\n`);
    const worst = Math.max(...first, editSeconds, ...steady);
    return [
      {
        name: `silencer: ${WINDOWS} windows × ${ams.length} real Alertmanagers, one cycle`,
        figures: {
          windows: WINDOWS,
          targets: ams.length,
          silences_created_at_start: created,
          start_first_cycle_deferred: firstDeferred,
          start_cycles_until_all_created: first.length,
          start_s_until_all_created: round(startSeconds),
          start_first_cycle_s: round(first[0]!),
          start_cycle_max_s: round(Math.max(...first)),
          steady_cycle_median_s: round(steady.sort((a, b) => a - b)[Math.floor(steady.length / 2)]!),
          steady_cycle_max_s: round(Math.max(...steady)),
          steady_cycle_opsdeck_cpu_s: round(Math.max(...steadyCpu)),
          load_average_1m: Math.round(os.loadavg()[0]! * 10) / 10,
          edit_10pct_cycle_s: round(editSeconds),
          edit_created: edit.targets.reduce((n, t) => n + t.created, 0),
          edit_expired: edit.targets.reduce((n, t) => n + t.expired, 0),
          failed_targets: failures.length,
        },
        baseline: {
          name: 'the same number of silences POSTed straight to the Alertmanagers (8 in flight per target)',
          figures: { direct_create_s: round(direct) },
        },
        // start-up (schedules expanded, silences listed, compared, created, state saved) over the creates alone
        ratio: Math.round((startSeconds / direct) * 100) / 100,
        target: `every cycle ≤ ${TARGET_SECONDS} s (start-up, steady, and after editing 10 % of windows)`,
        pass: failures.length === 0 && worst <= TARGET_SECONDS,
      },
    ];
  } finally {
    await store.close();
    await Promise.all(ams.map((a) => a.remove()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
