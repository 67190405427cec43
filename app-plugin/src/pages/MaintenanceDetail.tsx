// One maintenance window: schedule, occurrences, the live silence state on each Alertmanager target
// (refreshed every few seconds), and ending the open occurrence early or extending it.
import type { MaintenanceWindow, Occurrence, SilenceTargetState } from '@opsdeck/common';
import { Badge, Button, Field, Input, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { pages } from '../constants';
import { utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';
import { describeSchedule } from './MaintenanceList';

const REFRESH_MS = 5000;
const STATE_COLOR = { synced: 'green', pending: 'orange', error: 'red' } as const;

interface Silences {
  intervalSeconds: number;
  lookAheadMinutes: number;
  states: SilenceTargetState[];
}

export function MaintenanceDetail({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const base = `/api/v1/maintenance-windows/${encodeURIComponent(id)}`;
  const window = useLoad(() => api.get<MaintenanceWindow>(base), [base]);
  const occurrences = useLoad(() => api.get<{ items: Occurrence[] }>(`${base}/occurrences`), [base]);
  const silences = useLoad(() => api.get<Silences>(`${base}/silences`), [base]);
  const [minutes, setMinutes] = useState(30);
  const reloadSilences = silences.reload;
  useEffect(() => {
    const timer = setInterval(reloadSilences, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadSilences]);
  const act = useSubmit(async (path: string, body: unknown = {}) => {
    await api.post(`${base}${path}`, body);
    occurrences.reload();
    silences.reload();
  });

  if (window.error) return <ErrorAlert error={window.error} title={`Could not load window ${id}`} />;
  const w = window.value;
  if (!w) return <LoadingPlaceholder text="Loading window…" />;
  const now = Date.now();
  const open = occurrences.value?.items.find((o) => Date.parse(o.start) <= now && now < Date.parse(o.end));
  const writable = canWrite();

  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <div>
          <h2>{w.name}</h2>
          <span className={styles.muted}>
            {describeSchedule(w)} · {w.service ?? 'any service'} · {w.source}
          </span>
        </div>
        {writable && (
          <LinkButton variant="secondary" icon="pen" href={pages.editWindow(w.id)}>
            Edit
          </LinkButton>
        )}
      </div>
      <ErrorAlert error={act.error} title="The window was not changed" />
      <section className={styles.card} aria-label="Open occurrence">
        <h4>{open ? `Open now until ${utc(open.end)}` : 'Not open now'}</h4>
        {open?.adjustment && (
          <p className={styles.muted}>
            {open.adjustment} (scheduled end {utc(open.scheduledEnd)})
          </p>
        )}
        {writable && open && (
          <Stack gap={1} alignItems="flex-end">
            <Button variant="destructive" onClick={() => act.run('/end')} disabled={act.busy}>
              End now
            </Button>
            <Field label="Extend by minutes">
              <Input
                id="extend-minutes"
                type="number"
                min={1}
                value={minutes}
                onChange={(e) => setMinutes(Number(e.currentTarget.value))}
                width={12}
              />
            </Field>
            <Button
              variant="secondary"
              onClick={() => act.run('/extend', { minutes })}
              disabled={act.busy || !(minutes >= 1)}
            >
              Extend
            </Button>
          </Stack>
        )}
      </section>
      <section className={styles.card} aria-label="Silences">
        <h4>Silences per target</h4>
        <ErrorAlert error={silences.error} />
        {silences.value && (
          <>
            <p className={styles.muted}>
              The silencer reconciles every {silences.value.intervalSeconds}s and creates silences{' '}
              {silences.value.lookAheadMinutes} minutes ahead.
            </p>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th>Target</th>
                  <th>State</th>
                  <th>Silences</th>
                  <th>Last synced</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {silences.value.states.map((s) => (
                  <tr key={s.target}>
                    <td>{s.target}</td>
                    <td>
                      <Badge color={STATE_COLOR[s.state]} text={s.state} />
                    </td>
                    <td>
                      {s.silenceIds.length}/{s.desired}
                    </td>
                    <td>{utc(s.lastSyncAt)}</td>
                    <td>{s.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {silences.value.states.length === 0 && (
              <p className={styles.muted}>
                No Alertmanager target is configured on the backend (ALERTMANAGER_URLS).
              </p>
            )}
          </>
        )}
      </section>
      <section className={styles.card} aria-label="Occurrences">
        <h4>Next 7 days</h4>
        <ErrorAlert error={occurrences.error} />
        <ol>
          {occurrences.value?.items.map((o) => (
            <li key={o.start}>
              {utc(o.start)} – {utc(o.end)} {o.adjustment && `(${o.adjustment})`}
            </li>
          ))}
        </ol>
      </section>
      <section className={styles.card} aria-label="Matchers">
        <h4>Matchers</h4>
        <code>{w.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')}</code>
        <p>Targets: {w.targets.length ? w.targets.join(', ') : 'every configured target'}</p>
      </section>
    </Stack>
  );
}
