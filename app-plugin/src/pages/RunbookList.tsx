// Runbooks: the list, searchable by words (titles, bodies, tags); each opens in the viewer.
import type { Runbook } from '@opsdeck/common';
import { Input, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { PageOf } from '../api/types';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { pages } from '../constants';
import { useLoad } from '../hooks/useLoad';
import { getPageStyles } from '../styles';

const SEARCH_DELAY_MS = 250;

export function RunbookList({ initialQuery = '' }: { initialQuery?: string }) {
  const styles = useStyles2(getPageStyles);
  const [q, setQ] = useState(initialQuery);
  const [query, setQuery] = useState(initialQuery);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const runbooks = useLoad(
    () =>
      query
        ? api.get<{ items: Runbook[] }>('/api/v1/runbooks/search', { q: query, limit: 100 })
        : api.get<PageOf<Runbook>>('/api/v1/runbooks', { limit: 500 }),
    [query],
  );
  return (
    <Stack direction="column" gap={2}>
      <h2>Runbooks</h2>
      <Input
        aria-label="Search runbooks"
        placeholder="Search: words in title, body or tags"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        prefix="🔍"
      />
      <ErrorAlert error={runbooks.error} title="Could not list runbooks" />
      {runbooks.loading && !runbooks.value && <LoadingPlaceholder text="Loading runbooks…" />}
      {runbooks.value && (
        <table className={styles.table} aria-label="Runbooks">
          <thead>
            <tr>
              <th>Title</th>
              <th>Services</th>
              <th>Alerts</th>
              <th>Tags</th>
            </tr>
          </thead>
          <tbody>
            {runbooks.value.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <AppLink href={pages.runbook(r.id)}>{r.title}</AppLink>
                </td>
                <td>{r.services.join(', ')}</td>
                <td>{r.alerts.join(', ')}</td>
                <td>{r.tags.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runbooks.value?.items.length === 0 && (
        <p className={styles.muted}>{query ? `No runbook mentions "${query}".` : 'No runbooks yet.'}</p>
      )}
    </Stack>
  );
}
