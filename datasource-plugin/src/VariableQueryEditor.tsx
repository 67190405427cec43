// Variable query editor: which list the variable offers (services, SLOs, severities).
import React from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import { VARIABLE_SOURCES, type VariableSource } from '@opsdeck/common';
import { FilterFields } from './FilterFields';
import type { OpsdeckDataSourceApi, OpsdeckOptions, OpsdeckVariableQuery } from './types';

type Props = QueryEditorProps<
  OpsdeckDataSourceApi,
  OpsdeckVariableQuery,
  OpsdeckOptions,
  OpsdeckVariableQuery
>;

const LABELS: Record<VariableSource, string> = {
  services: 'Services',
  slos: 'SLOs',
  severities: 'Severities',
};
const OPTIONS: Array<SelectableValue<VariableSource>> = VARIABLE_SOURCES.map((v) => ({
  value: v,
  label: LABELS[v],
}));

export function VariableQueryEditor({ query, onChange }: Props) {
  const variable = query.variable ?? 'services';
  return (
    <>
      <InlineFieldRow>
        <InlineField label="Values of" labelWidth={14}>
          <RadioButtonGroup
            options={OPTIONS}
            value={variable}
            onChange={(v) => onChange({ ...query, kind: 'variable-values', variable: v })}
          />
        </InlineField>
      </InlineFieldRow>
      {variable === 'slos' && (
        <FilterFields
          filters={['service']}
          query={query}
          onChange={(_filter, value) =>
            onChange({ ...query, kind: 'variable-values', variable, service: value || undefined })
          }
        />
      )}
    </>
  );
}
