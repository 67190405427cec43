// Maintenance windows and their occurrences over the next 7 days on one timeline.
import type { MaintenanceWindow, Occurrence } from '@opsdeck/common';
import { Badge, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';
import { api } from '../api/client';
import type { PageOf } from '../api/types';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { OccurrenceTimeline } from '../components/OccurrenceTimeline';
import { pages } from '../constants';
import { utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';

const RANGE_MS = 7 * 86_400_000;

async function loadWindows(from: Date, to: Date) {
  const windows = await api.get<PageOf<MaintenanceWindow>>('/api/v1/maintenance-windows', { limit: 500 });
  return Promise.all(
    windows.items.map(async (w) => ({
      window: w,
      occurrences: w.enabled
        ? (
            await api.get<{ items: Occurrence[] }>(
              `/api/v1/maintenance-windows/${encodeURIComponent(w.id)}/occurrences`,
              { from: from.toISOString(), to: to.toISOString() },
            )
          ).items
        : [],
    })),
  );
}

export function MaintenanceList() {
  const styles = useStyles2(getPageStyles);
  const range = useMemo(() => {
    const from = new Date();
    from.setUTCMinutes(0, 0, 0);
    return { from, to: new Date(from.getTime() + RANGE_MS) };
  }, []);
  const windows = useLoad(() => loadWindows(range.from, range.to), [range]);
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>Maintenance windows</h2>
        {canWrite() && (
          <LinkButton icon="plus" href={pages.newWindow}>
            New window
          </LinkButton>
        )}
      </div>
      <ErrorAlert error={windows.error} title="Could not list maintenance windows" />
      {windows.loading && !windows.value && <LoadingPlaceholder text="Loading windows…" />}
      {windows.value && (
        <>
          <section className={styles.card} aria-label="Next 7 days">
            <h4>Next 7 days (UTC)</h4>
            <OccurrenceTimeline
              from={range.from}
              to={range.to}
              rows={windows.value.map(({ window, occurrences }) => ({
                id: window.id,
                name: window.name,
                occurrences,
              }))}
            />
          </section>
          <table className={styles.table} aria-label="Maintenance windows">
            <thead>
              <tr>
                <th>Name</th>
                <th>Service</th>
                <th>Schedule</th>
                <th>Matchers</th>
                <th>Next</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {windows.value.map(({ window: w, occurrences }) => (
                <tr key={w.id}>
                  <td>
                    <AppLink href={pages.window(w.id)}>{w.name}</AppLink>
                  </td>
                  <td>{w.service ?? 'any'}</td>
                  <td>{describeSchedule(w)}</td>
                  <td>
                    <code>{w.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')}</code>
                  </td>
                  <td>
                    {occurrences[0] ? `${utc(occurrences[0].start)} – ${utc(occurrences[0].end)}` : '–'}
                  </td>
                  <td>
                    {w.enabled ? (
                      <Badge color="green" text="enabled" />
                    ) : (
                      <Badge color="darkgrey" text="disabled" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Stack>
  );
}

export function describeSchedule(w: Pick<MaintenanceWindow, 'schedule' | 'timeZone'>): string {
  const s = w.schedule;
  if (s.kind === 'once') return `once ${utc(s.start)} – ${utc(s.end)}`;
  if (s.kind === 'weekly')
    return `${s.days.join(', ')} ${s.startTime} for ${s.durationMinutes}m (${w.timeZone})`;
  return `${s.rrule} from ${s.start} for ${s.durationMinutes}m (${w.timeZone})`;
}
