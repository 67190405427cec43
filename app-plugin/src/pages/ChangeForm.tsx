// RFC form: shows the approvals and checklist the chosen risk requires, and for High risk refuses a
// planned start outside every maintenance window, naming the next allowed slot, before anything is sent.
import {
  CHANGE_KINDS,
  ChangeCreate,
  PRE_DEPLOY_CHECKLIST,
  RISKS,
  ROLE_NAME,
  missingChecklist,
  plannedWindowCheck,
  requiredApprovals,
  type Change,
  type ChangeKind,
  type MaintenanceWindow,
  type Risk,
} from '@opsdeck/common';
import {
  Alert,
  Button,
  Checkbox,
  Field,
  RadioButtonGroup,
  Select,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import React, { useState } from 'react';
import { api } from '../api/client';
import type { PageOf } from '../api/types';
import { Checklist } from '../components/Checklist';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormProblems } from '../components/FormProblems';
import { InputField } from '../components/InputField';
import { pages } from '../constants';
import { fromLocalInput, toLocalInput, utc } from '../format';
import { navigate } from '../hooks/useAppLocation';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite, currentUserLogin } from '../role';
import { getPageStyles } from '../styles';
import { fieldErrors, serverFieldErrors } from '../validation';

export function ChangeForm() {
  const styles = useStyles2(getPageStyles);
  const [form, setForm] = useState({
    title: '',
    kind: 'deploy' as ChangeKind,
    risk: 'Low' as Risk,
    service: '',
    rfcUrl: '',
    owner: currentUserLogin(),
    description: '',
    rollbackPlan: '',
    plannedStart: null as string | null,
    plannedEnd: null as string | null,
    checklist: {} as Record<string, boolean>,
  });
  const [tried, setTried] = useState(false);
  const windows = useLoad(
    () => api.get<PageOf<MaintenanceWindow>>('/api/v1/maintenance-windows', { enabled: 'true', limit: 500 }),
    [],
  );
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const body = { ...form, rfcUrl: form.rfcUrl.trim() || null, owner: form.owner.trim() || undefined };
  const errors = tried ? fieldErrors(ChangeCreate, body) : {};
  const windowCheck =
    form.risk === 'High' && windows.value ? plannedWindowCheck(form, windows.value.items, new Date()) : null;
  const refused = windowCheck !== null && !windowCheck.ok;
  const propose = useSubmit(async () => {
    const change = await api.post<Change>('/api/v1/changes', ChangeCreate.parse(body));
    navigate(pages.change(change.id));
  });
  const server = serverFieldErrors(propose.error);
  const problem = (f: string) => errors[f] ?? server[f];
  const stillOpen = missingChecklist({ checklist: form.checklist, rollbackPlan: form.rollbackPlan });

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (refused || Object.keys(fieldErrors(ChangeCreate, body)).length > 0) return;
    void propose.run();
  };

  if (!canWrite()) return <Alert severity="info" title="Viewers cannot propose changes" />;
  return (
    <form onSubmit={onSubmit} aria-label="Propose change" noValidate>
      <Stack direction="column" gap={1}>
        <h2>Propose a change (RFC)</h2>
        <InputField
          label="Title"
          id="change-title"
          value={form.title}
          onChange={(v) => set('title', v)}
          error={problem('title')}
          required
        />
        <Stack gap={2} wrap="wrap">
          <Field label="Kind">
            <Select
              aria-label="Kind"
              options={CHANGE_KINDS.map((k) => ({ label: k, value: k }))}
              value={form.kind}
              onChange={(v) => v.value && set('kind', v.value)}
              width={20}
            />
          </Field>
          <Field label="Risk">
            <RadioButtonGroup
              aria-label="Risk"
              options={RISKS.map((r) => ({ label: r, value: r }))}
              value={form.risk}
              onChange={(r) => set('risk', r)}
            />
          </Field>
          <InputField
            label="Service"
            id="change-service"
            value={form.service}
            onChange={(v) => set('service', v)}
            error={problem('service')}
            required
            width={24}
          />
          <InputField
            label="Owner"
            id="change-owner"
            value={form.owner}
            onChange={(v) => set('owner', v)}
            error={problem('owner')}
            width={24}
          />
        </Stack>
        <InputField
          label="RFC link"
          id="change-rfc"
          value={form.rfcUrl}
          placeholder="https://…"
          onChange={(v) => set('rfcUrl', v)}
          error={problem('rfcUrl')}
        />
        <Stack gap={2} wrap="wrap">
          <InputField
            label="Planned start (UTC)"
            id="change-start"
            type="datetime-local"
            value={toLocalInput(form.plannedStart)}
            onChange={(v) => set('plannedStart', fromLocalInput(v))}
            error={problem('plannedStart')}
          />
          <InputField
            label="Planned end (UTC)"
            id="change-end"
            type="datetime-local"
            value={toLocalInput(form.plannedEnd)}
            onChange={(v) => set('plannedEnd', fromLocalInput(v))}
            error={problem('plannedEnd')}
          />
        </Stack>
        <section className={styles.card} aria-label="What this risk requires">
          <h4>A {form.risk} risk change needs</h4>
          <p>
            Approvals:{' '}
            <strong>
              {requiredApprovals(form.risk)
                .map((r) => ROLE_NAME[r])
                .join(' + ')}
            </strong>
            {form.risk === 'High' && ' · and it runs only inside a maintenance window'}
          </p>
          <Checklist>
            {PRE_DEPLOY_CHECKLIST.map((item) => (
              <Checkbox
                key={item.id}
                label={item.text}
                value={
                  Boolean(form.checklist[item.id]) ||
                  (item.id === 'rollback-plan' && form.rollbackPlan.trim() !== '')
                }
                onChange={(e) => set('checklist', { ...form.checklist, [item.id]: e.currentTarget.checked })}
              />
            ))}
          </Checklist>
          {stillOpen.length > 0 && (
            <p className={styles.muted}>
              {stillOpen.length} checklist item(s) must be done before the change can start.
            </p>
          )}
        </section>
        <ErrorAlert error={windows.error} title="Could not read the maintenance windows" />
        {windowCheck && !windowCheck.ok && (
          <Alert
            severity="error"
            title="Refused: High risk outside a maintenance window"
            data-testid="window-refusal"
          >
            <p>{windowCheck.message}</p>
            {windowCheck.nextSlot && (
              <Button
                variant="secondary"
                onClick={() =>
                  setForm((f) => ({
                    ...f,
                    plannedStart: windowCheck.nextSlot!.start,
                    plannedEnd: windowCheck.nextSlot!.end,
                  }))
                }
              >
                Plan it for {utc(windowCheck.nextSlot.start)} – {utc(windowCheck.nextSlot.end)}
              </Button>
            )}
          </Alert>
        )}
        {windowCheck?.ok && windowCheck.occurrence && (
          <Alert
            severity="success"
            title={`Inside the window ${utc(windowCheck.occurrence.start)} – ${utc(windowCheck.occurrence.end)}`}
          />
        )}
        <Field label="Description" invalid={Boolean(problem('description'))} error={problem('description')}>
          <TextArea
            id="change-description"
            rows={3}
            value={form.description}
            onChange={(e) => set('description', e.currentTarget.value)}
          />
        </Field>
        <Field
          label="Rollback plan"
          invalid={Boolean(problem('rollbackPlan'))}
          error={problem('rollbackPlan')}
        >
          <TextArea
            id="change-rollback"
            rows={3}
            value={form.rollbackPlan}
            onChange={(e) => set('rollbackPlan', e.currentTarget.value)}
          />
        </Field>
        <FormProblems
          errors={errors}
          shown={[
            'title',
            'service',
            'owner',
            'rfcUrl',
            'plannedStart',
            'plannedEnd',
            'description',
            'rollbackPlan',
          ]}
        />
        <ErrorAlert error={propose.error} title="The change was not recorded" />
        <div>
          <Button type="submit" disabled={propose.busy || refused}>
            Propose change
          </Button>
        </div>
      </Stack>
    </form>
  );
}
