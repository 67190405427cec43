// Escalation alerts out: each cycle computes the alerts the incidents raise now (common's
// escalation rules) and posts them to every Alertmanager, firing until a little after the next cycle
// (re-sent each cycle, as Prometheus re-sends its alerts) and ended with endsAt = now once false.
import {
  ESCALATION_ALERT_NAMES,
  type EscalationAlert,
  type EscalationLadder,
  type Incident,
  actionItemEscalation,
  incidentEscalations,
  postmortemEscalation,
} from '@opsdeck/common';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock';
import { listActionItems, listPostmortems } from '../incidents/postmortems';
import { lastCommsEntry } from '../incidents/timeline';
import { AlertmanagerClient, type PostableAlert, type SilenceTarget } from '../silencer/alertmanager-client';
import type { Store } from '../store/db';
import type { DocumentRepository } from '../store/documents';
import { EscalationMetrics } from './metrics';

/**
 * How many cycles an alert stays firing without being re-sent: Prometheus sends endsAt four resend
 * intervals ahead, so a missed push or two never flaps an alert, and a stopped opsdeck ends it soon.
 */
export const RESEND_CYCLES = 4;
/** Alerts per POST, so a storm of overdue items never becomes one huge request. */
const BATCH = 500;
/** Open incidents, overdue postmortems and action items read per cycle at most. */
const READ_LIMIT = 10_000;

export interface EscalationOptions {
  store: Store;
  incidents: DocumentRepository<Incident>;
  clock: Clock;
  targets: SilenceTarget[];
  intervalMs: number;
  requestTimeoutMs: number;
  ladder: EscalationLadder;
  /** The app's base URL in Grafana; links go to its incident pages. */
  appUrl: string;
  registry: Registry;
  log?: { warn(obj: object, msg: string): void };
}

export interface PushReport {
  at: string;
  firing: number;
  targets: Array<{ target: string; ok: boolean; sent: number; ended: number; error?: string }>;
}

