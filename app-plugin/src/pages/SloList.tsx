// SLO list: every SLO with its compliance (SLI against objective), remaining budget and alert state.
import type { Slo } from '@opsdeck/common';
import { Badge, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';
import { api } from '../api/client';
import type { PageOf, SloBatchStatus } from '../api/types';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { SloStatusError } from '../components/SloStatusError';
import { pages } from '../constants';
import { percent } from '../format';
import { useLoad } from '../hooks/useLoad';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';

export function SloList() {
  const styles = useStyles2(getPageStyles);
  const slos = useLoad(() => api.get<PageOf<Slo>>('/api/v1/slos', { limit: 500 }), []);
  const status = useLoad(() => api.get<SloBatchStatus>('/api/v1/slos/status'), []);
  const byId = new Map(status.value?.items.map((s) => [s.id, s]));
  const failed = new Map(status.value?.errors.map((e) => [e.id, e]));
  // Without any status the numbers columns would be dashes only: the alert above says why instead.
  const withStatus = !status.error;

  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>Service level objectives</h2>
        <Stack gap={1}>
          <LinkButton variant="secondary" icon="file-alt" href={pages.sloRules}>
            Prometheus rules
          </LinkButton>
          {canWrite() && (
            <LinkButton icon="import" href={pages.sloImport}>
              Import SLOs
            </LinkButton>
          )}
        </Stack>
      </div>
      <ErrorAlert error={slos.error} title="Could not list the SLOs" />
      <SloStatusError error={status.error} title="Could not evaluate SLO status" />
      {slos.loading && !slos.value && <LoadingPlaceholder text="Loading SLOs…" />}
      {slos.value && (
        <table className={styles.table} aria-label="SLOs">
          <thead>
            <tr>
              <th>SLO</th>
              <th>Service</th>
              <th>Objective</th>
              <th>Window</th>
              {withStatus && (
                <>
                  <th>Compliance (SLI)</th>
                  <th>Budget remaining</th>
                  <th>Alerts</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {slos.value.items.map((slo) => {
              const s = byId.get(slo.id);
              const remaining = s?.errorBudget.remaining ?? null;
              const meets =
                s?.sli !== null && s?.sli !== undefined ? s.sli >= slo.objective / 100 : undefined;
              return (
                <tr key={slo.id}>
                  <td>
                    <AppLink href={pages.slo(slo.id)}>{slo.name}</AppLink>
                  </td>
                  <td>{slo.service}</td>
                  <td>{slo.objective} %</td>
                  <td>{slo.window}</td>
                  {withStatus && (
                    <>
                      <td className={meets === undefined ? styles.muted : meets ? styles.good : styles.bad}>
                        {s ? percent(s.sli, 3) : (failed.get(slo.id)?.message ?? '–')}
                      </td>
                      <td
                        className={
                          remaining === null
                            ? styles.muted
                            : remaining > 0.25
                              ? styles.good
                              : remaining > 0
                                ? styles.warn
                                : styles.bad
                        }
                      >
                        {s ? percent(remaining, 1) : '–'}
                      </td>
                      <td>
                        {s?.alerts.page && <Badge color="red" text="page" icon="bell" />}
                        {s?.alerts.ticket && <Badge color="orange" text="ticket" />}
                        {s && !s.alerts.page && !s.alerts.ticket && <Badge color="green" text="ok" />}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {slos.value?.items.length === 0 && (
        <p className={styles.muted}>
          No SLOs yet. Import OpenSLO, Sloth or Pyrra definitions, or provision them from files.
        </p>
      )}
    </Stack>
  );
}
