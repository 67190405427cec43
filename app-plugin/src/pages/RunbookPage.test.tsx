import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { RunbookList } from './RunbookList';
import { RunbookPage } from './RunbookPage';

let backend: Running;
const HOSTILE = [
  '# Hostile runbook',
  '',
  '<script>window.__pwned = "script"</script>',
  '<img src="x" onerror="window.__pwned = \'img\'">',
  '[harmless](javascript:window.__pwned=%22link%22)',
  '',
  '- [ ] a real step',
].join('\n');

beforeAll(async () => {
  backend = await startBackend(await deadUrl());
  await seed(backend.url, 'POST', '/api/v1/runbooks', {
    id: 'queue-backlog',
    title: 'Queue backlog',
    services: ['worker'],
    alerts: ['QueueBacklog'],
    tags: ['queues'],
    body: '# Queue backlog\n\n- [ ] Check consumer lag\n',
  });
  await seed(backend.url, 'POST', '/api/v1/runbooks', {
    id: 'hostile',
    title: 'Hostile',
    services: ['api'],
    body: HOSTILE,
  });
});
afterAll(() => backend?.stop());

describe('Runbooks', () => {
  it('lists runbooks and searches them by words', async () => {
    useApp(backend.url, 'Viewer');
    render(<RunbookList />);
    const table = await screen.findByRole('table', { name: 'Runbooks' });
    expect(within(table).getByText('Queue backlog')).toBeInTheDocument();
    expect(within(table).getByText('Hostile')).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: 'Search runbooks' }), 'consumer lag');
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Runbooks' })).queryByText('Hostile')).toBeNull(),
    );
    expect(
      within(screen.getByRole('table', { name: 'Runbooks' })).getByText('Queue backlog'),
    ).toBeInTheDocument();
  });

  it('renders script payloads in runbook markdown inert', async () => {
    useApp(backend.url, 'Viewer');
    const { container } = render(<RunbookPage id="hostile" />);
    const article = await screen.findByRole('article', { name: 'Hostile' });
    expect(within(article).getByRole('heading', { name: 'Hostile runbook' })).toBeInTheDocument();
    expect(within(article).getByRole('checkbox', { name: 'a real step' })).toBeDisabled();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(container.querySelector('script, [onerror], a[href^="javascript"]')).toBeNull();
    expect((window as unknown as { __pwned?: string }).__pwned).toBeUndefined();
  });
});
