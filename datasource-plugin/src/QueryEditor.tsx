// The query editor: pick a kind, then the filters that kind honours. Filters accept comma lists
// and template variables ($service); changes run the query when a field is left.
import React, { type ChangeEvent } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Select } from '@grafana/ui';
import {
  EDITOR_QUERY_KINDS,
  MAX_COMPLIANCE_PERIODS,
  REPORT_PERIOD_KINDS,
  type ReportPeriodKind,
  QUERY_KIND_FILTERS,
  QUERY_KIND_INFO,
  type QueryFilter,
  type QueryKind,
} from '@opsdeck/common';
import { FilterFields } from './FilterFields';
import type { OpsdeckDataSourceApi, OpsdeckOptions, OpsdeckQuery } from './types';

type Props = QueryEditorProps<OpsdeckDataSourceApi, OpsdeckQuery, OpsdeckOptions>;

const KIND_OPTIONS: Array<SelectableValue<QueryKind>> = EDITOR_QUERY_KINDS.map((kind) => ({
  value: kind,
  label: QUERY_KIND_INFO[kind].label,
  description: QUERY_KIND_INFO[kind].description,
}));

const PERIOD_KIND_OPTIONS: Array<SelectableValue<ReportPeriodKind>> = REPORT_PERIOD_KINDS.map((k) => ({
  value: k,
  label: k === 'week' ? 'ISO week' : k,
}));

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const kind = query.kind ?? 'slo-status';

  const onKindChange = (option: SelectableValue<QueryKind>) => {
    if (!option.value) return;
    // Filters the new kind does not honour are dropped so the backend never sees them.
    const kept = QUERY_KIND_FILTERS[option.value];
    const next: OpsdeckQuery = { ...query, kind: option.value };
    for (const filter of QUERY_KIND_FILTERS[kind]) {
      if (!kept.includes(filter)) delete next[filter];
    }
    onChange(next);
    onRunQuery();
  };

  const onFilterChange = (filter: QueryFilter, value: string) =>
    onChange({ ...query, [filter]: value || undefined });

  const onPeriodsChange = (event: ChangeEvent<HTMLInputElement>) => {
    const n = Number.parseInt(event.target.value, 10);
    onChange({
      ...query,
      periods: Number.isFinite(n) ? Math.min(Math.max(n, 1), MAX_COMPLIANCE_PERIODS) : undefined,
    });
  };

  const onBurndownChange = (event: ChangeEvent<HTMLInputElement>) => {
    const n = Number.parseInt(event.target.value, 10);
    onChange({ ...query, burndownPoints: Number.isFinite(n) ? Math.min(Math.max(n, 0), 500) : undefined });
  };

  return (
    <>
      <InlineFieldRow>
        <InlineField label="Query" labelWidth={14} tooltip={QUERY_KIND_INFO[kind].description}>
          <Select
            inputId="opsdeck-query-kind"
            width={32}
            options={KIND_OPTIONS}
            value={kind}
            onChange={onKindChange}
          />
        </InlineField>
        {kind === 'slo-status' && (
          <InlineField
            label="Burn-down points"
            labelWidth={18}
            tooltip="Points of the budget burn-down per SLO; 0 leaves it out"
          >
            <Input
              id="opsdeck-query-burndown"
              type="number"
              width={10}
              min={0}
              max={500}
              value={query.burndownPoints ?? ''}
              placeholder="30"
              onChange={onBurndownChange}
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {kind === 'slo-compliance' && (
        <InlineFieldRow>
          <InlineField
            label="Period"
            labelWidth={14}
            tooltip="The last period shown: 2026-01, 2026-Q1 or 2026-W05; empty for the one holding the dashboard's end"
          >
            <Input
              id="opsdeck-query-period"
              width={16}
              value={query.period ?? ''}
              placeholder="current"
              onChange={(e: ChangeEvent<HTMLInputElement>) =>
                onChange({ ...query, period: e.target.value || undefined })
              }
              onBlur={onRunQuery}
            />
          </InlineField>
          {!query.period && (
            <InlineField label="Each" labelWidth={8}>
              <Select
                inputId="opsdeck-query-period-kind"
                width={14}
                options={PERIOD_KIND_OPTIONS}
                value={query.periodKind ?? 'month'}
                onChange={(o: SelectableValue<ReportPeriodKind>) => {
                  onChange({ ...query, periodKind: o.value });
                  onRunQuery();
                }}
              />
            </InlineField>
          )}
          <InlineField label="Periods" labelWidth={10} tooltip="How many periods, ending with the one above">
            <Input
              id="opsdeck-query-periods"
              type="number"
              width={8}
              min={1}
              max={MAX_COMPLIANCE_PERIODS}
              value={query.periods ?? ''}
              placeholder="1"
              onChange={onPeriodsChange}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      <FilterFields
        filters={QUERY_KIND_FILTERS[kind]}
        query={query}
        onChange={onFilterChange}
        onBlur={onRunQuery}
      />
    </>
  );
}
