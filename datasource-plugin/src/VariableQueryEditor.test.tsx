import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSource } from './datasource';
import type { OpsdeckQuery } from './types';
import { VariableQueryEditor } from './VariableQueryEditor';

function Harness({ changes }: { changes: OpsdeckQuery[] }) {
  const [query, setQuery] = useState<OpsdeckQuery>({ refId: 'V', kind: 'variable-values' });
  return (
    <VariableQueryEditor
      datasource={{} as DataSource}
      query={query}
      onChange={(q) => {
        changes.push(q);
        setQuery(q);
      }}
      onRunQuery={() => {}}
    />
  );
}

describe('VariableQueryEditor', () => {
  it('picks services, SLOs (narrowed by service) or severities', async () => {
    const changes: OpsdeckQuery[] = [];
    render(<Harness changes={changes} />);
    expect(screen.getByLabelText('Services')).toBeChecked();
    expect(screen.queryByPlaceholderText('checkout or $service')).not.toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('SLOs'));
    expect(changes[changes.length - 1]).toEqual({ refId: 'V', kind: 'variable-values', variable: 'slos' });
    await userEvent.type(screen.getByPlaceholderText('checkout or $service'), 'api');
    expect(changes[changes.length - 1]).toEqual({
      refId: 'V',
      kind: 'variable-values',
      variable: 'slos',
      service: 'api',
    });
    await userEvent.click(screen.getByLabelText('Severities'));
    expect(changes[changes.length - 1]!.variable).toBe('severities');
  });
});
