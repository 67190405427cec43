import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryEditor } from './QueryEditor';
import type { DataSource } from './datasource';
import type { OpsdeckQuery } from './types';

function Harness({
  initial,
  changes,
  runs,
}: {
  initial: OpsdeckQuery;
  changes: OpsdeckQuery[];
  runs: { count: number };
}) {
  const [query, setQuery] = useState(initial);
  return (
    <QueryEditor
      datasource={{} as DataSource}
      query={query}
      onChange={(q) => {
        changes.push(q);
        setQuery(q);
      }}
      onRunQuery={() => runs.count++}
    />
  );
}

const filterInputs = () =>
  screen
    .queryAllByRole('textbox')
    .filter((e) => e.id.startsWith('opsdeck-filter-'))
    .map((e) => e.id.replace('opsdeck-filter-', ''));

describe('QueryEditor', () => {
  it('offers the filters of the SLO status kind and its burn-down points', () => {
    render(<Harness initial={{ refId: 'A', kind: 'slo-status' }} changes={[]} runs={{ count: 0 }} />);
    expect(filterInputs()).toEqual(['service', 'slo']);
    expect(screen.getByPlaceholderText('30')).toBeInTheDocument();
  });

  it('switches kind, keeps filters the new kind honours, drops the others and runs the query', async () => {
    const changes: OpsdeckQuery[] = [];
    const runs = { count: 0 };
    render(
      <Harness
        initial={{ refId: 'A', kind: 'incidents', service: 'api', severity: 'S1', status: 'investigating' }}
        changes={changes}
        runs={runs}
      />,
    );
    expect(filterInputs()).toEqual(['service', 'severity', 'status']);
    await userEvent.click(screen.getByRole('combobox'));
    await userEvent.click(screen.getByText('Changes'));
    expect(changes[changes.length - 1]).toEqual({
      refId: 'A',
      kind: 'changes',
      service: 'api',
      status: 'investigating',
    });
    expect(runs.count).toBe(1);
    expect(filterInputs()).toEqual(['service', 'risk', 'status']);
  });

  it('writes typed filters, a variable included, and runs when the field is left', async () => {
    const changes: OpsdeckQuery[] = [];
    const runs = { count: 0 };
    render(<Harness initial={{ refId: 'A', kind: 'incidents' }} changes={changes} runs={runs} />);
    await userEvent.type(screen.getByPlaceholderText('S1,S2 or $severity'), '$severity');
    await userEvent.tab();
    expect(changes[changes.length - 1]).toEqual({ refId: 'A', kind: 'incidents', severity: '$severity' });
    expect(runs.count).toBe(1);
    await userEvent.clear(screen.getByPlaceholderText('S1,S2 or $severity'));
    expect(changes[changes.length - 1]!.severity).toBeUndefined();
  });

  it('keeps burn-down points within 0…500', async () => {
    const changes: OpsdeckQuery[] = [];
    render(<Harness initial={{ refId: 'A', kind: 'slo-status' }} changes={changes} runs={{ count: 0 }} />);
    await userEvent.type(screen.getByPlaceholderText('30'), '900');
    expect(changes[changes.length - 1]!.burndownPoints).toBe(500);
  });

  it('offers the compliance kind its period, period kind and number of periods (1…24)', async () => {
    const changes: OpsdeckQuery[] = [];
    render(
      <Harness initial={{ refId: 'A', kind: 'slo-compliance' }} changes={changes} runs={{ count: 0 }} />,
    );
    expect(filterInputs()).toEqual(['service', 'slo']);
    expect(screen.getByPlaceholderText('current')).toBeInTheDocument();
    await userEvent.type(screen.getByPlaceholderText('1'), '99');
    expect(changes[changes.length - 1]!.periods).toBe(24);
    await userEvent.type(screen.getByPlaceholderText('current'), '2026-Q1');
    expect(changes[changes.length - 1]!.period).toBe('2026-Q1');
  });
});
