import { IncidentCreate, SEVERITY_MATRIX, type Incident } from '@opsdeck/common';
import { locationService } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { fieldErrors } from '../validation';
import { IncidentDeclare } from './IncidentDeclare';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
});
afterAll(() => backend?.stop());

const fromPanel = new URLSearchParams({
  dashboardUid: 'svc-api',
  dashboardTitle: 'opsdeck / Service',
  panelId: '4',
  panelTitle: 'Error ratio',
  from: '2026-11-29T08:00:00.000Z',
  to: '2026-11-29T10:00:00.000Z',
  service: 'api',
});

describe('IncidentDeclare', () => {
  it('shows the zod messages of IncidentCreate before anything is sent', async () => {
    const calls = useApp(backend.url);
    render(<IncidentDeclare search={new URLSearchParams()} />);
    await userEvent.click(screen.getByRole('button', { name: /declare/i }));
    const expected = fieldErrors(IncidentCreate, {
      title: '',
      service: '',
      severity: 'S2',
      description: '',
      source: null,
    });
    expect(expected.title).toBeTruthy();
    expect(screen.getByLabelText(/Title/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/Service/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText(expected.title!)).toHaveLength(expected.title === expected.service ? 2 : 1);
    expect(calls).toHaveLength(0);
  });

  it('explains the severity matrix and follows the chosen severity', async () => {
    useApp(backend.url);
    render(<IncidentDeclare search={new URLSearchParams()} />);
    const matrix = screen.getByRole('table', { name: 'Severity matrix' });
    for (const rule of Object.values(SEVERITY_MATRIX))
      expect(within(matrix).getByText(rule.meaning)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('radio', { name: /S1 Critical/ }));
    expect(
      within(matrix)
        .getByText(/S1 Critical/)
        .closest('tr'),
    ).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('button', { name: 'Declare S1' })).toBeInTheDocument();
  });

  it('declares an incident pre-filled from a dashboard panel and opens it', async () => {
    const calls = useApp(backend.url);
    render(<IncidentDeclare search={fromPanel} />);
    expect(screen.getByText('From a dashboard panel')).toBeInTheDocument();
    expect(screen.getByLabelText(/Service/)).toHaveValue('api');
    await userEvent.type(screen.getByLabelText(/Title/), 'checkout 5xx');
    await userEvent.click(screen.getByRole('button', { name: 'Declare S2' }));
    await waitFor(() =>
      expect(locationService.getLocation().pathname).toMatch(
        /^\/a\/opsdeck-sre-app\/incidents\/[0-9a-f-]{36}$/,
      ),
    );
    const id = locationService.getLocation().pathname.split('/').pop()!;
    const stored = await seed<Incident>(backend.url, 'GET', `/api/v1/incidents/${id}`);
    expect(stored).toMatchObject({ title: 'Error ratio: checkout 5xx', service: 'api', severity: 'S2' });
    expect(stored.source).toMatchObject({
      dashboardUid: 'svc-api',
      panelId: 4,
      timeRange: { from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T10:00:00.000Z' },
    });
    expect(calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('keeps the alert and the Explore time range the other links pass', async () => {
    useApp(backend.url);
    const { unmount } = render(
      <IncidentDeclare search={new URLSearchParams({ alert: 'APIElevatedErrors', service: 'api' })} />,
    );
    expect(screen.getByText('From an alert')).toBeInTheDocument();
    expect(screen.getByLabelText(/Title/)).toHaveValue('APIElevatedErrors: ');
    unmount();
    const calls = useApp(backend.url);
    render(
      <IncidentDeclare
        search={new URLSearchParams({ from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T10:00:00.000Z' })}
      />,
    );
    expect(screen.getByText('From Explore')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Title/), 'latency spike');
    await userEvent.type(screen.getByLabelText(/Service/), 'api');
    await userEvent.click(screen.getByRole('button', { name: 'Declare S2' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.body).toMatchObject({
      source: { timeRange: { from: '2026-11-29T08:00:00.000Z', to: '2026-11-29T10:00:00.000Z' } },
    });
  });

  it('names a pre-filled field that has no input of its own', async () => {
    const calls = useApp(backend.url);
    render(<IncidentDeclare search={new URLSearchParams({ dashboardUid: 'x'.repeat(150) })} />);
    await userEvent.type(screen.getByLabelText(/Title/), 'too long a dashboard uid');
    await userEvent.type(screen.getByLabelText(/Service/), 'api');
    await userEvent.click(screen.getByRole('button', { name: 'Declare S2' }));
    expect(screen.getByText('Fix these before submitting').closest('[role="alert"], div')).toHaveTextContent(
      'source.dashboardUid',
    );
    expect(calls).toHaveLength(0);
  });

  it('says clearly when the backend does not answer', async () => {
    useApp(await deadUrl());
    render(<IncidentDeclare search={new URLSearchParams()} />);
    await userEvent.type(screen.getByLabelText(/Title/), 'db down');
    await userEvent.type(screen.getByLabelText(/Service/), 'db');
    await userEvent.click(screen.getByRole('button', { name: 'Declare S2' }));
    const alert = await screen.findByTestId('api-error');
    expect(alert).toHaveTextContent('The incident was not declared');
    expect(alert).toHaveTextContent('The opsdeck backend does not answer');
    expect(alert).toHaveTextContent('backend_unreachable (HTTP 502)');
  });

  it('tells viewers they cannot declare', () => {
    useApp(backend.url, 'Viewer');
    render(<IncidentDeclare search={new URLSearchParams()} />);
    expect(screen.getByText('Viewers cannot declare incidents')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /declare/i })).not.toBeInTheDocument();
  });
});
