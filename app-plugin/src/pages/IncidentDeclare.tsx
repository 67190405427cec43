// Declare an incident: title, service, severity (with the matrix explained) and where it came from;
// pre-filled from the extension links (panel menu, Explore, alert instance). Validated with IncidentCreate.
import { IncidentCreate, type Incident, type Severity } from '@opsdeck/common';
import { Alert, Button, Field, Stack, TextArea } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import { api } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormProblems } from '../components/FormProblems';
import { InputField } from '../components/InputField';
import { SeverityPicker } from '../components/SeverityPicker';
import { pages } from '../constants';
import { utc } from '../format';
import { navigate } from '../hooks/useAppLocation';
import { useSubmit } from '../hooks/useSubmit';
import { canWrite } from '../role';
import { fieldErrors, serverFieldErrors } from '../validation';

/** The incident's source from the query string the "Declare incident" links write. */
export function sourceFromQuery(search: URLSearchParams, origin: string) {
  const dashboardUid = search.get('dashboardUid') ?? undefined;
  const panelId = search.get('panelId') ? Number(search.get('panelId')) : undefined;
  const from = search.get('from') ?? undefined;
  const to = search.get('to') ?? undefined;
  const alert = search.get('alert') ?? undefined;
  if (!dashboardUid && !alert && !(from && to)) return null;
  const params = new URLSearchParams();
  if (panelId !== undefined) params.set('viewPanel', String(panelId));
  if (from) params.set('from', String(Date.parse(from)));
  if (to) params.set('to', String(Date.parse(to)));
  return {
    ...(dashboardUid
      ? { dashboardUid, url: `${origin}/d/${encodeURIComponent(dashboardUid)}?${params}` }
      : {}),
    ...(panelId !== undefined && Number.isInteger(panelId) ? { panelId } : {}),
    ...(from && to ? { timeRange: { from, to } } : {}),
    ...(alert ? { alert } : {}),
  };
}

function sourceTitle(source: { dashboardUid?: string; alert?: string }): string {
  if (source.dashboardUid) return 'From a dashboard panel';
  return source.alert ? 'From an alert' : 'From Explore';
}

export function IncidentDeclare({ search }: { search: URLSearchParams }) {
  const source = useMemo(() => sourceFromQuery(search, window.location.origin), [search]);
  const panelTitle = search.get('panelTitle');
  const dashboardTitle = search.get('dashboardTitle');
  const [title, setTitle] = useState(
    panelTitle ? `${panelTitle}: ` : source?.alert ? `${source.alert}: ` : '',
  );
  const [service, setService] = useState(search.get('service') ?? '');
  const [severity, setSeverity] = useState<Severity>('S2');
  const [description, setDescription] = useState(
    panelTitle
      ? `Declared from panel "${panelTitle}"${dashboardTitle ? ` on dashboard "${dashboardTitle}"` : ''}.`
      : '',
  );
  const [tried, setTried] = useState(false);
  const body = { title, service, severity, description, source };
  const errors = tried ? fieldErrors(IncidentCreate, body) : {};
  const declare = useSubmit(async () => {
    const incident = await api.post<Incident>('/api/v1/incidents', IncidentCreate.parse(body));
    navigate(pages.incident(incident.id));
  });
  const server = serverFieldErrors(declare.error);
  const problem = (field: string) => errors[field] ?? server[field];

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(fieldErrors(IncidentCreate, body)).length === 0) void declare.run();
  };

  if (!canWrite())
    return (
      <Alert severity="info" title="Viewers cannot declare incidents">
        Ask an editor, or page the on-call.
      </Alert>
    );
  return (
    <form onSubmit={onSubmit} aria-label="Declare incident" noValidate>
      <Stack direction="column" gap={1}>
        <h2>Declare an incident</h2>
        {source && (
          <Alert severity="info" title={sourceTitle(source)}>
            {source.dashboardUid && (dashboardTitle ?? source.dashboardUid)}{' '}
            {panelTitle && `· panel "${panelTitle}"`}
            {source.alert && `alert ${source.alert}`}
            {source.timeRange && ` · ${utc(source.timeRange.from)} – ${utc(source.timeRange.to)}`}
          </Alert>
        )}
        <InputField
          label="Title"
          id="incident-title"
          value={title}
          onChange={setTitle}
          error={problem('title')}
          required
        />
        <InputField
          label="Service"
          id="incident-service"
          value={service}
          onChange={setService}
          placeholder="api"
          error={problem('service')}
          required
        />
        <Field
          label="Severity"
          description="What the guide asks for at each level"
          invalid={Boolean(problem('severity'))}
          error={problem('severity')}
        >
          <SeverityPicker value={severity} onChange={setSeverity} />
        </Field>
        <Field
          label="What is happening"
          invalid={Boolean(problem('description'))}
          error={problem('description')}
        >
          <TextArea
            id="incident-description"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
        </Field>
        <FormProblems errors={errors} shown={['title', 'service', 'severity', 'description']} />
        <ErrorAlert error={declare.error} title="The incident was not declared" />
        <div>
          <Button type="submit" icon="fire" disabled={declare.busy}>
            Declare {severity}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
