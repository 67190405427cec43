import type { Change } from '@opsdeck/common';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { ChangeDetail } from './ChangeDetail';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
});
afterAll(() => backend?.stop());

const propose = (body: Record<string, unknown>) =>
  seed<Change>(backend.url, 'POST', '/api/v1/changes', {
    title: 'rollout',
    kind: 'deploy',
    service: 'web',
    ...body,
  });

describe('ChangeDetail', () => {
  it('approves by role and shows the backend refusal when one person takes two roles', async () => {
    const change = await propose({ risk: 'Med', owner: 'bob' });
    useApp(backend.url, 'Editor', 'alice');
    render(<ChangeDetail id={change.id} />);
    const approvals = await screen.findByRole('region', { name: 'Approvals' });
    await userEvent.click(within(approvals).getByRole('button', { name: 'Approve as peer' }));
    expect(await within(approvals).findByText(/peer: alice/)).toBeInTheDocument();
    await userEvent.click(within(approvals).getByRole('button', { name: 'Approve as on-call' }));
    const alert = await screen.findByTestId('api-error');
    expect(alert).toHaveTextContent('alice already approved as peer');
  });

  it('runs canary stages with the deploy gate decision', async () => {
    const checklist = {
      'tests-green': true,
      'health-checks': true,
      backups: true,
      'comms-drafted': true,
      'rollback-plan': true,
    };
    const change = await propose({ risk: 'Low', owner: 'alice', checklist });
    useApp(backend.url, 'Editor', 'alice');
    render(<ChangeDetail id={change.id} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve as self (owner)' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Start' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Ask the gate and run 5 %' }));
    const canary = screen.getByRole('region', { name: 'Canary' });
    expect(await within(canary).findByText(/Gate for web: proceed/)).toBeInTheDocument();
    expect(await within(canary).findByText(/^proceed at/)).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'Ask the gate and run 25 %' })).toBeInTheDocument();
    expect((await seed<Change>(backend.url, 'GET', `/api/v1/changes/${change.id}`)).canary).toMatchObject([
      { percent: 5, decision: 'proceed' },
    ]);
  });

  it('shows viewers the state without buttons', async () => {
    const change = await propose({ risk: 'High', owner: 'bob' });
    useApp(backend.url, 'Viewer');
    render(<ChangeDetail id={change.id} />);
    const readiness = await screen.findByRole('region', { name: 'Readiness' });
    expect(readiness).toHaveTextContent('approval from engineering manager');
    expect(readiness).toHaveTextContent('next allowed slot');
    expect(screen.queryByRole('button', { name: /Approve/ })).not.toBeInTheDocument();
  });
});
