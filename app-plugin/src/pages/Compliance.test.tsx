import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, seed, startBackend, startPrometheus, useApp } from '../test-support/backend';
import { Compliance, pickerPeriods, reportUrl } from './Compliance';

// The real backend over a real, empty Prometheus: the report's rows exist, without events.
let prom: Running;
let backend: Running;
beforeAll(async () => {
  prom = await startPrometheus();
  backend = await startBackend(prom.url);
  await seed(backend.url, 'POST', '/api/v1/slos', {
    id: 'api-availability',
    name: 'API availability',
    service: 'api',
    objective: 99.9,
    indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
  });
});
afterAll(async () => {
  await backend?.stop();
  await prom?.stop();
});

describe('Compliance', () => {
  it('offers the running period and the twelve before it, newest first', () => {
    const now = new Date('2026-02-20T00:00:00Z');
    expect(pickerPeriods('month', now).slice(0, 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(pickerPeriods('quarter', now)).toHaveLength(13);
    expect(pickerPeriods('week', now)[1]).toBe('2026-W07');
  });

  it('reports the last finished month by default, with every SLO and the downloads for that period', async () => {
    const calls = useApp(backend.url, 'Viewer');
    render(<Compliance now={new Date('2026-02-20T00:00:00Z')} />);
    const table = await screen.findByRole('table', { name: 'Compliance' });
    const row = within(table).getByText('API availability').closest('tr')!;
    expect(row).toHaveTextContent('99.90 %');
    expect(row).toHaveTextContent('no data');
    expect(calls.some((c) => c.url.includes('/api/v1/reports/slos?period=2026-01'))).toBe(true);
    expect(screen.getByRole('link', { name: /Download CSV/ })).toHaveAttribute(
      'href',
      reportUrl('2026-01', 'csv'),
    );
    expect(screen.getByRole('link', { name: /Download PDF/ })).toHaveAttribute(
      'href',
      '/api/plugin-proxy/opsdeck-sre-app/opsdeck/api/v1/reports/slos?period=2026-01&format=pdf',
    );
  });

  it('switches to ISO weeks and asks for the last finished one', async () => {
    const calls = useApp(backend.url, 'Viewer');
    render(<Compliance now={new Date('2026-02-20T00:00:00Z')} />);
    await screen.findByRole('table', { name: 'Compliance' });
    await userEvent.click(screen.getByLabelText('Each'));
    await userEvent.click(await screen.findByText('ISO week'));
    await screen.findByRole('link', { name: /Download CSV/ });
    expect(screen.getByRole('link', { name: /Download CSV/ })).toHaveAttribute(
      'href',
      reportUrl('2026-W07', 'csv'),
    );
    await within(await screen.findByRole('table', { name: 'Compliance' })).findByText('API availability');
    expect(calls.some((c) => c.url.includes('period=2026-W07'))).toBe(true);
  });
});
