// The runbook viewer: sanitized markdown with its services and alerts.
import type { Runbook } from '@opsdeck/common';
import { LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { Markdown } from '../components/Markdown';
import { useLoad } from '../hooks/useLoad';
import { getPageStyles } from '../styles';

export function RunbookPage({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const runbook = useLoad(() => api.get<Runbook>(`/api/v1/runbooks/${encodeURIComponent(id)}`), [id]);
  if (runbook.error) return <ErrorAlert error={runbook.error} title={`Could not load runbook ${id}`} />;
  const r = runbook.value;
  if (!r) return <LoadingPlaceholder text="Loading runbook…" />;
  return (
    <Stack direction="column" gap={1}>
      <span className={styles.muted}>
        services {r.services.join(', ') || '–'} · alerts {r.alerts.join(', ') || '–'} · {r.source}
      </span>
      <article className={styles.card} aria-label={r.title}>
        <Markdown markdown={r.body} />
      </article>
    </Stack>
  );
}
