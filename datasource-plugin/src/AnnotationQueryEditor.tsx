// Annotation query editor: which sources (incidents, changes, maintenance, SLO exclusions) and the same filters as panels.
import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Checkbox, InlineField, InlineFieldRow, Stack } from '@grafana/ui';
import {
  ANNOTATION_SOURCES,
  type AnnotationSource,
  QUERY_KIND_FILTERS,
  type QueryFilter,
} from '@opsdeck/common';
import { FilterFields } from './FilterFields';
import { type OpsdeckDataSourceApi, type OpsdeckOptions, type OpsdeckQuery, annotationTarget } from './types';

type Props = QueryEditorProps<OpsdeckDataSourceApi, OpsdeckQuery, OpsdeckOptions>;

const SOURCE_LABELS: Record<AnnotationSource, string> = {
  incident: 'Incidents',
  change: 'Changes',
  maintenance: 'Maintenance windows',
  exclusion: 'SLO exclusions',
};

export function AnnotationQueryEditor({ query, onChange }: Props) {
  const target = annotationTarget(query);
  const sources = target.annotationSources ?? [];

  const toggle = (source: AnnotationSource) => {
    const next = sources.includes(source) ? sources.filter((s) => s !== source) : [...sources, source];
    // At least one source stays on: an annotation query for nothing is a mistake, not a choice.
    if (next.length === 0) return;
    onChange({ ...target, annotationSources: ANNOTATION_SOURCES.filter((s) => next.includes(s)) });
  };

  const onFilterChange = (filter: QueryFilter, value: string) =>
    onChange({ ...target, [filter]: value || undefined });

  return (
    <>
      <InlineFieldRow>
        <InlineField label="Show" labelWidth={14}>
          <Stack direction="row" gap={2} alignItems="center">
            {ANNOTATION_SOURCES.map((source) => (
              <Checkbox
                key={source}
                label={SOURCE_LABELS[source]}
                value={sources.includes(source)}
                onChange={() => toggle(source)}
              />
            ))}
          </Stack>
        </InlineField>
      </InlineFieldRow>
      <FilterFields filters={QUERY_KIND_FILTERS.annotations} query={target} onChange={onFilterChange} />
    </>
  );
}
