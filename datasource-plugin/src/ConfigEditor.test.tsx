import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import type { OpsdeckOptions, OpsdeckSecureJsonData } from './types';

type Settings = DataSourceSettings<OpsdeckOptions, OpsdeckSecureJsonData>;

function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'opsdeck',
    orgId: 1,
    name: 'opsdeck',
    type: 'opsdeck-api-datasource',
    typeName: 'opsdeck API',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
    ...overrides,
  };
}

/** Holds the settings like Grafana's data source page does, recording every change. */
function Harness({ initial, changes }: { initial: Settings; changes: Settings[] }) {
  const [options, setOptions] = useState(initial);
  return (
    <ConfigEditor
      options={options}
      onOptionsChange={(o) => {
        changes.push(o);
        setOptions(o);
      }}
    />
  );
}

describe('ConfigEditor', () => {
  it('stores the URL in jsonData and the token only in secureJsonData', async () => {
    const changes: Settings[] = [];
    render(<Harness initial={settings()} changes={changes} />);
    await userEvent.type(screen.getByPlaceholderText('http://opsdeck-backend:3001'), 'http://opsdeck:3001');
    await userEvent.type(screen.getByPlaceholderText('viewer token'), 's3cret');
    const last = changes[changes.length - 1]!;
    expect(last.jsonData).toEqual({ url: 'http://opsdeck:3001' });
    expect(last.secureJsonData).toEqual({ token: 's3cret' });
    expect(JSON.stringify(last.jsonData)).not.toContain('s3cret');
  });

  it('flags a URL that is not http(s)', async () => {
    render(<Harness initial={settings({ jsonData: { url: 'opsdeck:3001' } })} changes={[]} />);
    expect(screen.getByText('Use an http:// or https:// URL')).toBeInTheDocument();
  });

  it('shows a configured token as configured, and reset clears it for a new one', async () => {
    const changes: Settings[] = [];
    render(
      <Harness
        initial={settings({ jsonData: { url: 'http://opsdeck:3001' }, secureJsonFields: { token: true } })}
        changes={changes}
      />,
    );
    expect(screen.getByDisplayValue('configured')).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(changes[0]!.secureJsonFields).toEqual({ token: false });
    expect(changes[0]!.secureJsonData).toEqual({ token: '' });
    expect(screen.getByPlaceholderText('viewer token')).toBeEnabled();
  });
});
