// Change metrics on the app's registry: finished changes by risk and outcome, and the change
// failure rate over the last 30 days read from the store at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';
import { type Change, type ChangeStatus, changeFailureRate } from '@opsdeck/common';
import type { Clock } from '../clock';
import type { Store } from '../store/db';

export const FAILURE_RATE_WINDOW_DAYS = 30;

export interface ChangeMetrics {
  finished(change: Change): void;
}

export function registerChangeMetrics(registry: Registry, store: Store, clock: Clock): ChangeMetrics {
  const finished = new Counter({
    name: 'opsdeck_changes_finished_total',
    help: 'Changes that ended, by risk and outcome (completed, rolled-back, failed, cancelled).',
    labelNames: ['risk', 'outcome', 'kind'],
    registers: [registry],
  });
  new Gauge({
    name: 'opsdeck_change_failure_rate',
    help: `(rolled back + failed) / (completed + rolled back + failed) over changes started in the last ${FAILURE_RATE_WINDOW_DAYS} days.`,
    registers: [registry],
    async collect() {
      const since = clock.now().getTime() - FAILURE_RATE_WINDOW_DAYS * 86_400_000;
      const rows = await store.db
        .selectFrom('changes')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('at', '>=', since)
        .groupBy('status')
        .execute();
      const counts: Partial<Record<ChangeStatus, number>> = {};
      for (const r of rows) counts[r.status as ChangeStatus] = Number(r.n);
      this.set(changeFailureRate(counts) ?? 0);
    },
  });
  new Gauge({
    name: 'opsdeck_changes',
    help: `Changes started in the last ${FAILURE_RATE_WINDOW_DAYS} days by risk and status.`,
    labelNames: ['risk', 'status'],
    registers: [registry],
    async collect() {
      const since = clock.now().getTime() - FAILURE_RATE_WINDOW_DAYS * 86_400_000;
      const rows = await store.db
        .selectFrom('changes')
        .select(['risk', 'status', (eb) => eb.fn.countAll().as('n')])
        .where('at', '>=', since)
        .groupBy(['risk', 'status'])
        .execute();
      this.reset();
      for (const r of rows) this.set({ risk: r.risk, status: r.status }, Number(r.n));
    },
  });
  return {
    finished(c) {
      finished.inc({ risk: c.risk, outcome: c.status, kind: c.kind });
    },
  };
}