const alertKey = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export class EscalationPusher {
  private readonly clients: AlertmanagerClient[];
  private readonly metrics: EscalationMetrics;
  /** Per target, the alerts it was last told are firing (so they can be ended when they stop). */
  private readonly sent = new Map<string, Map<string, PostableAlert>>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: EscalationOptions) {
    this.clients = options.targets.map((t) => new AlertmanagerClient(t, options.requestTimeoutMs));
    this.metrics = new EscalationMetrics(options.registry);
  }

  get targets(): SilenceTarget[] {
    return this.options.targets;
  }

  /** The link of an alert: the incident page, with the one-click acknowledge for an unacknowledged page. */
  incidentUrl(alert: Pick<EscalationAlert, 'incidentId' | 'acknowledge'>): string {
    const base = this.options.appUrl.replace(/\/+$/, '');
    return `${base}/incidents/${encodeURIComponent(alert.incidentId)}${alert.acknowledge ? '?action=acknowledge' : ''}`;
  }

  /** Every escalation alert true now. */
  async desired(now: Date): Promise<EscalationAlert[]> {
    const { store, incidents, ladder } = this.options;
    const rows = await store.db
      .selectFrom('incidents')
      .select('doc')
      .where('status', '!=', 'resolved')
      .limit(READ_LIMIT)
      .execute();
    const out: EscalationAlert[] = [];
    for (const row of rows) {
      const incident = JSON.parse(row.doc) as Incident;
      out.push(...incidentEscalations(incident, await lastCommsEntry(store.db, incident.id), now, ladder));
    }
    const cache = new Map<string, Incident | undefined>();
    const incidentOf = async (id: string) => {
      if (!cache.has(id)) cache.set(id, await incidents.get(id));
      return cache.get(id);
    };
    for (const pm of await listPostmortems(store.db, { overdue: true, limit: READ_LIMIT, now })) {
      const incident = await incidentOf(pm.incidentId);
      const status = pm.status as 'draft' | 'in-review' | 'published';
      const alert = incident && postmortemEscalation(incident, { dueAt: pm.dueAt, status }, now);
      if (alert) out.push(alert);
    }
    for (const item of await listActionItems(store.db, { overdue: true, limit: READ_LIMIT, now })) {
      const incident = await incidentOf(item.incidentId);
      const alert = incident && actionItemEscalation(incident, item, now);
      if (alert) out.push(alert);
    }
    return out;
  }

  private postable(alert: EscalationAlert, endsAt: string): PostableAlert {
    const url = this.incidentUrl(alert);
    return {
      labels: alert.labels,
      annotations: { summary: alert.summary, incident_url: url },
      startsAt: alert.startsAt,
      endsAt,
      generatorURL: url,
    };
  }

  /** Runs a cycle after any cycle in progress. */
  runCycle(): Promise<PushReport> {
    const next = this.queue.then(() => this.cycleOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async cycleOnce(): Promise<PushReport> {
    const now = this.options.clock.now();
    let alerts: EscalationAlert[];
    try {
      alerts = await this.desired(now);
    } catch (err) {
      this.metrics.cycleFailures.inc();
      throw err;
    }
    const endsAt = new Date(now.getTime() + RESEND_CYCLES * this.options.intervalMs).toISOString();
    const firing = new Map(alerts.map((a) => [alertKey(a.labels), this.postable(a, endsAt)]));
    this.metrics.firing.reset();
    for (const name of ESCALATION_ALERT_NAMES) {
      this.metrics.firing.set({ alertname: name }, alerts.filter((a) => a.labels.alertname === name).length);
    }
    const targets = await Promise.all(this.clients.map((c) => this.push(c, firing, now)));
    return { at: now.toISOString(), firing: firing.size, targets };
  }

  /**
   * What a target holds of opsdeck's alerts, read on the first push after a start: an alert that stopped while this
   * process was down (or that another replica sent) is ended now rather than when its endsAt passes.
   */
  private async held(client: AlertmanagerClient): Promise<Map<string, PostableAlert>> {
    const alerts = await client.listAlerts(`alertname=~"${ESCALATION_ALERT_NAMES.join('|')}"`);
    return new Map(
      alerts.map((a) => [
        alertKey(a.labels),
        {
          labels: a.labels,
          annotations: a.annotations,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          generatorURL: a.generatorURL,
        },
      ]),
    );
  }

  private async push(client: AlertmanagerClient, firing: Map<string, PostableAlert>, now: Date) {
    const target = client.target.name;
    let before = this.sent.get(target);
    try {
      before ??= await this.held(client);
      const ending = [...before]
        .filter(([key]) => !firing.has(key))
        .map(([, a]) => ({ ...a, endsAt: now.toISOString() }));
      const batch = [...firing.values(), ...ending];
      for (let i = 0; i < batch.length; i += BATCH) await client.postAlerts(batch.slice(i, i + BATCH));
      this.sent.set(target, firing);
      this.metrics.pushes.inc({ target, result: 'ok' });
      this.metrics.targetUp.set({ target }, 1);
      return { target, ok: true, sent: firing.size, ended: ending.length };
    } catch (err) {
      // Whatever may have arrived is ended on a later cycle: keep the old alerts beside the new ones
      // (unless the target's holdings were never read: then they are read on the next cycle).
      if (before) this.sent.set(target, new Map([...before, ...firing]));
      this.metrics.pushes.inc({ target, result: 'error' });
      this.metrics.targetUp.set({ target }, 0);
      const error = err instanceof Error ? err.message : String(err);
      this.options.log?.warn({ target, err: error }, 'escalation push failed; retrying next cycle');
      return { target, ok: false, sent: 0, ended: 0, error };
    }
  }

  /** Starts cycling every interval (measured from the end of the previous cycle). */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      try {
        await this.runCycle();
      } catch (err) {
        this.options.log?.warn({ err }, 'escalation cycle failed; retrying next interval');
      }
      if (this.running) this.timer = setTimeout(tick, this.options.intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the timer, waits for a cycle in progress and closes the connections. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.queue;
    for (const c of this.clients) c.close();
  }
}
