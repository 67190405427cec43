import { matchersProblem, type MaintenanceWindow } from '@opsdeck/common';
import { locationService } from '@grafana/runtime';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { MaintenanceDetail } from './MaintenanceDetail';
import { MaintenanceForm } from './MaintenanceForm';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
});
afterAll(() => backend?.stop());

const WEEKDAY = (iso: string) => new Date(iso).getUTCDay();

describe('MaintenanceForm', () => {
  it('previews weekly occurrences in the chosen days, time and zone', async () => {
    useApp(backend.url);
    render(<MaintenanceForm />);
    const preview = screen.getByRole('region', { name: 'Recurrence preview' });
    const items = within(preview).getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(3);
    for (const item of items) {
      const start = item.textContent!.slice(0, 16).replace(' ', 'T') + ':00Z';
      expect([2, 4]).toContain(WEEKDAY(start));
      expect(item.textContent).toMatch(/^\S+ 02:00 UTC – \S+ 04:00 UTC$/);
    }
    await userEvent.clear(screen.getByLabelText('Time zone'));
    await userEvent.type(screen.getByLabelText('Time zone'), 'Europe/Berlin');
    for (const item of within(preview).getAllByRole('listitem'))
      expect(item.textContent).toMatch(/^\S+ 01:00 UTC/);
  });

  it('checks matchers as the backend does before sending', async () => {
    const calls = useApp(backend.url);
    render(<MaintenanceForm />);
    await userEvent.type(screen.getByLabelText(/Name/), 'db upgrade');
    await userEvent.click(screen.getByRole('button', { name: 'Create window' }));
    const empty = matchersProblem([{ name: 'service', op: '=', value: '' }])!;
    expect(screen.getByText(empty.message)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('combobox', { name: 'Operator 1' }));
    await userEvent.click(screen.getByText('=~'));
    await userEvent.type(screen.getByRole('textbox', { name: 'Label value 1' }), 'db(');
    const regex = matchersProblem([{ name: 'service', op: '=~', value: 'db(' }])!;
    expect(regex.field).toBe('matchers.0.value');
    expect(await screen.findByText(regex.message)).toBeInTheDocument();
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });

  it('creates a window, then shows its occurrences and silence state, and extends nothing when closed', async () => {
    useApp(backend.url);
    render(<MaintenanceForm />);
    await userEvent.type(screen.getByLabelText(/Name/), 'db patching');
    await userEvent.type(screen.getByRole('textbox', { name: 'Label value 1' }), 'db');
    await userEvent.click(screen.getByRole('button', { name: 'Create window' }));
    await waitFor(() => expect(locationService.getLocation().pathname).toMatch(/\/maintenance\/[^/]+$/));
    const id = decodeURIComponent(locationService.getLocation().pathname.split('/').pop()!);
    const stored = await seed<MaintenanceWindow>(backend.url, 'GET', `/api/v1/maintenance-windows/${id}`);
    expect(stored).toMatchObject({
      name: 'db patching',
      matchers: [{ name: 'service', op: '=', value: 'db' }],
      schedule: { kind: 'weekly', days: ['TU', 'TH'] },
    });
  });

  it('ends an open occurrence early from the detail page', async () => {
    const now = Date.now();
    const window = await seed<MaintenanceWindow>(backend.url, 'POST', '/api/v1/maintenance-windows', {
      name: 'open now',
      schedule: {
        kind: 'once',
        start: new Date(now - 600_000).toISOString(),
        end: new Date(now + 3_600_000).toISOString(),
      },
      matchers: [{ name: 'service', op: '=', value: 'db' }],
    });
    useApp(backend.url);
    render(<MaintenanceDetail id={window.id} />);
    expect(await screen.findByText(/^Open now until/)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Silences' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'End now' }));
    expect(await screen.findByText('Not open now')).toBeInTheDocument();
  });
});
