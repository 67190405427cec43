// One silencer cycle: for every target, compare the silences opsdeck wants (open and upcoming
// occurrences of enabled windows) with the ones this installation owns there, create what is
// missing, expire what is no longer wanted or duplicated, and report per window and target.
import {
  currentAndUpcoming,
  MAX_SILENCES_PER_WINDOW,
  type MaintenanceWindow,
  type OccurrenceAdjustment,
  type SilenceTargetState,
} from '@opsdeck/common';
import type { Clock } from '../clock';
import { AlertmanagerClient, type AmSilence, MAX_IN_FLIGHT, type SilenceTarget } from './alertmanager-client';
import { type DesiredSilence, desiredSilence, parseSilenceKey, SILENCE_CREATOR, slotOf } from './silence-key';

export interface ManagedWindow {
  window: MaintenanceWindow;
  adjustments: readonly OccurrenceAdjustment[];
}

/** Lets one replica at a time run a cycle (PostgreSQL advisory lock); absent with SQLite. */
export interface CycleLock {
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

export interface ReconcilerOptions {
  clock: Clock;
  targets: SilenceTarget[];
  lookAheadMs: number;
  requestTimeoutMs: number;
  /**
   * Creating thousands of silences at once (first start, a bulk import) is bound by Alertmanager's
   * write rate. Once this many ms have passed since the cycle began, no write starts on a silence
   * that starts later than `urgentWithinMs` from now (to create or to expire): it waits for the next
   * cycle, so cycles stay short and the soonest silences come first.
   */
  writeBudgetMs?: number;
  urgentWithinMs?: number;
  loadWindows(): Promise<ManagedWindow[]>;
  /** This installation's id (OPSDECK_INSTANCE_ID or the one kept in the store), marked on its silences. */
  instanceId(): Promise<string>;
  /**
   * Ids of the silences the last cycles kept per target (the stored states): how silences made before
   * instance ids are still known as this installation's own.
   */
  knownSilenceIds?(): Promise<Map<string, Set<string>>>;
  lock?: CycleLock;
}

export interface TargetReport {
  target: string;
  ok: boolean;
  error: string | null;
  created: number;
  expired: number;
  managed: number;
  /** writes (creates and expiries) of upcoming silences left for the next cycle by the write budget */
  deferred: number;
  durationMs: number;
}

export interface CycleReport {
  /** false when another replica held the lock and this one did nothing */
  ran: boolean;
  at: string;
  targets: TargetReport[];
  states: SilenceTargetState[];
}

function appliesTo(window: MaintenanceWindow, target: string): boolean {
  return window.targets.length === 0 || window.targets.includes(target);
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

export class Reconciler {
  private readonly clients: AlertmanagerClient[];

  constructor(private readonly options: ReconcilerOptions) {
    this.clients = options.targets.map((t) => new AlertmanagerClient(t, options.requestTimeoutMs));
  }

  get targets(): SilenceTarget[] {
    return this.options.targets;
  }

  async cycle(): Promise<CycleReport> {
    const { lock, clock } = this.options;
    const at = clock.now();
    const started = performance.now();
    if (lock && !(await lock.tryAcquire()))
      return { ran: false, at: at.toISOString(), targets: [], states: [] };
    try {
      const [windows, instance, knownIds] = await Promise.all([
        this.options.loadWindows(),
        this.options.instanceId(),
        this.options.knownSilenceIds?.() ?? new Map<string, Set<string>>(),
      ]);
      const enabled = windows.filter((w) => w.window.enabled);
      const desiredByWindow = new Map<string, DesiredSilence[]>();
      // A window whose schedule cannot be expanded (say, a hand-edited provisioning file) fails alone.
      const broken = new Map<string, string>();
      for (const { window, adjustments } of enabled) {
        try {
          // Soonest first and no more than a window may hold, also for one stored before the bound.
          const list = currentAndUpcoming(window, at, this.options.lookAheadMs, adjustments)
            .slice(0, MAX_SILENCES_PER_WINDOW)
            .map((o) => desiredSilence(window, o, instance));
          desiredByWindow.set(window.id, list);
        } catch (err) {
          broken.set(window.id, `schedule cannot be expanded: ${(err as Error).message}`);
        }
      }
      const results = await Promise.all(
        this.clients.map((client) =>
          this.reconcileTarget(client, windows, desiredByWindow, broken, at, started, {
            instance,
            knownIds: knownIds.get(client.target.name) ?? new Set(),
          }),
        ),
      );
      const known = new Set(this.clients.map((c) => c.target.name));
      const unknownTargetStates = windows.flatMap(({ window }) =>
        window.targets
          .filter((t) => !known.has(t))
          .map((target) => ({
            windowId: window.id,
            target,
            state: 'error' as const,
            message: `target ${target} is not configured: list it in ALERTMANAGER_URLS, or set GRAFANA_URL for "grafana"`,
            desired: window.enabled ? (desiredByWindow.get(window.id)?.length ?? 0) : 0,
            silenceIds: [],
            lastSyncAt: null,
            lastAttemptAt: at.toISOString(),
          })),
      );
      return {
        ran: true,
        at: at.toISOString(),
        targets: results.map((r) => r.report),
        states: [...results.flatMap((r) => r.states), ...unknownTargetStates],
      };
    } finally {
      if (lock) await lock.release();
    }
  }

  /** Closes the connections kept open to the targets. */
  close(): void {
    for (const client of this.clients) client.close();
  }

  private async reconcileTarget(
    client: AlertmanagerClient,
    windows: ManagedWindow[],
    desiredByWindow: Map<string, DesiredSilence[]>,
    broken: Map<string, string>,
    at: Date,
    cycleStarted: number,
    owner: { instance: string; knownIds: Set<string> },
  ): Promise<{ report: TargetReport; states: SilenceTargetState[] }> {
    const started = performance.now();
    const target = client.target.name;
    const relevant = windows.filter(({ window }) => appliesTo(window, target));
    const wanted = new Map<string, DesiredSilence>();
    for (const { window } of relevant)
      for (const d of desiredByWindow.get(window.id) ?? []) wanted.set(d.slot, d);

    const report: TargetReport = {
      target,
      ok: true,
      error: null,
      created: 0,
      expired: 0,
      managed: 0,
      deferred: 0,
      durationMs: 0,
    };
    const deferredByWindow = new Map<string, number>();
    const budgetEnds = cycleStarted + (this.options.writeBudgetMs ?? Infinity);
    const urgentUntil = new Date(at.getTime() + (this.options.urgentWithinMs ?? 0)).toISOString();
    /** Past the budget only silences that are open or about to open get a write; the rest wait. */
    const defer = (windowId: string, startsAt: string): boolean => {
      if (performance.now() <= budgetEnds || startsAt <= urgentUntil) return false;
      report.deferred += 1;
      deferredByWindow.set(windowId, (deferredByWindow.get(windowId) ?? 0) + 1);
      return true;
    };
    const failures = new Map<string, string>();
    const liveByWindow = new Map<string, string[]>();
    let listError: string | null = null;

    try {
      const bySlot = new Map<string, AmSilence[]>();
      const sorted = (await client.listSilences()).sort((a, b) => a.id.localeCompare(b.id));
      for (const s of sorted) {
        const key =
          s.createdBy === SILENCE_CREATOR && s.status.state !== 'expired' ? parseSilenceKey(s.comment) : null;
        if (!key) continue;
        const slot = slotOf(key);
        // Ours: marked with our id, or unmarked (made before instance ids) and either kept by our
        // earlier cycles or exactly a silence we want (adopted instead of duplicated). A silence
        // marked with another id is never ours, even if our stored states list it: a store copied
        // from another installation lists that one's silences.
        const ours =
          key.instance === owner.instance ||
          (key.instance === null && (owner.knownIds.has(s.id) || wanted.has(slot)));
        if (ours) bySlot.set(slot, [...(bySlot.get(slot) ?? []), s]);
      }
      const toCreate = [...wanted.values()]
        .filter((d) => !bySlot.has(d.slot))
        .sort((a, b) => a.silence.startsAt.localeCompare(b.silence.startsAt));
      const toExpire: AmSilence[] = [];
      for (const [slot, silences] of bySlot) {
        // A wanted slot keeps exactly one silence; the rest (a race with another replica) go.
        const windowId = parseSilenceKey(silences[0]!.comment)!.windowId;
        const keep = wanted.has(slot) || broken.has(windowId) ? 1 : 0;
        toExpire.push(...silences.slice(keep));
        if (keep) this.addLive(liveByWindow, windowId, silences[0]!.id);
      }
      // Create before expiring, so an edited window never leaves a gap without a silence.
      await inBatches(toCreate, MAX_IN_FLIGHT, async (d) => {
        if (defer(d.windowId, d.silence.startsAt)) return;
        try {
          const id = await client.createSilence(d.silence);
          report.created += 1;
          this.addLive(liveByWindow, d.windowId, id);
        } catch (err) {
          failures.set(d.windowId, (err as Error).message);
        }
      });
      toExpire.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      await inBatches(toExpire, MAX_IN_FLIGHT, async (s) => {
        const windowId = parseSilenceKey(s.comment)!.windowId;
        if (defer(windowId, new Date(s.startsAt).toISOString())) return;
        try {
          await client.expireSilence(s.id);
          report.expired += 1;
        } catch (err) {
          failures.set(windowId, (err as Error).message);
        }
      });
    } catch (err) {
      listError = (err as Error).message;
    }

    report.managed = [...liveByWindow.values()].reduce((n, ids) => n + ids.length, 0);
    const firstFailure = failures.values().next();
    report.error = listError ?? (firstFailure.done ? null : firstFailure.value);
    report.ok = report.error === null;
    report.durationMs = Math.round(performance.now() - started);

    const atIso = at.toISOString();
    const states = relevant.map(({ window }): SilenceTargetState => {
      const error = broken.get(window.id) ?? listError ?? failures.get(window.id) ?? null;
      const deferred = deferredByWindow.get(window.id) ?? 0;
      const base = {
        windowId: window.id,
        target,
        desired: desiredByWindow.get(window.id)?.length ?? 0,
        silenceIds: (liveByWindow.get(window.id) ?? []).sort(),
        lastAttemptAt: atIso,
      };
      if (error) return { ...base, state: 'error', message: error, lastSyncAt: null };
      if (deferred) {
        return {
          ...base,
          state: 'pending',
          message: `${deferred} write(s) to upcoming silences left for the next cycle`,
          lastSyncAt: null,
        };
      }
      return { ...base, state: 'synced', message: null, lastSyncAt: atIso };
    });
    return { report, states };
  }

  private addLive(map: Map<string, string[]>, windowId: string, id: string): void {
    map.set(windowId, [...(map.get(windowId) ?? []), id]);
  }
}
