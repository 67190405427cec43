import { locationService } from '@grafana/runtime';
import { act, render, screen } from '@testing-library/react';
import React from 'react';
import { type Running, deadUrl, seed, startBackend, useApp } from '../test-support/backend';
import { App } from './App';

let backend: Running;
beforeAll(async () => {
  backend = await startBackend(await deadUrl());
  await seed(backend.url, 'POST', '/api/v1/runbooks', {
    id: 'cache-miss-storm',
    title: 'Cache miss storm',
    services: ['cache'],
    alerts: ['CacheMissStorm'],
    body: '# Cache\n\n- [ ] Check hit ratio\n',
  });
});
afterAll(() => backend?.stop());

describe('App', () => {
  it('routes by URL and follows navigation', async () => {
    useApp(backend.url, 'Viewer');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Service level objectives' })).toBeInTheDocument();
    act(() => locationService.push('/a/opsdeck-sre-app/changes'));
    expect(await screen.findByRole('heading', { name: 'Changes' })).toBeInTheDocument();
    act(() => locationService.push('/a/opsdeck-sre-app/nowhere'));
    expect(await screen.findByText(/Nothing lives at/)).toBeInTheDocument();
  });

  it('opens the runbook drawer for an alert from the extension link query', async () => {
    useApp(backend.url, 'Viewer');
    render(<App />);
    act(() => locationService.push('/a/opsdeck-sre-app/runbooks?rbAlert=CacheMissStorm'));
    expect(await screen.findByRole('heading', { name: 'Cache', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Check hit ratio' })).toBeDisabled();
  });
});
