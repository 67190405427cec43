// Changes: newest first, with risk, status, approvals given against those required, and canary stage.
import { requiredApprovals, type Change } from '@opsdeck/common';
import { Badge, type BadgeColor, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';
import { api } from '../api/client';
import type { PageOf } from '../api/types';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { pages } from '../constants';
import { utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';

export const RISK_COLOR: Record<Change['risk'], BadgeColor> = { Low: 'green', Med: 'orange', High: 'red' };

export function ChangeList() {
  const styles = useStyles2(getPageStyles);
  const changes = useLoad(() => api.get<PageOf<Change>>('/api/v1/changes', { limit: 200 }), []);
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>Changes</h2>
        {canWrite() && (
          <LinkButton icon="plus" href={pages.proposeChange}>
            Propose change
          </LinkButton>
        )}
      </div>
      <ErrorAlert error={changes.error} title="Could not list changes" />
      {changes.loading && !changes.value && <LoadingPlaceholder text="Loading changes…" />}
      {changes.value && (
        <table className={styles.table} aria-label="Changes">
          <thead>
            <tr>
              <th>Risk</th>
              <th>Title</th>
              <th>Kind</th>
              <th>Service</th>
              <th>Status</th>
              <th>Approvals</th>
              <th>Canary</th>
              <th>Planned</th>
            </tr>
          </thead>
          <tbody>
            {changes.value.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Badge color={RISK_COLOR[c.risk]} text={c.risk} />
                </td>
                <td>
                  <AppLink href={pages.change(c.id)}>{c.title}</AppLink>
                </td>
                <td>{c.kind}</td>
                <td>{c.service}</td>
                <td>{c.status}</td>
                <td>
                  {c.approvals.length}/{requiredApprovals(c.risk).length}
                </td>
                <td>
                  {c.canary.length
                    ? `${c.canary[c.canary.length - 1]!.percent} % (${c.canary[c.canary.length - 1]!.decision})`
                    : '–'}
                </td>
                <td>{utc(c.plannedStart)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {changes.value?.items.length === 0 && <p className={styles.muted}>No changes recorded yet.</p>}
    </Stack>
  );
}
