// One incident: status and flags, the comms reminder, roles, the first-responder checklist, the
// timeline (notes, comms, runbook steps), the status-page draft, recent changes on the service, the
// affected SLOs' budgets, resolve, and the runbook drawer whose ticked steps land in the timeline.
// `?action=acknowledge` (the link in opsdeck's escalation alerts) asks to confirm the acknowledgement.
import {
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  SEVERITY_MATRIX,
  TimelineEntryCreate,
  type Incident,
  type IncidentStatus,
  type TimelineEntry,
} from '@opsdeck/common';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Field,
  Input,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Select,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import React, { useState } from 'react';
import { api } from '../api/client';
import type { SloBatchStatus, SloStatus, StatusPageView } from '../api/types';
import { AppLink } from '../components/AppLink';
import { Checklist } from '../components/Checklist';
import { ErrorAlert } from '../components/ErrorAlert';
import { SloStatusError } from '../components/SloStatusError';
import { RunbookDrawer } from '../components/RunbookDrawer';
import { pages } from '../constants';
import { percent, utc } from '../format';
import { setQuery, useAppLocation } from '../hooks/useAppLocation';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';
import { fieldErrors } from '../validation';
import { SEVERITY_COLOR } from './IncidentList';

const ROLE_LABEL: Record<(typeof INCIDENT_ROLES)[number], string> = {
  ic: 'Incident commander',
  ops: 'Ops',
  comms: 'Comms',
  scribe: 'Scribe',
};

async function affectedSlos(incident: Incident): Promise<SloStatus[]> {
  if (incident.sloIds.length > 0) {
    return Promise.all(
      incident.sloIds.map((id) => api.get<SloStatus>(`/api/v1/slos/${encodeURIComponent(id)}/status`)),
    );
  }
  return (await api.get<SloBatchStatus>('/api/v1/slos/status', { service: incident.service })).items;
}

