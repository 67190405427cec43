import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import type { AppJsonData } from '../types';
import { type Running, deadUrl, startBackend, startPrometheus, useApp } from '../test-support/backend';
import { AppConfig } from './AppConfig';

let prometheus: Running;
let backend: Running;
let blind: Running;
beforeAll(async () => {
  prometheus = await startPrometheus();
  [backend, blind] = await Promise.all([startBackend(prometheus.url), startBackend(await deadUrl())]);
});
afterAll(async () => {
  await Promise.all([backend?.stop(), blind?.stop()]);
  await prometheus?.stop();
});

const props = (jsonData: AppJsonData, tokenSet: boolean) =>
  ({
    plugin: {
      meta: {
        id: 'opsdeck-sre-app',
        jsonData,
        secureJsonFields: tokenSet ? { token: true } : {},
      } as unknown as AppPluginMeta<AppJsonData>,
    },
  }) as unknown as PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

describe('AppConfig', () => {
  it('shows the backend ready through the proxy route', async () => {
    useApp(backend.url, 'Admin');
    render(<AppConfig {...props({ backendUrl: backend.url }, true)} />);
    expect(screen.getByLabelText(/Backend URL/)).toHaveValue(backend.url);
    await userEvent.click(screen.getByRole('button', { name: 'Check backend health' }));
    const checks = await screen.findByRole('list', { name: 'Health checks' });
    expect(screen.getByText('The backend is ready')).toBeInTheDocument();
    expect(within(checks).getByText('prometheus').parentElement).toHaveTextContent('prometheus: ok');
  });

  it('names the failing check when the backend is not ready', async () => {
    useApp(blind.url, 'Admin');
    render(<AppConfig {...props({ backendUrl: blind.url }, true)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Check backend health' }));
    expect(await screen.findByText('The backend is not ready')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Health checks' })).toHaveTextContent(
      /prometheus: Prometheus at .* is unreachable/,
    );
  });

  it('says when the backend URL does not answer at all', async () => {
    useApp(await deadUrl(), 'Admin');
    render(<AppConfig {...props({}, false)} />);
    await userEvent.click(screen.getByRole('button', { name: 'Check backend health' }));
    expect(await screen.findByTestId('api-error')).toHaveTextContent('The opsdeck backend does not answer');
  });

  it('refuses a backend URL that is not http(s)', async () => {
    useApp(backend.url, 'Admin');
    render(<AppConfig {...props({}, false)} />);
    await userEvent.type(screen.getByLabelText(/Backend URL/), 'opsdeck:3001');
    expect(screen.getByText(/write an http:\/\/ or https:\/\/ URL/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });
});
