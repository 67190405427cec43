import { locationService } from '@grafana/runtime';
import type { Incident, TimelineEntry } from '@opsdeck/common';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { IncidentDetail } from './IncidentDetail';

let backend: Running;
const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

beforeAll(async () => {
  backend = await startBackend(await deadUrl());
  await seed(backend.url, 'POST', '/api/v1/runbooks', {
    id: 'api-errors',
    title: 'API errors',
    services: ['api'],
    alerts: ['APIElevatedErrors'],
    body: '# API errors\n\n- [ ] Check the error ratio per route\n- [ ] Roll back the last deploy\n',
  });
});
afterAll(() => backend?.stop());

const declare = (body: Record<string, unknown>) =>
  seed<Incident>(backend.url, 'POST', '/api/v1/incidents', { service: 'api', severity: 'S2', ...body });
const timeline = async (id: string) =>
  (await seed<{ items: TimelineEntry[] }>(backend.url, 'GET', `/api/v1/incidents/${id}/timeline`)).items;

describe('IncidentDetail', () => {
  describe('opened from an escalation notification (?action=acknowledge)', () => {
    const open = (incident: Incident) =>
      act(() => locationService.push(`/a/opsdeck-sre-app/incidents/${incident.id}?action=acknowledge`));
    afterEach(() => act(() => locationService.push('/a/opsdeck-sre-app/incidents')));

    it('acknowledges with one confirm and drops the action from the URL', async () => {
      const incident = await declare({ title: 'paged checkout', severity: 'S1' });
      const calls = useApp(backend.url, 'Editor', 'bob');
      open(incident);
      render(<IncidentDetail id={incident.id} />);
      await userEvent.click(await screen.findByRole('button', { name: 'Confirm acknowledge' }));
      await waitFor(() => expect(locationService.getSearchObject().action).toBeUndefined());
      expect(
        calls.filter((c) => c.method === 'POST' && c.url.endsWith(`/incidents/${incident.id}/acknowledge`)),
      ).toHaveLength(1);
      const stored = await seed<Incident>(backend.url, 'GET', `/api/v1/incidents/${incident.id}`);
      expect(stored.acknowledgedAt).not.toBeNull();
      expect(screen.queryByRole('button', { name: 'Confirm acknowledge' })).not.toBeInTheDocument();
    });

    it('says who acknowledged when it already was, and offers viewers no button', async () => {
      const acked = await declare({ title: 'paged search', severity: 'S1' });
      await seed(backend.url, 'POST', `/api/v1/incidents/${acked.id}/acknowledge`, {});
      useApp(backend.url);
      open(acked);
      const { unmount } = render(<IncidentDetail id={acked.id} />);
      expect(await screen.findByText('Already acknowledged')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Confirm acknowledge' })).not.toBeInTheDocument();
      unmount();

      const fresh = await declare({ title: 'paged web', severity: 'S1' });
      useApp(backend.url, 'Viewer');
      open(fresh);
      render(<IncidentDetail id={fresh.id} />);
      expect(await screen.findByText('You cannot acknowledge this page')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Confirm acknowledge' })).not.toBeInTheDocument();
    });
  });

  it('shows the flags, checklist, comms reminder and status-page draft of an S2', async () => {
    const incident = await declare({ title: 'checkout failing' });
    useApp(backend.url);
    render(<IncidentDetail id={incident.id} />);
    expect(await screen.findByRole('heading', { name: /checkout failing/ })).toBeInTheDocument();
    expect(screen.getByText(/Next comms update due/)).toBeInTheDocument();
    expect(await screen.findByRole('region', { name: 'Status-page draft' })).toBeInTheDocument();
    const checklist = screen.getByRole('region', { name: 'First-responder checklist' });
    expect(within(checklist).getAllByRole('checkbox').length).toBeGreaterThan(3);
    expect(screen.getByText(/RTO/)).toBeInTheDocument();
  });

  it('acknowledges, adds a comms update, ticks a runbook step into the timeline, and resolves', async () => {
    const incident = await declare({ title: 'api 5xx' });
    useApp(backend.url);
    render(<IncidentDetail id={incident.id} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    expect(screen.queryByTestId('api-error')).toBeNull();
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument(),
    );

    await userEvent.click(screen.getByRole('combobox', { name: 'Entry kind' }));
    await userEvent.click(screen.getByText('Comms update'));
    await userEvent.type(screen.getByLabelText('Entry'), 'Investigating elevated 5xx');
    await userEvent.click(screen.getByRole('button', { name: 'Add to timeline' }));
    const list = screen.getByRole('region', { name: 'Timeline' });
    expect(await within(list).findByText(/Investigating elevated 5xx/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Runbook' }));
    const step = await screen.findByRole('checkbox', { name: 'Roll back the last deploy' });
    await userEvent.click(step);
    expect(
      await within(list).findByText(/Done \(API errors\): Roll back the last deploy/),
    ).toBeInTheDocument();
    const entries = await timeline(incident.id);
    expect(entries.find((e) => e.kind === 'runbook-step')).toMatchObject({
      data: { runbookId: 'api-errors', step: 1, done: true },
    });

    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('checkbox', { name: 'Roll back the last deploy' })).not.toBeInTheDocument(),
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'Resolution note' }), 'rolled back');
    await userEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await waitFor(() => expect(screen.getByText(/· resolved/)).toBeInTheDocument());
    expect((await seed<Incident>(backend.url, 'GET', `/api/v1/incidents/${incident.id}`)).status).toBe(
      'resolved',
    );
  });

  it('shows what the backend refused, naming the field', async () => {
    const incident = await declare({ title: 'roles' });
    useApp(backend.url);
    render(<IncidentDetail id={incident.id} />);
    await userEvent.click(await screen.findByLabelText('Incident commander'));
    await userEvent.paste('x'.repeat(101));
    await userEvent.click(screen.getByRole('button', { name: 'Save roles' }));
    const alert = await screen.findByTestId('api-error');
    expect(alert).toHaveTextContent('The action was refused');
    expect(within(alert).getByRole('list', { name: 'Problems' })).toHaveTextContent('body.ic');
  });

  it('offers no actions on a resolved incident', async () => {
    const incident = await declare({ title: 'flapping' });
    await seed(backend.url, 'POST', `/api/v1/incidents/${incident.id}/resolve`, {});
    useApp(backend.url);
    render(<IncidentDetail id={incident.id} />);
    await screen.findByRole('heading', { name: /flapping/ });
    expect(screen.queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();
    for (const box of within(screen.getByRole('region', { name: 'First-responder checklist' })).getAllByRole(
      'checkbox',
    ))
      expect(box).toBeDisabled();
  });

  it('renders script payloads in titles and notes as inert text', async () => {
    const incident = await declare({ title: `x ${PAYLOAD}`, description: PAYLOAD });
    await seed(backend.url, 'POST', `/api/v1/incidents/${incident.id}/timeline`, {
      kind: 'note',
      text: PAYLOAD,
    });
    useApp(backend.url);
    const { container } = render(<IncidentDetail id={incident.id} />);
    await screen.findByRole('heading', { name: /onerror/ });
    await within(screen.getByRole('region', { name: 'Timeline' })).findAllByText(/window.__pwned=1/);
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(container.querySelector('script, img[onerror]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('lets viewers read but not act', async () => {
    const incident = await declare({ title: 'read only' });
    useApp(backend.url, 'Viewer');
    render(<IncidentDetail id={incident.id} />);
    await screen.findByRole('heading', { name: /read only/ });
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add to timeline' })).not.toBeInTheDocument();
  });
});
