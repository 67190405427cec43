// The blameless postmortem of an incident: the guide's sections and action items with owner and
// due date, validated with common's PostmortemWrite and saved with its version (no lost updates).
import {
  ACTION_ITEM_STATUSES,
  PostmortemWrite,
  emptyPostmortem,
  type Incident,
  type Postmortem,
} from '@opsdeck/common';
import {
  Alert,
  Button,
  Field,
  IconButton,
  Input,
  LoadingPlaceholder,
  RadioButtonGroup,
  Select,
  Stack,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { type ApiError, api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormProblems } from '../components/FormProblems';
import { utc } from '../format';
import { useLoad } from '../hooks/useLoad';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { getPageStyles } from '../styles';
import { fieldErrors, serverFieldErrors } from '../validation';

const SECTIONS = [
  ['impact', 'Impact', 'Who and what was affected, for how long'],
  ['detection', 'Detection', 'How we found out; how long until we did'],
  ['rootCause', 'Root cause', 'The conditions that made it possible, not who'],
  ['contributingFactors', 'Contributing factors', ''],
  ['wentWell', 'What went well', ''],
  ['wentBadly', "What didn't", ''],
] as const;
type SectionKey = (typeof SECTIONS)[number][0];
type Item = {
  id?: string;
  title: string;
  owner: string;
  dueDate: string;
  status: (typeof ACTION_ITEM_STATUSES)[number];
};
interface Draft extends Record<SectionKey, string> {
  status: 'draft' | 'in-review' | 'published';
  actionItems: Item[];
  version?: number;
}

const EMPTY: Draft = emptyPostmortem();

async function loadPostmortem(base: string): Promise<{ incident: Incident; postmortem: Postmortem | null }> {
  const incident = await api.get<Incident>(`${base}/detail`);
  try {
    return { incident, postmortem: await api.get<Postmortem>(`${base}/postmortem`) };
  } catch (err) {
    if ((err as ApiError).status === 404) return { incident, postmortem: null };
    throw err;
  }
}

export function PostmortemEditor({ id }: { id: string }) {
  const styles = useStyles2(getPageStyles);
  const base = `/api/v1/incidents/${encodeURIComponent(id)}`;
  const loaded = useLoad(() => loadPostmortem(base), [base]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [tried, setTried] = useState(false);
  const [savedAt, setSavedAt] = useState<string>();
  useEffect(() => {
    const pm = loaded.value?.postmortem;
    if (pm) {
      const { incidentId: _i, dueAt: _d, updatedAt: _u, ...fields } = pm;
      setDraft({ ...fields, actionItems: pm.actionItems.map(({ closedAt: _c, ...a }) => a) });
    }
  }, [loaded.value]);
  const body = {
    ...draft,
    actionItems: draft.actionItems.map(({ id: itemId, ...a }) => (itemId ? { id: itemId, ...a } : a)),
  };
  const errors = tried ? fieldErrors(PostmortemWrite, body) : {};
  const save = useSubmit(async () => {
    const pm = await api.put<Postmortem>(`${base}/postmortem`, body);
    setDraft((d) => ({
      ...d,
      version: pm.version,
      actionItems: pm.actionItems.map(({ closedAt: _c, ...a }) => a),
    }));
    setSavedAt(pm.updatedAt);
  });
  const server = serverFieldErrors(save.error);
  const problem = (f: string) => errors[f] ?? server[f];
  const writable = canWrite();
  const setItem = (n: number, patch: Partial<Item>) =>
    setDraft((d) => ({ ...d, actionItems: d.actionItems.map((a, k) => (k === n ? { ...a, ...patch } : a)) }));

  if (loaded.error) return <ErrorAlert error={loaded.error} title="Could not load the postmortem" />;
  if (!loaded.value) return <LoadingPlaceholder text="Loading postmortem…" />;
  const incident = loaded.value.incident;

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(fieldErrors(PostmortemWrite, body)).length === 0) void save.run();
  };

  return (
    <form onSubmit={onSubmit} aria-label="Postmortem" noValidate>
      <Stack direction="column" gap={1}>
        <h2>Postmortem: {incident.title}</h2>
        <span className={styles.muted}>
          Blameless. {incident.severity} on {incident.service}
          {loaded.value.postmortem?.dueAt && `, due ${utc(loaded.value.postmortem.dueAt)}`}.
        </span>
        {SECTIONS.map(([key, label, hint]) => (
          <Field
            key={key}
            label={label}
            description={hint}
            invalid={Boolean(problem(key))}
            error={problem(key)}
          >
            <TextArea
              id={`pm-${key}`}
              rows={3}
              value={draft[key]}
              disabled={!writable}
              onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
            />
          </Field>
        ))}
        <h3>Action items</h3>
        {draft.actionItems.map((item, n) => (
          <Stack key={item.id ?? `new-${n}`} gap={1} alignItems="flex-start" wrap="wrap">
            <Field
              label="Action"
              invalid={Boolean(problem(`actionItems.${n}.title`))}
              error={problem(`actionItems.${n}.title`)}
            >
              <Input
                id={`ai-title-${n}`}
                value={item.title}
                disabled={!writable}
                onChange={(e) => setItem(n, { title: e.currentTarget.value })}
                width={40}
              />
            </Field>
            <Field
              label="Owner"
              invalid={Boolean(problem(`actionItems.${n}.owner`))}
              error={problem(`actionItems.${n}.owner`)}
            >
              <Input
                id={`ai-owner-${n}`}
                value={item.owner}
                disabled={!writable}
                onChange={(e) => setItem(n, { owner: e.currentTarget.value })}
                width={20}
              />
            </Field>
            <Field
              label="Due"
              invalid={Boolean(problem(`actionItems.${n}.dueDate`))}
              error={problem(`actionItems.${n}.dueDate`)}
            >
              <Input
                id={`ai-due-${n}`}
                placeholder="YYYY-MM-DD"
                value={item.dueDate}
                disabled={!writable}
                onChange={(e) => setItem(n, { dueDate: e.currentTarget.value })}
                width={20}
              />
            </Field>
            <Field label="Status">
              <Select
                aria-label={`Status of action ${n + 1}`}
                options={ACTION_ITEM_STATUSES.map((s) => ({ label: s, value: s }))}
                value={item.status}
                disabled={!writable}
                onChange={(v) => v.value && setItem(n, { status: v.value })}
                width={16}
              />
            </Field>
            {writable && (
              <IconButton
                name="trash-alt"
                aria-label={`Remove action ${n + 1}`}
                onClick={() =>
                  setDraft((d) => ({ ...d, actionItems: d.actionItems.filter((_, k) => k !== n) }))
                }
              />
            )}
          </Stack>
        ))}
        {writable && (
          <div>
            <Button
              variant="secondary"
              icon="plus"
              onClick={() =>
                setDraft((d) => ({
                  ...d,
                  actionItems: [...d.actionItems, { title: '', owner: '', dueDate: '', status: 'open' }],
                }))
              }
            >
              Add action item
            </Button>
          </div>
        )}
        <Field label="Review status">
          <RadioButtonGroup
            options={(['draft', 'in-review', 'published'] as const).map((s) => ({ label: s, value: s }))}
            value={draft.status}
            disabled={!writable}
            onChange={(status) => setDraft({ ...draft, status })}
          />
        </Field>
        <FormProblems errors={errors} shown={[...SECTIONS.map(([key]) => key), 'actionItems']} />
        <ErrorAlert error={save.error} title="The postmortem was not saved" />
        {savedAt && (
          <Alert severity="success" title={`Saved (version ${draft.version}) at ${utc(savedAt)}`} />
        )}
        {writable && (
          <div>
            <Button type="submit" disabled={save.busy}>
              Save postmortem
            </Button>
          </div>
        )}
      </Stack>
    </form>
  );
}
