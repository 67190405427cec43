// SLO rows of the panel's data, sorted as the options ask, recomputed only when the data changes.
import { useMemo } from 'react';
import type { DataFrame } from '@grafana/data';
import { sloRows, sortRows } from '../slo-rows';
import type { SloRow, SortOrder } from '../types';

export function useSloRows(series: DataFrame[], order: SortOrder): SloRow[] {
  return useMemo(() => sortRows(sloRows(series), order), [series, order]);
}
