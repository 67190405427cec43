// The runbook "sidebar": a Drawer beside incident and SLO pages with the runbook for the service or
// alert at hand. With an incident, ticking a step appends a runbook-step entry to its timeline.
import type { Runbook, TimelineEntry } from '@opsdeck/common';
import { Alert, Drawer, LoadingPlaceholder, Select, Stack, Text } from '@grafana/ui';
import React, { useCallback, useMemo, useState } from 'react';
import { api } from '../api/client';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { ErrorAlert } from './ErrorAlert';
import { Markdown, type StepChange } from './Markdown';

export interface RunbookTarget {
  runbookId?: string;
  service?: string;
  alert?: string;
  incidentId?: string;
}

interface Props extends RunbookTarget {
  onClose: () => void;
  /** called after a step landed in the incident timeline */
  onStepLogged?: (entry: TimelineEntry) => void;
}

/** Runbooks for the target: the named one, else those answering the alert, else the service's. */
export async function findRunbooks(target: RunbookTarget): Promise<Runbook[]> {
  if (target.runbookId)
    return [await api.get<Runbook>(`/api/v1/runbooks/${encodeURIComponent(target.runbookId)}`)];
  if (target.alert) {
    const byAlert = await api.get<{ items: Runbook[] }>('/api/v1/runbooks/search', { alert: target.alert });
    if (byAlert.items.length > 0) return byAlert.items;
  }
  if (target.service)
    return (await api.get<{ items: Runbook[] }>('/api/v1/runbooks/search', { service: target.service }))
      .items;
  return [];
}

/** Steps ticked so far: the last runbook-step entry per step of this runbook decides. */
export function tickedSteps(timeline: readonly TimelineEntry[], runbookId: string): Set<number> {
  const state = new Map<number, boolean>();
  for (const e of timeline) {
    if (e.kind !== 'runbook-step' || e.data?.runbookId !== runbookId || typeof e.data.step !== 'number')
      continue;
    state.set(e.data.step, e.data.done !== false);
  }
  return new Set([...state].filter(([, done]) => done).map(([step]) => step));
}

export function RunbookDrawer({ runbookId, service, alert, incidentId, onClose, onStepLogged }: Props) {
  const found = useLoad(() => findRunbooks({ runbookId, service, alert }), [runbookId, service, alert]);
  const [chosen, setChosen] = useState<string>();
  const runbook = found.value?.find((r) => r.id === chosen) ?? found.value?.[0];
  const timeline = useLoad(
    () =>
      incidentId
        ? api.get<{ items: TimelineEntry[] }>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/timeline`)
        : Promise.resolve({ items: [] }),
    [incidentId],
  );
  const ticked = useMemo(
    () => (runbook ? tickedSteps(timeline.value?.items ?? [], runbook.id) : new Set<number>()),
    [timeline.value, runbook],
  );

  const log = useCallback(
    async (step: StepChange) => {
      if (!incidentId || !runbook) return;
      const entry = await api.post<TimelineEntry>(
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/timeline`,
        {
          kind: 'runbook-step',
          text: `${step.done ? 'Done' : 'Reopened'} (${runbook.title}): ${step.text}`,
          data: { runbookId: runbook.id, step: step.index, done: step.done },
        },
      );
      timeline.reload();
      onStepLogged?.(entry);
    },
    [incidentId, runbook, timeline, onStepLogged],
  );
  const submit = useSubmit(log);
  const writable = Boolean(incidentId) && canWrite();

  return (
    <Drawer
      title={runbook ? runbook.title : 'Runbook'}
      subtitle={subtitle(service, alert, incidentId)}
      onClose={onClose}
      size="md"
    >
      <Stack direction="column" gap={2}>
        {found.loading && <LoadingPlaceholder text="Finding the runbook…" />}
        <ErrorAlert error={found.error} title="Could not load the runbook" />
        <ErrorAlert error={submit.error} title="The step was not written to the incident timeline" />
        {found.value && found.value.length === 0 && (
          <Alert severity="info" title="No runbook found">
            No runbook names {alert ? `the alert ${alert}` : ''}
            {alert && service ? ' or ' : ''}
            {service ? `the service ${service}` : ''}. Add one under provisioning/runbooks or on the Runbooks
            page.
          </Alert>
        )}
        {found.value && found.value.length > 1 && (
          <Select
            aria-label="Runbook"
            value={runbook?.id}
            options={found.value.map((r) => ({ label: r.title, value: r.id }))}
            onChange={(v) => setChosen(v.value)}
          />
        )}
        {runbook && incidentId && !writable && (
          <Text color="secondary">Viewers read runbooks; editors tick steps into the timeline.</Text>
        )}
        {runbook && incidentId && writable && (
          <Text color="secondary">Ticked steps land in the incident timeline.</Text>
        )}
        {runbook && (
          <Markdown
            markdown={runbook.body}
            ticked={ticked}
            onStep={writable ? (s) => void submit.run(s) : undefined}
          />
        )}
      </Stack>
    </Drawer>
  );
}

function subtitle(service?: string, alert?: string, incidentId?: string): string {
  return [
    service && `service ${service}`,
    alert && `alert ${alert}`,
    incidentId && 'steps go to the incident timeline',
  ]
    .filter(Boolean)
    .join(' · ');
}
