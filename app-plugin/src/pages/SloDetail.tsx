// One SLO: burn rates, alert state, the budget burn-down with the service's incidents and changes
// on the same time axis, and its runbook in the drawer.
import {
  BURN_RATE_ALERTS,
  BURN_RATE_WINDOWS,
  SLO_ALERT_NAME,
  burnRateFactor,
  type Change,
  type Incident,
  type Slo,
} from '@opsdeck/common';
import { Badge, Button, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import { api } from '../api/client';
import type { PageOf, SloBudget, SloStatus } from '../api/types';
import { BurnDown, type Marker } from '../components/BurnDown';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { isPrometheusUnavailable, SloStatusError } from '../components/SloStatusError';
import { RunbookDrawer } from '../components/RunbookDrawer';
import { pages } from '../constants';
import { burn, percent, utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { getPageStyles } from '../styles';

const RANGE_MS = 7 * 86_400_000;

export function SloDetail({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const [drawer, setDrawer] = useState(false);
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - RANGE_MS).toISOString(), to: to.toISOString() };
  }, []);
  const path = `/api/v1/slos/${encodeURIComponent(id)}`;
  const slo = useLoad(() => api.get<Slo>(path), [path]);
  const status = useLoad(() => api.get<SloStatus>(`${path}/status`), [path]);
  const budget = useLoad(
    () => api.get<SloBudget>(`${path}/budget`, { ...range, maxDataPoints: 200 }),
    [path, range],
  );
  const service = slo.value?.service;
  const incidents = useLoad(
    () =>
      service
        ? api.get<PageOf<Incident>>('/api/v1/incidents', { service, limit: 50 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [service],
  );
  const changes = useLoad(
    () =>
      service
        ? api.get<PageOf<Change>>('/api/v1/changes', { service, limit: 50 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [service],
  );
  const markers: Marker[] = [
    ...(incidents.value?.items ?? []).map((i) => ({
      at: i.startedAt,
      kind: 'incident' as const,
      label: i.title,
    })),
    ...(changes.value?.items ?? []).map((c) => ({
      at: c.startedAt ?? c.plannedStart ?? c.createdAt,
      kind: 'change' as const,
      label: c.title,
    })),
  ];
  const s = status.value;

  return (
    <Stack direction="column" gap={2}>
      <ErrorAlert error={slo.error} title={`Could not load SLO ${id}`} />
      {slo.loading && !slo.value && <LoadingPlaceholder text="Loading SLO…" />}
      {slo.value && (
        <div className={styles.header}>
          <div>
            <h2>{slo.value.name}</h2>
            <span className={styles.muted}>
              {slo.value.service} · objective {slo.value.objective} % over {slo.value.window} ·{' '}
              {slo.value.indicator.kind} indicator
            </span>
          </div>
          <Button variant="secondary" icon="book-open" onClick={() => setDrawer(true)}>
            Runbook
          </Button>
        </div>
      )}
      <SloStatusError error={status.error} title="Could not evaluate the SLO" />
      {s && (
        <div className={styles.grid}>
          <section className={styles.card} aria-label="Compliance">
            <h4>Compliance</h4>
            <p>
              SLI {percent(s.sli, 3)} against {percent(s.objective, 3)}; budget remaining{' '}
              {percent(s.errorBudget.remaining, 1)} (consumed {percent(s.errorBudget.consumed, 1)}), window{' '}
              {utc(s.window.start)} – {utc(s.window.end)}.
            </p>
            <Stack gap={1}>
              <Badge
                color={s.alerts.page ? 'red' : 'green'}
                text={s.alerts.page ? 'page alert firing' : 'no page'}
                icon="bell"
              />
              <Badge
                color={s.alerts.ticket ? 'orange' : 'green'}
                text={s.alerts.ticket ? 'ticket alert firing' : 'no ticket'}
              />
            </Stack>
          </section>
          <section className={styles.card} aria-label="Burn rates">
            <h4>Burn rates</h4>
            <table className={styles.table}>
              <thead>
                <tr>
                  {BURN_RATE_WINDOWS.map((w) => (
                    <th key={w}>{w}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  {BURN_RATE_WINDOWS.map((w) => (
                    <td key={w}>{burn(s.burnRates[w])}</td>
                  ))}
                </tr>
              </tbody>
            </table>
            <p className={styles.muted}>
              {BURN_RATE_ALERTS.map(
                (a) =>
                  `${a.severity} when ${a.long} & ${a.short} ≥ ${burnRateFactor(a, slo.value?.window ?? '30d')}`,
              ).join('; ')}
              .
            </p>
          </section>
        </div>
      )}
      <section className={styles.card} aria-label="Burn-down">
        <h4>Error budget, last 7 days</h4>
        {isPrometheusUnavailable(budget.error) && isPrometheusUnavailable(status.error) ? (
          <p className={styles.muted}>No budget series while Prometheus cannot be reached (see above).</p>
        ) : (
          <ErrorAlert error={budget.error} title="Could not read the budget series" />
        )}
        {budget.value && (
          <BurnDown
            from={budget.value.from}
            to={budget.value.to}
            points={budget.value.series[0]?.remaining ?? []}
            markers={markers}
          />
        )}
      </section>
      <div className={styles.grid}>
        <section className={styles.card} aria-label="Incidents of the service">
          <h4>Incidents on {service}</h4>
          <ErrorAlert error={incidents.error} />
          <ul>
            {incidents.value?.items.map((i) => (
              <li key={i.id}>
                <AppLink href={pages.incident(i.id)}>{`${i.severity} ${i.title}`}</AppLink>{' '}
                <span className={styles.muted}>
                  {i.status}, {utc(i.startedAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className={styles.card} aria-label="Changes of the service">
          <h4>Changes on {service}</h4>
          <ErrorAlert error={changes.error} />
          <ul>
            {changes.value?.items.map((c) => (
              <li key={c.id}>
                <AppLink href={pages.change(c.id)}>{`${c.risk} ${c.kind}: ${c.title}`}</AppLink>{' '}
                <span className={styles.muted}>
                  {c.status}, {utc(c.startedAt ?? c.plannedStart ?? c.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {drawer && service && (
        <RunbookDrawer service={service} alert={SLO_ALERT_NAME} onClose={() => setDrawer(false)} />
      )}
    </Stack>
  );
}
