import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import type { DataSource } from './datasource';
import type { OpsdeckQuery } from './types';

function Harness({ changes }: { changes: OpsdeckQuery[] }) {
  const [query, setQuery] = useState<OpsdeckQuery>({ refId: 'Anno' } as OpsdeckQuery);
  return (
    <AnnotationQueryEditor
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

describe('AnnotationQueryEditor', () => {
  it('starts with every source on and the service, severity and risk filters', () => {
    render(<Harness changes={[]} />);
    for (const label of ['Incidents', 'Changes', 'Maintenance windows', 'SLO exclusions'])
      expect(screen.getByLabelText(label)).toBeChecked();
    expect(screen.getByPlaceholderText('checkout or $service')).toBeInTheDocument();
    expect(screen.getByPlaceholderText('S1,S2 or $severity')).toBeInTheDocument();
    expect(screen.getByPlaceholderText('High,Med')).toBeInTheDocument();
  });

  it('narrows the sources, in their canonical order, and never to none', async () => {
    const changes: OpsdeckQuery[] = [];
    render(<Harness changes={changes} />);
    await userEvent.click(screen.getByLabelText('Incidents'));
    expect(changes[changes.length - 1]).toMatchObject({
      kind: 'annotations',
      annotationSources: ['change', 'maintenance', 'exclusion'],
    });
    await userEvent.click(screen.getByLabelText('Maintenance windows'));
    await userEvent.click(screen.getByLabelText('SLO exclusions'));
    await userEvent.click(screen.getByLabelText('Incidents'));
    expect(changes[changes.length - 1]!.annotationSources).toEqual(['incident', 'change']);
    await userEvent.click(screen.getByLabelText('Incidents'));
    const count = changes.length;
    await userEvent.click(screen.getByLabelText('Changes'));
    expect(changes).toHaveLength(count);
    expect(screen.getByLabelText('Changes')).toBeChecked();
  });

  it('stores filters on the annotation target', async () => {
    const changes: OpsdeckQuery[] = [];
    render(<Harness changes={changes} />);
    await userEvent.type(screen.getByPlaceholderText('High,Med'), 'High');
    expect(changes[changes.length - 1]).toMatchObject({ kind: 'annotations', risk: 'High' });
  });
});
