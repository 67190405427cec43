import type { Incident } from '@opsdeck/common';
import { render, screen, within } from '@testing-library/react';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { ChangeList } from './ChangeList';
import { IncidentList } from './IncidentList';
import { MaintenanceList } from './MaintenanceList';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const resolved = await seed<Incident>(backend.url, 'POST', '/api/v1/incidents', {
    title: 'old outage',
    service: 'api',
    severity: 'S1',
    startedAt: hourAgo,
  });
  await seed(backend.url, 'POST', `/api/v1/incidents/${resolved.id}/resolve`, {});
  await seed(backend.url, 'POST', '/api/v1/incidents', {
    title: 'minor glitch',
    service: 'web',
    severity: 'S3',
  });
  await seed(backend.url, 'POST', '/api/v1/incidents', {
    title: 'checkout down',
    service: 'checkout',
    severity: 'S1',
    startedAt: hourAgo,
  });
  await seed(backend.url, 'POST', '/api/v1/changes', {
    title: 'raise pool size',
    kind: 'config',
    risk: 'Med',
    service: 'db',
  });
  await seed(backend.url, 'POST', '/api/v1/maintenance-windows', {
    name: 'nightly db',
    schedule: {
      kind: 'weekly',
      days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
      startTime: '03:00',
      durationMinutes: 30,
    },
    matchers: [{ name: 'service', op: '=', value: 'db' }],
  });
});
afterAll(() => backend?.stop());

describe('list pages', () => {
  it('lists open incidents first, most severe first, with their flags', async () => {
    useApp(backend.url, 'Viewer');
    render(<IncidentList />);
    const rows = within(await screen.findByRole('table', { name: 'Incidents' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => (r as HTMLTableRowElement).cells[1]!.textContent)).toEqual([
      'checkout down',
      'minor glitch',
      'old outage',
    ]);
    expect(rows[0]).toHaveTextContent('ack overdue');
    expect(rows[0]).toHaveTextContent('comms overdue');
    expect(rows[0]).toHaveTextContent('RTO breached');
    expect(rows[2]).not.toHaveTextContent('overdue');
    expect(screen.queryByRole('link', { name: /Declare incident/ })).toBeNull();
  });

  it('lists changes with approvals given against those required', async () => {
    useApp(backend.url);
    render(<ChangeList />);
    const row = within(await screen.findByRole('table', { name: 'Changes' }))
      .getByText('raise pool size')
      .closest('tr')!;
    expect(row).toHaveTextContent('Med');
    expect(row).toHaveTextContent('0/2');
    expect(screen.getByRole('link', { name: /Propose change/ })).toBeInTheDocument();
  });

  it('draws a week of daily occurrences on the maintenance timeline', async () => {
    useApp(backend.url, 'Viewer');
    render(<MaintenanceList />);
    const timeline = await screen.findByRole('list', { name: 'Upcoming occurrences' });
    const row = within(timeline).getByText('nightly db').parentElement!;
    const bars = row.querySelectorAll('span[title]');
    expect(bars.length).toBeGreaterThanOrEqual(6);
    expect(bars.length).toBeLessThanOrEqual(8);
    for (const bar of Array.from(bars)) expect(bar.getAttribute('title')).toMatch(/03:00 UTC – .* 03:30 UTC/);
  });
});
