import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BURN_RATE_WINDOWS, type Slo } from '@opsdeck/common';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, startPrometheus, useApp } from '../test-support/backend';
import { SloDetail } from './SloDetail';
import { SloImport } from './SloImport';
import { SloList } from './SloList';
import { SloRules } from './SloRules';

const FIXTURES = path.resolve(__dirname, '../../../backend/test/fixtures/import');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

let prometheus: Running;
let backend: Running;
let offline: Running;
beforeAll(async () => {
  prometheus = await startPrometheus();
  [backend, offline] = await Promise.all([startBackend(prometheus.url), startBackend(await deadUrl())]);
  for (const url of [backend.url, offline.url]) {
    await seed(url, 'POST', '/api/v1/slos', {
      id: 'checkout-availability',
      name: 'Checkout availability',
      service: 'checkout',
      objective: 99.9,
      indicator: {
        kind: 'ratio',
        errors: 'http_requests_total{service="checkout",code=~"5.."}',
        total: 'http_requests_total{service="checkout"}',
      },
    });
  }
});
afterAll(async () => {
  await Promise.all([backend?.stop(), offline?.stop()]);
  await prometheus?.stop();
});

describe('SLO pages', () => {
  it('lists SLOs with objective and window; no traffic reads as no data, not as 100 %', async () => {
    useApp(backend.url, 'Viewer');
    render(<SloList />);
    const table = await screen.findByRole('table', { name: 'SLOs' });
    const row = within(table).getByText('Checkout availability').closest('tr')!;
    expect(row).toHaveTextContent('checkout');
    expect(row).toHaveTextContent('99.9 %');
    expect(row).toHaveTextContent('30d');
    await within(row).findByText('ok');
    expect(row).not.toHaveTextContent('100.000 %');
    expect(screen.queryByRole('link', { name: /Import SLOs/ })).toBeNull();
  });

  it('says that Prometheus cannot be reached, and what to check, instead of rows of dashes', async () => {
    useApp(offline.url);
    render(<SloList />);
    const alert = await screen.findByTestId('prometheus-unavailable');
    expect(alert).toHaveTextContent('Prometheus cannot be reached');
    // The backend's own 503 message names the address it tried.
    expect(alert).toHaveTextContent(/Prometheus at http:\/\/127\.0\.0\.1:\d+ is unavailable/);
    expect(alert).toHaveTextContent('PROMETHEUS_URL');
    expect(alert).toHaveTextContent('upstream_unavailable (HTTP 503)');
    const table = screen.getByRole('table', { name: 'SLOs' });
    expect(within(table).getByText('Checkout availability')).toBeInTheDocument();
    expect(within(table).queryByRole('columnheader', { name: 'Budget remaining' })).toBeNull();
    expect(table).not.toHaveTextContent('–');
  });

  it('says the same on the detail page, once', async () => {
    useApp(offline.url);
    render(<SloDetail id="checkout-availability" />);
    expect(await screen.findByTestId('prometheus-unavailable')).toHaveTextContent(
      'Prometheus cannot be reached',
    );
    expect(
      await screen.findByText(/No budget series while Prometheus cannot be reached/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('api-error')).toBeNull();
  });

  it('shows burn rates for every alert window and the alert state on the detail page', async () => {
    useApp(backend.url, 'Viewer');
    render(<SloDetail id="checkout-availability" />);
    const rates = await screen.findByRole('region', { name: 'Burn rates' });
    for (const w of BURN_RATE_WINDOWS)
      expect(within(rates).getByRole('columnheader', { name: w })).toBeInTheDocument();
    expect(rates).toHaveTextContent('page when 1h & 5m ≥ 14.4');
    expect(screen.getByText('no page')).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: /Error budget remaining/ })).toBeInTheDocument();
  });

  it('shows import problems per document field and imports Sloth SLOs', async () => {
    useApp(backend.url);
    render(<SloImport />);
    await userEvent.click(screen.getByRole('textbox', { name: 'SLO YAML' }));
    await userEvent.paste(fixture('sloth-unmappable.yaml'));
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const alert = await screen.findByTestId('api-error');
    expect(alert).toHaveTextContent('cannot be imported; nothing was stored');
    expect(within(alert).getByRole('list', { name: 'Problems' }).children.length).toBeGreaterThan(0);

    await userEvent.clear(screen.getByRole('textbox', { name: 'SLO YAML' }));
    await userEvent.click(screen.getByRole('textbox', { name: 'SLO YAML' }));
    await userEvent.paste(fixture('sloth-getting-started.yaml'));
    await userEvent.click(screen.getByRole('radio', { name: 'Sloth' }));
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    const converted = await screen.findByRole('table', { name: 'Converted SLOs' });
    expect(converted).toHaveTextContent('api');
    expect(screen.getByText(/^Stored: \d+ new/)).toBeInTheDocument();
    const stored = await seed<{ items: Slo[] }>(backend.url, 'GET', '/api/v1/slos?service=api');
    expect(stored.items.length).toBeGreaterThan(0);
  });

  it('shows the generated Prometheus rules with copy and download', async () => {
    useApp(backend.url, 'Viewer');
    render(<SloRules />);
    const yaml = await screen.findByLabelText('Rules YAML');
    expect(yaml.textContent).toContain('groups:');
    expect(yaml.textContent).toContain('checkout-availability');
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Download opsdeck-slo-rules.yaml/ })).toBeInTheDocument();
  });
});
