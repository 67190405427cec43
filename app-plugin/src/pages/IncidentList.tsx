// Incidents: open ones first (then by severity and age), with the ack, comms and RTO flags the
// backend computes for each open incident.
import { INCIDENT_STATUSES, SEVERITIES, type Incident, type IncidentFlags } from '@opsdeck/common';
import { Badge, type BadgeColor, LinkButton, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import React from 'react';
import { api } from '../api/client';
import type { PageOf } from '../api/types';
import { AppLink } from '../components/AppLink';
import { ErrorAlert } from '../components/ErrorAlert';
import { pages } from '../constants';
import { age, utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';

export const SEVERITY_COLOR: Record<Incident['severity'], BadgeColor> = {
  S1: 'red',
  S2: 'orange',
  S3: 'blue',
  S4: 'darkgrey',
};

/** Open before resolved, then S1 before S4, then oldest first among open and newest first among resolved. */
export function incidentOrder(a: Incident, b: Incident): number {
  const open = (i: Incident) => (i.status === 'resolved' ? 1 : 0);
  if (open(a) !== open(b)) return open(a) - open(b);
  if (a.status !== 'resolved' && a.severity !== b.severity)
    return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  return a.status === 'resolved'
    ? b.startedAt.localeCompare(a.startedAt)
    : a.startedAt.localeCompare(b.startedAt);
}

async function loadIncidents(): Promise<Array<Incident & { flags?: IncidentFlags }>> {
  const [open, resolved] = await Promise.all([
    api.get<PageOf<Incident>>('/api/v1/incidents', { status: 'open', limit: 200 }),
    api.get<PageOf<Incident>>('/api/v1/incidents', { status: 'resolved', limit: 50 }),
  ]);
  const detailed = await Promise.all(
    open.items.map(async (i) => {
      const detail = await api.get<Incident>(`/api/v1/incidents/${encodeURIComponent(i.id)}/detail`);
      return { ...i, flags: detail.computed?.flags };
    }),
  );
  return [...detailed, ...resolved.items].sort(incidentOrder);
}

export function IncidentList() {
  const styles = useStyles2(getPageStyles);
  const incidents = useLoad(loadIncidents, []);
  const now = new Date();
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <h2>Incidents</h2>
        {canWrite() && (
          <LinkButton icon="fire" href={pages.declare}>
            Declare incident
          </LinkButton>
        )}
      </div>
      <ErrorAlert error={incidents.error} title="Could not list incidents" />
      {incidents.loading && !incidents.value && <LoadingPlaceholder text="Loading incidents…" />}
      {incidents.value && (
        <table className={styles.table} aria-label="Incidents">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Title</th>
              <th>Service</th>
              <th>Status</th>
              <th>Age</th>
              <th>Flags</th>
            </tr>
          </thead>
          <tbody>
            {incidents.value.map((i) => (
              <tr key={i.id}>
                <td>
                  <Badge color={SEVERITY_COLOR[i.severity]} text={i.severity} />
                </td>
                <td>
                  <AppLink href={pages.incident(i.id)}>{i.title}</AppLink>
                </td>
                <td>{i.service}</td>
                <td>{i.status}</td>
                <td title={utc(i.startedAt)}>
                  {age(i.startedAt, i.resolvedAt ? new Date(i.resolvedAt) : now)}
                </td>
                <td>
                  <Stack gap={0.5} wrap="wrap">
                    {i.flags?.ackOverdue && (
                      <Badge color="red" text="ack overdue" icon="exclamation-triangle" />
                    )}
                    {i.flags && !i.flags.ackOverdue && i.flags.ackDueAt && (
                      <Badge color="orange" text={`ack due ${utc(i.flags.ackDueAt)}`} />
                    )}
                    {i.flags?.commsOverdue && <Badge color="red" text="comms overdue" icon="comment-alt" />}
                    {i.flags?.rtoBreached && <Badge color="red" text="RTO breached" icon="clock-nine" />}
                    {i.flags && !i.flags.rtoBreached && i.flags.rtoDueAt && (
                      <Badge color="blue" text={`RTO ${utc(i.flags.rtoDueAt)}`} />
                    )}
                  </Stack>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {incidents.value?.length === 0 && (
        <p className={styles.muted}>No incidents. Statuses run {INCIDENT_STATUSES.join(' → ')}.</p>
      )}
    </Stack>
  );
}