export function IncidentDetail({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const base = `/api/v1/incidents/${encodeURIComponent(id)}`;
  const incident = useLoad(() => api.get<Incident>(`${base}/detail`), [base]);
  const timeline = useLoad(() => api.get<{ items: TimelineEntry[] }>(`${base}/timeline`), [base]);
  const i = incident.value;
  const statusPage = useLoad(
    () =>
      i && SEVERITY_MATRIX[i.severity].statusPageRequired
        ? api.get<StatusPageView>(`${base}/status-page`)
        : Promise.resolve(undefined),
    [base, i?.severity, i?.version],
  );
  const slos = useLoad(
    () => (i ? affectedSlos(i) : Promise.resolve([])),
    [i?.id, i?.service, i?.sloIds.join(',')],
  );
  const [drawer, setDrawer] = useState(false);
  const writable = canWrite();
  const confirmAcknowledge = useAppLocation().search.get('action') === 'acknowledge';
  const refresh = () => {
    incident.reload();
    timeline.reload();
  };
  const act = useSubmit(async (path: string, body: unknown = {}) => {
    await api.post(`${base}${path}`, body);
    refresh();
  });

  if (incident.error) return <ErrorAlert error={incident.error} title={`Could not load incident ${id}`} />;
  if (!i) return <LoadingPlaceholder text="Loading incident…" />;
  const flags = i.computed?.flags;
  const open = i.status !== 'resolved';

  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <div>
          <h2>
            <Badge
              color={SEVERITY_COLOR[i.severity]}
              text={`${i.severity} ${SEVERITY_MATRIX[i.severity].label}`}
            />{' '}
            {i.title}
          </h2>
          <span className={styles.muted}>
            {i.service} · {i.status} · started {utc(i.startedAt)}
            {i.acknowledgedAt && ` · acknowledged ${utc(i.acknowledgedAt)}`}
            {i.resolvedAt && ` · resolved ${utc(i.resolvedAt)}`}
          </span>
        </div>
        <Stack gap={1}>
          <Button variant="secondary" icon="book-open" onClick={() => setDrawer(true)}>
            Runbook
          </Button>
          {(SEVERITY_MATRIX[i.severity].postmortemRequired || !open) && (
            <LinkButton variant="secondary" icon="file-alt" href={pages.postmortem(i.id)}>
              Postmortem
            </LinkButton>
          )}
        </Stack>
      </div>
      <ErrorAlert error={act.error} title="The action was refused" />
      {confirmAcknowledge && (
        <AcknowledgeFromNotification
          incident={i}
          writable={writable}
          busy={act.busy}
          onConfirm={async () => {
            await act.run('/acknowledge');
            setQuery({ action: null });
          }}
          onDismiss={() => setQuery({ action: null })}
        />
      )}
      {open && flags?.commsOverdue && (
        <Alert severity="error" title="Comms update overdue">
          The next update was due {utc(flags.nextCommsDueAt)}. Post a comms entry below (it resets the
          30-minute cadence).
        </Alert>
      )}
      {open && flags && !flags.commsOverdue && flags.nextCommsDueAt && (
        <Alert severity="info" title={`Next comms update due ${utc(flags.nextCommsDueAt)}`}>
          {i.severity} incidents update #incidents and the status page every{' '}
          {SEVERITY_MATRIX[i.severity].commsEveryMinutes} minutes.
        </Alert>
      )}
      {flags && (
        <Stack gap={1} wrap="wrap" aria-label="Flags">
          {flags.ackOverdue && <Badge color="red" text={`ack overdue (due ${utc(flags.ackDueAt)})`} />}
          {!flags.ackOverdue && flags.ackDueAt && (
            <Badge color="orange" text={`ack due ${utc(flags.ackDueAt)}`} />
          )}
          {flags.rtoDueAt && (
            <Badge
              color={flags.rtoBreached ? 'red' : 'blue'}
              text={`${flags.rtoBreached ? 'RTO breached' : 'RTO'} ${utc(flags.rtoDueAt)}`}
            />
          )}
          {flags.postmortemDueAt && (
            <Badge color="purple" text={`postmortem due ${utc(flags.postmortemDueAt)}`} />
          )}
        </Stack>
      )}
      {writable && open && (
        <section className={styles.card} aria-label="Actions">
          <Stack gap={1} wrap="wrap" alignItems="flex-end">
            {!i.acknowledgedAt && (
              <Button icon="check" onClick={() => act.run('/acknowledge')} disabled={act.busy}>
                Acknowledge
              </Button>
            )}
            <StatusMover
              current={i.status}
              busy={act.busy}
              onMove={(status) => act.run('/status', { status })}
            />
            <ResolveButton busy={act.busy} onResolve={(text) => act.run('/resolve', text ? { text } : {})} />
          </Stack>
        </section>
      )}
      <div className={styles.grid}>
        <Roles incident={i} writable={writable && open} onSave={(roles) => act.run('/roles', roles)} />
        <section className={styles.card} aria-label="First-responder checklist">
          <h4>
            First-responder checklist ({i.computed?.checklist.done ?? 0}/
            {i.computed?.checklist.applicable ?? 0})
          </h4>
          <Checklist>
            {i.computed?.checklist.items.map((item) => (
              <Checkbox
                key={item.id}
                label={item.text}
                description={
                  item.done && item.at
                    ? `${item.source === 'auto' ? 'done' : 'ticked'} ${utc(item.at)}${item.by ? ` by ${item.by}` : ''}`
                    : item.applicable
                      ? undefined
                      : 'not needed at this severity'
                }
                value={item.done}
                disabled={!writable || !open || !item.applicable || act.busy}
                onChange={(e) => act.run(`/checklist/${item.id}`, { done: e.currentTarget.checked })}
              />
            ))}
          </Checklist>
        </section>
      </div>
      <section className={styles.card} aria-label="Timeline">
        <h4>Timeline</h4>
        <ErrorAlert error={timeline.error} />
        <ol className={styles.timeline}>
          {timeline.value?.items.map((e) => (
            <li key={e.id}>
              <span className={styles.muted}>{utc(e.at)}</span>{' '}
              <Badge
                color={e.kind === 'runbook-step' ? 'purple' : e.kind === 'comms' ? 'blue' : 'darkgrey'}
                text={e.kind}
              />{' '}
              {e.text} <span className={styles.muted}>— {e.author}</span>
            </li>
          ))}
        </ol>
        {writable && <TimelineForm onAdd={(entry) => act.run('/timeline', entry)} busy={act.busy} />}
      </section>
      <div className={styles.grid}>
        {statusPage.value && (
          <section className={styles.card} aria-label="Status-page draft">
            <h4>Status-page draft</h4>
            <dl>
              <dt>Summary</dt>
              <dd>{statusPage.value.summary || '–'}</dd>
              <dt>Impact</dt>
              <dd>{statusPage.value.impact || '–'}</dd>
              <dt>Timeline</dt>
              <dd>
                <ul>
                  {statusPage.value.timeline.map((t, n) => (
                    <li key={n}>
                      {utc(t.at)} {t.text}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>Mitigation</dt>
              <dd>{statusPage.value.mitigation || '–'}</dd>
              <dt>Next steps</dt>
              <dd>{statusPage.value.nextSteps || '–'}</dd>
            </dl>
          </section>
        )}
        <section className={styles.card} aria-label="Recent changes">
          <h4>Recent changes on {i.service}</h4>
          {i.computed?.recentChanges.length === 0 && (
            <p className={styles.muted}>No change in the two hours before the start.</p>
          )}
          <ul>
            {i.computed?.recentChanges.map((c) => (
              <li key={c.id}>
                <AppLink href={pages.change(c.id)}>{`${c.risk} ${c.kind}: ${c.title}`}</AppLink>{' '}
                <span className={styles.muted}>
                  {c.status} {utc(c.at)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className={styles.card} aria-label="Affected SLOs">
          <h4>Affected SLO budgets</h4>
          <SloStatusError error={slos.error} title="Could not evaluate the SLOs" />
          <ul>
            {slos.value?.map((s) => (
              <li key={s.id}>
                <AppLink href={pages.slo(s.id)}>{s.id}</AppLink>: budget remaining{' '}
                {percent(s.errorBudget.remaining, 1)}, 1h burn {s.burnRates['1h']?.toFixed(2) ?? '–'}
                {s.alerts.page && ' · paging'}
              </li>
            ))}
          </ul>
        </section>
      </div>
      {drawer && (
        <RunbookDrawer
          service={i.service}
          alert={i.source?.alert}
          incidentId={i.id}
          onClose={() => setDrawer(false)}
          onStepLogged={() => timeline.reload()}
        />
      )}
    </Stack>
  );
}

/** The one-click acknowledge an escalation notification links to: one confirm, behind Grafana's login. */
function AcknowledgeFromNotification({
  incident,
  writable,
  busy,
  onConfirm,
  onDismiss,
}: {
  incident: Incident;
  writable: boolean;
  busy: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  if (incident.acknowledgedAt) {
    const by = incident.checklist.acknowledge?.by;
    return (
      <Alert severity="info" title="Already acknowledged" onRemove={onDismiss}>
        Acknowledged {utc(incident.acknowledgedAt)}
        {by ? ` by ${by}` : ''}; the escalation has stopped.
      </Alert>
    );
  }
  if (incident.status === 'resolved') return null;
  if (!writable) {
    return (
      <Alert severity="warning" title="You cannot acknowledge this page" onRemove={onDismiss}>
        Acknowledging needs the Editor role in Grafana; ask the on-call or an editor.
      </Alert>
    );
  }
  return (
    <Alert severity="warning" title="Acknowledge this page?">
      <Stack gap={1} alignItems="center">
        <span>Acknowledging stops the escalation to the next level and records you on the timeline.</span>
        <Button icon="check" onClick={onConfirm} disabled={busy}>
          Confirm acknowledge
        </Button>
        <Button variant="secondary" fill="text" onClick={onDismiss}>
          Not now
        </Button>
      </Stack>
    </Alert>
  );
}

function StatusMover({
  current,
  busy,
  onMove,
}: {
  current: IncidentStatus;
  busy: boolean;
  onMove: (s: IncidentStatus) => void;
}) {
  const [next, setNext] = useState<IncidentStatus>(current);
  return (
    <Field label="Status">
      <Stack gap={1}>
        <RadioButtonGroup
          options={INCIDENT_STATUSES.filter((s) => s !== 'resolved').map((s) => ({ label: s, value: s }))}
          value={next}
          onChange={setNext}
        />
        <Button variant="secondary" onClick={() => onMove(next)} disabled={busy || next === current}>
          Set status
        </Button>
      </Stack>
    </Field>
  );
}

function ResolveButton({ busy, onResolve }: { busy: boolean; onResolve: (text: string) => void }) {
  const [text, setText] = useState('');
  return (
    <Field label="Resolution note">
      <Stack gap={1}>
        <Input
          id="resolve-note"
          aria-label="Resolution note"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder="what fixed it"
          width={40}
        />
        <Button variant="primary" icon="check-circle" onClick={() => onResolve(text.trim())} disabled={busy}>
          Resolve
        </Button>
      </Stack>
    </Field>
  );
}

function Roles({
  incident,
  writable,
  onSave,
}: {
  incident: Incident;
  writable: boolean;
  onSave: (roles: Record<string, string | null>) => void;
}) {
  const styles = useStyles2(getPageStyles);
  const [roles, setRoles] = useState<Record<string, string>>(() =>
    Object.fromEntries(INCIDENT_ROLES.map((r) => [r, incident.roles[r] ?? ''])),
  );
  return (
    <section className={styles.card} aria-label="Roles">
      <h4>Roles</h4>
      {INCIDENT_ROLES.map((r) => (
        <Field key={r} label={ROLE_LABEL[r]}>
          <Input
            id={`role-${r}`}
            value={roles[r] ?? ''}
            disabled={!writable}
            onChange={(e) => setRoles({ ...roles, [r]: e.currentTarget.value })}
          />
        </Field>
      ))}
      {writable && (
        <Button
          variant="secondary"
          onClick={() => onSave(Object.fromEntries(INCIDENT_ROLES.map((r) => [r, roles[r]?.trim() || null])))}
        >
          Save roles
        </Button>
      )}
    </section>
  );
}

const KIND_OPTIONS = [
  { label: 'Note', value: 'note' as const },
  { label: 'Comms update', value: 'comms' as const },
];

function TimelineForm({
  onAdd,
  busy,
}: {
  onAdd: (entry: { kind: 'note' | 'comms'; text: string }) => Promise<unknown>;
  busy: boolean;
}) {
  const [kind, setKind] = useState<'note' | 'comms'>('note');
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const errors = tried ? fieldErrors(TimelineEntryCreate, { kind, text }) : {};
  const add = async () => {
    setTried(true);
    if (Object.keys(fieldErrors(TimelineEntryCreate, { kind, text })).length > 0) return;
    await onAdd({ kind, text });
    setText('');
    setTried(false);
  };
  return (
    <Stack direction="column" gap={1}>
      <Select
        aria-label="Entry kind"
        options={KIND_OPTIONS}
        value={kind}
        onChange={(v) => setKind(v.value ?? 'note')}
        width={24}
      />
      <Field label="Entry" invalid={Boolean(errors.text)} error={errors.text}>
        <TextArea id="timeline-text" rows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </Field>
      <div>
        <Button variant="secondary" onClick={add} disabled={busy}>
          Add to timeline
        </Button>
      </div>
    </Stack>
  );
}
