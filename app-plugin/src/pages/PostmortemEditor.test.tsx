import { PostmortemWrite, type Incident, type Postmortem } from '@opsdeck/common';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { fieldErrors } from '../validation';
import { PostmortemEditor } from './PostmortemEditor';

let backend: Running;
let incident: Incident;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
  incident = await seed<Incident>(backend.url, 'POST', '/api/v1/incidents', {
    title: 'queue stuck',
    service: 'worker',
    severity: 'S2',
  });
  await seed(backend.url, 'POST', `/api/v1/incidents/${incident.id}/resolve`, {
    text: 'restarted consumers',
  });
});
afterAll(() => backend?.stop());

describe('PostmortemEditor', () => {
  it('validates action items with PostmortemWrite, then saves sections and items', async () => {
    const calls = useApp(backend.url);
    render(<PostmortemEditor id={incident.id} />);
    await userEvent.type(await screen.findByLabelText(/Root cause/), 'consumer deadlock on rebalance');
    await userEvent.click(screen.getByRole('button', { name: 'Add action item' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save postmortem' }));
    const expected = fieldErrors(PostmortemWrite, {
      actionItems: [{ title: '', owner: '', dueDate: '', status: 'open' }],
    });
    expect(screen.getByLabelText('Action')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText(expected['actionItems.0.dueDate']!).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);

    await userEvent.type(screen.getByLabelText('Action'), 'Alert on consumer lag');
    await userEvent.type(screen.getByLabelText('Owner'), 'bob');
    await userEvent.type(screen.getByLabelText('Due'), '2026-12-15');
    await userEvent.click(screen.getByRole('button', { name: 'Save postmortem' }));
    const first = Number(
      /version (\d+)/.exec((await screen.findByText(/^Saved \(version \d+\)/)).textContent!)![1],
    );
    const stored = await seed<Postmortem>(backend.url, 'GET', `/api/v1/incidents/${incident.id}/postmortem`);
    expect(stored.version).toBe(first);
    expect(stored).toMatchObject({
      rootCause: 'consumer deadlock on rebalance',
      actionItems: [{ title: 'Alert on consumer lag', owner: 'bob', dueDate: '2026-12-15', status: 'open' }],
    });

    await userEvent.type(screen.getByLabelText(/Impact/), 'orders delayed 40 minutes');
    await userEvent.click(screen.getByRole('button', { name: 'Save postmortem' }));
    await waitFor(() =>
      expect(screen.getByText(new RegExp(`^Saved \\(version ${first + 1}\\)`))).toBeInTheDocument(),
    );
  });

  it('shows a version conflict from the backend when someone else saved first', async () => {
    useApp(backend.url);
    render(<PostmortemEditor id={incident.id} />);
    await screen.findByDisplayValue('consumer deadlock on rebalance');
    const current = await seed<Postmortem>(backend.url, 'GET', `/api/v1/incidents/${incident.id}/postmortem`);
    await seed(backend.url, 'PUT', `/api/v1/incidents/${incident.id}/postmortem`, {
      rootCause: 'edited elsewhere',
      version: current.version,
    });
    await userEvent.type(screen.getByLabelText(/Detection/), 'lag alert fired');
    await userEvent.click(screen.getByRole('button', { name: 'Save postmortem' }));
    const alert = await screen.findByTestId('api-error');
    expect(alert).toHaveTextContent('The postmortem was not saved');
    expect(alert).toHaveTextContent('HTTP 409');
  });
});
