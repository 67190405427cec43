// Create or edit a maintenance window: schedule (one-off, weekly or RRULE in a time zone), a matcher
// editor and a preview of the next occurrences from common's recurrence expansion.
import {
  MaintenanceWindowCreate,
  Schedule,
  TimeZone,
  WEEKDAYS,
  expandOccurrences,
  matchersProblem,
  scheduleProblem,
  type MaintenanceWindow,
  type Matcher,
} from '@opsdeck/common';
import {
  Alert,
  Button,
  Checkbox,
  Field,
  LoadingPlaceholder,
  RadioButtonGroup,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import React, { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormProblems } from '../components/FormProblems';
import { InputField } from '../components/InputField';
import { MatcherEditor } from '../components/MatcherEditor';
import { pages } from '../constants';
import { fromLocalInput, toLocalInput, utc } from '../format';
import { navigate } from '../hooks/useAppLocation';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';
import { type FieldErrors, fieldErrors, serverFieldErrors } from '../validation';

const PREVIEW_COUNT = 8;
const PREVIEW_DAYS = 60;
type Kind = Schedule['kind'];
type Weekday = (typeof WEEKDAYS)[number];

interface FormState {
  name: string;
  description: string;
  service: string;
  timeZone: string;
  kind: Kind;
  once: { start: string | null; end: string | null };
  weekly: { days: Weekday[]; startTime: string; durationMinutes: number };
  rrule: { rrule: string; start: string; durationMinutes: number };
  matchers: Matcher[];
  targets: string;
  enabled: boolean;
}

const INITIAL: FormState = {
  name: '',
  description: '',
  service: '',
  timeZone: 'UTC',
  kind: 'weekly',
  once: { start: null, end: null },
  weekly: { days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
  rrule: { rrule: 'FREQ=WEEKLY;BYDAY=SA', start: '', durationMinutes: 60 },
  matchers: [{ name: 'service', op: '=', value: '' }],
  targets: '',
  enabled: true,
};

export function scheduleOf(f: FormState): unknown {
  if (f.kind === 'once') return { kind: 'once', ...f.once };
  if (f.kind === 'weekly') return { kind: 'weekly', ...f.weekly };
  return { kind: 'rrule', ...f.rrule };
}

export function bodyOf(f: FormState) {
  return {
    name: f.name,
    description: f.description,
    service: f.service.trim() || null,
    timeZone: f.timeZone,
    schedule: scheduleOf(f),
    matchers: f.matchers,
    targets: f.targets
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    enabled: f.enabled,
  };
}

function formOf(w: MaintenanceWindow): FormState {
  const s = w.schedule;
  return {
    ...INITIAL,
    name: w.name,
    description: w.description,
    service: w.service ?? '',
    timeZone: w.timeZone,
    kind: s.kind,
    once: s.kind === 'once' ? { start: s.start, end: s.end } : INITIAL.once,
    weekly:
      s.kind === 'weekly'
        ? { days: s.days, startTime: s.startTime, durationMinutes: s.durationMinutes }
        : INITIAL.weekly,
    rrule:
      s.kind === 'rrule'
        ? { rrule: s.rrule, start: s.start, durationMinutes: s.durationMinutes }
        : INITIAL.rrule,
    matchers: w.matchers,
    targets: w.targets.join(', '),
    enabled: w.enabled,
  };
}

/** Schema errors plus the schedule and matcher rules the backend applies beyond the shape. */
export function windowErrors(body: ReturnType<typeof bodyOf>): FieldErrors {
  const errors = fieldErrors(MaintenanceWindowCreate, body);
  const parsed = Schedule.safeParse(body.schedule);
  const sched = parsed.success ? scheduleProblem(parsed.data) : null;
  if (sched) errors[sched.field] ??= sched.message;
  const matchers = MaintenanceWindowCreate.shape.matchers.safeParse(body.matchers);
  const match = matchers.success ? matchersProblem(matchers.data) : null;
  if (match) errors[match.field] ??= match.message;
  return errors;
}

export function previewOccurrences(f: FormState, now: Date) {
  const schedule = Schedule.safeParse(scheduleOf(f));
  if (!schedule.success || scheduleProblem(schedule.data) || !TimeZone.safeParse(f.timeZone).success)
    return null;
  return expandOccurrences(
    { id: 'preview', timeZone: f.timeZone, schedule: schedule.data },
    now,
    new Date(now.getTime() + PREVIEW_DAYS * 86_400_000),
  ).slice(0, PREVIEW_COUNT);
}

export function MaintenanceForm({ id }: { id?: string }) {
  const styles = useStyles2(getPageStyles);
  const path = id ? `/api/v1/maintenance-windows/${encodeURIComponent(id)}` : '';
  const existing = useLoad(
    () => (id ? api.get<MaintenanceWindow>(path) : Promise.resolve(undefined)),
    [path],
  );
  const [form, setForm] = useState<FormState>(INITIAL);
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (existing.value) setForm(formOf(existing.value));
  }, [existing.value]);
  const body = bodyOf(form);
  const errors = tried ? windowErrors(body) : {};
  const preview = useMemo(() => previewOccurrences(form, new Date()), [form]);
  const save = useSubmit(async () => {
    const parsed = MaintenanceWindowCreate.parse(body);
    const saved = existing.value
      ? await api.patch<MaintenanceWindow>(path, { ...parsed, version: existing.value.version })
      : await api.post<MaintenanceWindow>('/api/v1/maintenance-windows', parsed);
    navigate(pages.window(saved.id));
  });
  const server = serverFieldErrors(save.error);
  const problem = (f: string) => errors[f] ?? server[f];
  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));

  if (!canWrite()) return <Alert severity="info" title="Viewers cannot edit maintenance windows" />;
  if (id && existing.loading) return <LoadingPlaceholder text="Loading window…" />;
  if (existing.error) return <ErrorAlert error={existing.error} title={`Could not load window ${id}`} />;

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(windowErrors(body)).length === 0) void save.run();
  };

  return (
    <form onSubmit={onSubmit} aria-label="Maintenance window" noValidate>
      <Stack direction="column" gap={1}>
        <h2>{existing.value ? `Edit ${existing.value.name}` : 'New maintenance window'}</h2>
        <InputField
          label="Name"
          id="mw-name"
          value={form.name}
          onChange={(name) => set({ name })}
          error={problem('name')}
          required
        />
        <Stack gap={2} wrap="wrap">
          <InputField
            label="Service"
            description="Empty: any service"
            id="mw-service"
            value={form.service}
            onChange={(service) => set({ service })}
            error={problem('service')}
            width={24}
          />
          <InputField
            label="Time zone"
            id="mw-tz"
            value={form.timeZone}
            onChange={(timeZone) => set({ timeZone })}
            error={problem('timeZone')}
            width={24}
          />
        </Stack>
        <Field label="Schedule">
          <RadioButtonGroup
            options={[
              { label: 'One-off', value: 'once' as const },
              { label: 'Weekly', value: 'weekly' as const },
              { label: 'RRULE', value: 'rrule' as const },
            ]}
            value={form.kind}
            onChange={(kind) => set({ kind })}
          />
        </Field>
        {form.kind === 'once' && (
          <Stack gap={2}>
            <InputField
              label="Start (UTC)"
              id="mw-once-start"
              type="datetime-local"
              value={toLocalInput(form.once.start)}
              onChange={(v) => set({ once: { ...form.once, start: fromLocalInput(v) } })}
              error={problem('schedule.start')}
            />
            <InputField
              label="End (UTC)"
              id="mw-once-end"
              type="datetime-local"
              value={toLocalInput(form.once.end)}
              onChange={(v) => set({ once: { ...form.once, end: fromLocalInput(v) } })}
              error={problem('schedule.end')}
            />
          </Stack>
        )}
        {form.kind === 'weekly' && (
          <Stack gap={2} wrap="wrap" alignItems="flex-end">
            <Field label="Days" invalid={Boolean(problem('schedule.days'))} error={problem('schedule.days')}>
              <Stack gap={1}>
                {WEEKDAYS.map((d) => (
                  <Checkbox
                    key={d}
                    label={d}
                    value={form.weekly.days.includes(d)}
                    onChange={(e) =>
                      set({
                        weekly: {
                          ...form.weekly,
                          days: e.currentTarget.checked
                            ? [...form.weekly.days, d]
                            : form.weekly.days.filter((x) => x !== d),
                        },
                      })
                    }
                  />
                ))}
              </Stack>
            </Field>
            <InputField
              label="Start time"
              id="mw-weekly-time"
              value={form.weekly.startTime}
              onChange={(startTime) => set({ weekly: { ...form.weekly, startTime } })}
              error={problem('schedule.startTime')}
              width={10}
            />
            <InputField
              label="Minutes"
              id="mw-weekly-minutes"
              type="number"
              value={form.weekly.durationMinutes}
              onChange={(v) => set({ weekly: { ...form.weekly, durationMinutes: Number(v) } })}
              error={problem('schedule.durationMinutes')}
              width={10}
            />
          </Stack>
        )}
        {form.kind === 'rrule' && (
          <Stack gap={2} wrap="wrap">
            <InputField
              label="RRULE"
              id="mw-rrule"
              value={form.rrule.rrule}
              onChange={(rrule) => set({ rrule: { ...form.rrule, rrule } })}
              error={problem('schedule.rrule')}
              width={40}
            />
            <InputField
              label="First start (local)"
              description="YYYY-MM-DDTHH:MM in the time zone"
              id="mw-rrule-start"
              placeholder="2026-12-01T02:00"
              value={form.rrule.start}
              onChange={(start) => set({ rrule: { ...form.rrule, start } })}
              error={problem('schedule.start')}
              width={24}
            />
            <InputField
              label="Minutes"
              id="mw-rrule-minutes"
              type="number"
              value={form.rrule.durationMinutes}
              onChange={(v) => set({ rrule: { ...form.rrule, durationMinutes: Number(v) } })}
              error={problem('schedule.durationMinutes')}
              width={10}
            />
          </Stack>
        )}
        <section className={styles.card} aria-label="Recurrence preview">
          <h4>Next occurrences</h4>
          {preview === null && <p className={styles.muted}>Complete the schedule to see its occurrences.</p>}
          {preview?.length === 0 && (
            <p className={styles.muted}>No occurrence in the next {PREVIEW_DAYS} days.</p>
          )}
          <ol>
            {preview?.map((o) => (
              <li key={o.start}>
                {utc(o.start)} – {utc(o.end)}
              </li>
            ))}
          </ol>
        </section>
        <Field
          label="Alert matchers"
          description="Alerts matching all of these are silenced during each occurrence"
          invalid={Boolean(problem('matchers'))}
          error={problem('matchers')}
        >
          <MatcherEditor
            matchers={form.matchers}
            onChange={(matchers) => set({ matchers })}
            errors={{ ...server, ...errors }}
          />
        </Field>
        <InputField
          label="Targets"
          description="Alertmanager URLs or grafana, comma-separated; empty means every configured one"
          id="mw-targets"
          value={form.targets}
          onChange={(targets) => set({ targets })}
          error={problem('targets')}
        />
        <Field label="Description">
          <TextArea
            id="mw-description"
            rows={2}
            value={form.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
          />
        </Field>
        <Checkbox
          label="Enabled"
          value={form.enabled}
          onChange={(e) => set({ enabled: e.currentTarget.checked })}
        />
        <FormProblems
          errors={errors}
          shown={['name', 'service', 'timeZone', 'schedule', 'matchers', 'targets']}
        />
        <ErrorAlert error={save.error} title="The window was not saved" />
        <div>
          <Button type="submit" disabled={save.busy}>
            {existing.value ? 'Save window' : 'Create window'}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
