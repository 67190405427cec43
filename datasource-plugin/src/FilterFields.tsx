// The filter inputs shared by the query, annotation and variable editors.
import React from 'react';
import { InlineField, InlineFieldRow, Input } from '@grafana/ui';
import type { QueryFilter } from '@opsdeck/common';
import type { OpsdeckQuery } from './types';

const FILTER_INFO: Record<QueryFilter, { label: string; placeholder: string }> = {
  service: { label: 'Service', placeholder: 'checkout or $service' },
  slo: { label: 'SLO', placeholder: 'checkout-availability or $slo' },
  severity: { label: 'Severity', placeholder: 'S1,S2 or $severity' },
  risk: { label: 'Risk', placeholder: 'High,Med' },
  status: { label: 'Status', placeholder: 'investigating,identified' },
};

interface Props {
  filters: readonly QueryFilter[];
  query: Partial<OpsdeckQuery>;
  onChange: (filter: QueryFilter, value: string) => void;
  onBlur?: () => void;
}

export function FilterFields({ filters, query, onChange, onBlur }: Props) {
  return (
    <InlineFieldRow>
      {filters.map((filter) => (
        <InlineField
          key={filter}
          label={FILTER_INFO[filter].label}
          labelWidth={14}
          tooltip="Comma-separated; any of them matches"
        >
          <Input
            id={`opsdeck-filter-${filter}`}
            width={24}
            value={query[filter] ?? ''}
            placeholder={FILTER_INFO[filter].placeholder}
            onChange={(e) => onChange(filter, e.currentTarget.value)}
            onBlur={onBlur}
          />
        </InlineField>
      ))}
    </InlineFieldRow>
  );
}
