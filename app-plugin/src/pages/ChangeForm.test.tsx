import { PRE_DEPLOY_CHECKLIST, type Change } from '@opsdeck/common';
import { locationService } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { ChangeForm } from './ChangeForm';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
});
afterAll(() => backend?.stop());

/** A Monday 10:00 UTC, outside the guide's default High-risk window (Tue/Thu 02:00–04:00 UTC). */
const MONDAY_MORNING = '2026-12-07T10:00';

describe('ChangeForm', () => {
  it('shows the approvals and checklist each risk requires', async () => {
    useApp(backend.url);
    render(<ChangeForm />);
    const needs = screen.getByRole('region', { name: 'What this risk requires' });
    expect(needs).toHaveTextContent('self (owner)');
    await userEvent.click(screen.getByRole('radio', { name: 'Med' }));
    expect(needs).toHaveTextContent('peer + on-call');
    await userEvent.click(screen.getByRole('radio', { name: 'High' }));
    expect(needs).toHaveTextContent('engineering manager + on-call');
    expect(needs).toHaveTextContent('only inside a maintenance window');
    for (const item of PRE_DEPLOY_CHECKLIST)
      expect(within(needs).getByRole('checkbox', { name: item.text })).toBeInTheDocument();
  });

  it('refuses a High-risk slot outside every window before submit, names the next slot, and records the change in it', async () => {
    const calls = useApp(backend.url);
    render(<ChangeForm />);
    await userEvent.type(screen.getByLabelText(/Title/), 'Postgres 16 upgrade');
    await userEvent.type(screen.getByLabelText(/Service/), 'db');
    await userEvent.click(screen.getByRole('radio', { name: 'High' }));
    fireEvent.change(screen.getByLabelText('Planned start (UTC)'), { target: { value: MONDAY_MORNING } });
    const refusal = await screen.findByTestId('window-refusal');
    expect(refusal).toHaveTextContent('High risk changes run only inside a maintenance window');
    expect(refusal).toHaveTextContent('2026-12-08T02:00:00.000Z – 2026-12-08T04:00:00.000Z');
    expect(screen.getByRole('button', { name: 'Propose change' })).toBeDisabled();
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);

    await userEvent.click(within(refusal).getByRole('button', { name: /Plan it for 2026-12-08 02:00 UTC/ }));
    expect(screen.queryByTestId('window-refusal')).toBeNull();
    expect(screen.getByText(/Inside the window 2026-12-08 02:00 UTC/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Propose change' }));
    await waitFor(() => expect(locationService.getLocation().pathname).toMatch(/\/changes\/[0-9a-f-]{36}$/));
    const id = locationService.getLocation().pathname.split('/').pop()!;
    const stored = await seed<Change>(backend.url, 'GET', `/api/v1/changes/${id}`);
    expect(stored).toMatchObject({
      risk: 'High',
      service: 'db',
      plannedStart: '2026-12-08T02:00:00.000Z',
      plannedEnd: '2026-12-08T04:00:00.000Z',
      status: 'proposed',
    });
  });

  it('validates with ChangeCreate: an RFC link must be a URL', async () => {
    const calls = useApp(backend.url);
    render(<ChangeForm />);
    await userEvent.type(screen.getByLabelText(/Title/), 'flag flip');
    await userEvent.type(screen.getByLabelText(/Service/), 'web');
    await userEvent.type(screen.getByLabelText('RFC link'), 'not a link');
    await userEvent.click(screen.getByRole('button', { name: 'Propose change' }));
    expect(screen.getByLabelText('RFC link')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(0);
  });
});
