// The silencer service: runs reconcile cycles one at a time (on a timer, or at once when a window
// changes), stores their outcome and feeds the metrics. The Fastify plugin owns its lifetime.
import type { MaintenanceWindow } from '@opsdeck/common';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { Store } from '../store/db';
import type { SilenceTarget } from './alertmanager-client';
import { PostgresCycleLock } from './cycle-lock';
import { SilencerMetrics } from './metrics';
import { type CycleReport, Reconciler } from './reconciler';
import { SilencerStore } from './silencer-store';

/**
 * Time into a cycle after which writes start only for silences that are open or about to open; the
 * others wait for the next cycle. In-flight writes, the imminent ones and saving the states follow,
 * so a cycle that ran out of budget ends well inside the 2 s a cycle may take.
 */
export const WRITE_BUDGET_MS = 1000;

/**
 * Pause before the next cycle while writes are waiting (rather than the full interval), so a bulk
 * start of thousands of silences completes in seconds, not in minutes of intervals.
 */
export const CATCH_UP_DELAY_MS = 1000;

export interface SilencerOptions {
  store: Store;
  listWindows(): Promise<MaintenanceWindow[]>;
  clock: Clock;
  targets: SilenceTarget[];
  intervalMs: number;
  lookAheadMs: number;
  requestTimeoutMs: number;
  /** OPSDECK_INSTANCE_ID; unset, the id kept in the store (made at the first start). */
  instanceId?: string;
  /** WRITE_BUDGET_MS unless given */
  writeBudgetMs?: number;
  registry: Registry;
  log?: { warn(obj: object, msg: string): void };
}

export class Silencer {
  readonly state: SilencerStore;
  readonly intervalMs: number;
  readonly lookAheadMs: number;
  private readonly reconciler: Reconciler;
  private readonly lock: PostgresCycleLock | undefined;
  private readonly metrics: SilencerMetrics;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private instance: Promise<string> | undefined;
  lastReport: CycleReport | null = null;

  constructor(private readonly options: SilencerOptions) {
    this.state = new SilencerStore(options.store);
    this.intervalMs = options.intervalMs;
    this.lookAheadMs = options.lookAheadMs;
    this.lock = options.store.dialect === 'postgres' ? new PostgresCycleLock(options.store.url) : undefined;
    this.metrics = new SilencerMetrics(options.registry);
    this.reconciler = new Reconciler({
      clock: options.clock,
      targets: options.targets,
      lookAheadMs: options.lookAheadMs,
      requestTimeoutMs: options.requestTimeoutMs,
      writeBudgetMs: options.writeBudgetMs ?? WRITE_BUDGET_MS,
      // Whatever starts before the cycle after next is created (or expired) now, budget or not.
      urgentWithinMs: 2 * options.intervalMs + options.requestTimeoutMs,
      lock: this.lock,
      instanceId: () => this.instanceId(),
      knownSilenceIds: () => this.state.knownSilenceIds(),
      loadWindows: async () => {
        const [windows, adjustments] = await Promise.all([
          options.listWindows(),
          this.state.adjustmentsByWindow(),
        ]);
        return windows.map((window) => ({ window, adjustments: adjustments.get(window.id) ?? [] }));
      },
    });
  }

  get targets(): SilenceTarget[] {
    return this.options.targets;
  }

  /** The id this installation's silences carry (`instance=` in their comment). */
  instanceId(): Promise<string> {
    if (!this.instance) {
      const configured = this.options.instanceId;
      this.instance = configured ? Promise.resolve(configured) : this.state.instanceId();
      // A failed read is retried by the next caller rather than remembered.
      this.instance.catch(() => (this.instance = undefined));
    }
    return this.instance;
  }

  /** Runs a cycle after any cycle in progress; resolves with its report (throws if the cycle failed). */
  runCycle(): Promise<CycleReport> {
    const next = this.queue.then(() => this.cycleOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async cycleOnce(): Promise<CycleReport> {
    const started = process.hrtime.bigint();
    try {
      const report = await this.reconciler.cycle();
      if (report.ran) await this.state.saveCycle(report.states, new Date(report.at));
      this.metrics.record(report, Number(process.hrtime.bigint() - started) / 1e9);
      this.lastReport = report;
      return report;
    } catch (err) {
      this.metrics.recordFailure();
      throw err;
    }
  }

  /** Time to wait after a cycle: the interval, or less while the write budget left writes waiting. */
  delayAfter(report: CycleReport | null): number {
    const waiting = report?.targets.some((t) => t.deferred > 0) ?? false;
    return waiting ? Math.min(this.intervalMs, CATCH_UP_DELAY_MS) : this.intervalMs;
  }

  /** Starts cycling every interval (measured from the end of the previous cycle). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      let report: CycleReport | null = null;
      try {
        report = await this.runCycle();
      } catch (err) {
        this.options.log?.warn({ err }, 'silencer cycle failed; retrying next interval');
      }
      if (this.running) this.timer = setTimeout(tick, this.delayAfter(report));
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the timer and waits for a cycle in progress. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.queue;
    this.reconciler.close();
    await this.lock?.close();
  }
}
