// Prometheus metrics of the silencer on the app's registry: cycles, per-target health and counts,
// and the state of every window on every target.
import { SILENCE_SYNC_STATES } from '@opsdeck/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CycleReport } from './reconciler';

export class SilencerMetrics {
  private readonly cycles: Counter<'result'>;
  private readonly duration: Histogram;
  private readonly leader: Gauge;
  private readonly lastCycle: Gauge;
  private readonly targetUp: Gauge<'target'>;
  private readonly managed: Gauge<'target'>;
  private readonly created: Counter<'target'>;
  private readonly expired: Counter<'target'>;
  private readonly deferred: Gauge<'target'>;
  private readonly errors: Counter<'target'>;
  private readonly windowState: Gauge<'window' | 'target' | 'state'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.cycles = new Counter({
      name: 'opsdeck_silencer_cycles_total',
      help: 'Silencer cycles by result: ok, error (a target or the cycle failed), skipped (another replica holds the lock).',
      labelNames: ['result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'opsdeck_silencer_cycle_duration_seconds',
      help: 'Duration of silencer cycles that ran.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.leader = new Gauge({
      name: 'opsdeck_silencer_leader',
      help: '1 when this replica ran the last silencer cycle, 0 when another replica held the lock.',
      registers,
    });
    this.lastCycle = new Gauge({
      name: 'opsdeck_silencer_last_cycle_timestamp_seconds',
      help: 'When this replica last ran a silencer cycle.',
      registers,
    });
    this.targetUp = new Gauge({
      name: 'opsdeck_silencer_target_up',
      help: '1 when the last cycle reconciled the target without error.',
      labelNames: ['target'],
      registers,
    });
    this.managed = new Gauge({
      name: 'opsdeck_silencer_silences',
      help: 'Live (active or pending) silences opsdeck manages on the target after the last cycle.',
      labelNames: ['target'],
      registers,
    });
    this.created = new Counter({
      name: 'opsdeck_silencer_silences_created_total',
      help: 'Silences the silencer created.',
      labelNames: ['target'],
      registers,
    });
    this.expired = new Counter({
      name: 'opsdeck_silencer_silences_expired_total',
      help: 'Silences the silencer expired (window removed, edited, disabled or ended early; duplicates).',
      labelNames: ['target'],
      registers,
    });
    this.deferred = new Gauge({
      name: 'opsdeck_silencer_deferred_writes',
      help: 'Writes (creates, expiries) of upcoming silences the last cycle left for the next one, past its write budget.',
      labelNames: ['target'],
      registers,
    });
    this.errors = new Counter({
      name: 'opsdeck_silencer_errors_total',
      help: 'Cycles in which the target failed (unreachable, timeout, refused request).',
      labelNames: ['target'],
      registers,
    });
    this.windowState = new Gauge({
      name: 'opsdeck_silencer_window_state',
      help: 'State of each maintenance window on each target: 1 for its current state (synced, pending, error).',
      labelNames: ['window', 'target', 'state'],
      registers,
    });
  }

  recordFailure(): void {
    this.cycles.inc({ result: 'error' });
  }

  record(report: CycleReport, seconds: number): void {
    if (!report.ran) {
      this.cycles.inc({ result: 'skipped' });
      this.leader.set(0);
      return;
    }
    this.leader.set(1);
    this.duration.observe(seconds);
    this.lastCycle.set(Date.parse(report.at) / 1000);
    this.cycles.inc({ result: report.targets.every((t) => t.ok) ? 'ok' : 'error' });
    for (const t of report.targets) {
      this.targetUp.set({ target: t.target }, t.ok ? 1 : 0);
      if (t.ok) this.managed.set({ target: t.target }, t.managed);
      this.created.inc({ target: t.target }, t.created);
      this.expired.inc({ target: t.target }, t.expired);
      this.deferred.set({ target: t.target }, t.deferred);
      if (!t.ok) this.errors.inc({ target: t.target });
    }
    // Rebuilt each cycle so deleted windows drop out of the series.
    this.windowState.reset();
    for (const s of report.states) {
      for (const state of SILENCE_SYNC_STATES) {
        this.windowState.set({ window: s.windowId, target: s.target, state }, s.state === state ? 1 : 0);
      }
    }
  }
}
