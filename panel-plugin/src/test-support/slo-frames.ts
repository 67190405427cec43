// Builds SLO status frames the way the backend's /api/v1/query sends them (DataFrameJSON with the
// field names from @opsdeck/common) and converts them as the data source does, for panel tests.
import { type DataFrame, dataFrameFromJSON } from '@grafana/data';
import {
  BURN_RATE_WINDOWS,
  type DataFrameJson,
  FRAME_NAMES,
  SLO_COMPLIANCE_FIELDS as C,
  SLO_STATUS_FIELDS as S,
  burnRateField,
} from '@opsdeck/common';

export interface StatusRow {
  id: string;
  name?: string;
  service?: string;
  objective?: number;
  sli?: number | null;
  window?: string;
  budgetRemaining?: number | null;
  burn?: Partial<Record<string, number | null>>;
  alert?: 'page' | 'ticket' | 'ok';
  exhaustionSeconds?: number | null;
  burndown?: Array<[number, number]>;
}

const WINDOW_END = Date.UTC(2026, 1, 20);
const WINDOW_START = WINDOW_END - 30 * 86_400_000;

export function statusFrameJson(rows: StatusRow[], refId = 'A'): DataFrameJson {
  const fields: Array<
    [string, DataFrameJson['schema']['fields'][number]['type'], (r: StatusRow) => unknown]
  > = [
    [S.id, 'string', (r) => r.id],
    [S.name, 'string', (r) => r.name ?? r.id],
    [S.service, 'string', (r) => r.service ?? 'api'],
    [S.objective, 'number', (r) => r.objective ?? 0.999],
    [S.sli, 'number', (r) => (r.sli === undefined ? 0.9995 : r.sli)],
    [S.window, 'string', (r) => r.window ?? '30d'],
    [S.windowStart, 'time', () => WINDOW_START],
    [S.windowEnd, 'time', () => WINDOW_END],
    [S.budgetTotal, 'number', (r) => 1 - (r.objective ?? 0.999)],
    [
      S.budgetConsumed,
      'number',
      (r) => (r.budgetRemaining === undefined || r.budgetRemaining === null ? null : 1 - r.budgetRemaining),
    ],
    [S.budgetRemaining, 'number', (r) => (r.budgetRemaining === undefined ? 0.5 : r.budgetRemaining)],
    ...BURN_RATE_WINDOWS.map(
      (w) =>
        [burnRateField(w), 'number', (r: StatusRow) => r.burn?.[w] ?? 0.5] as [
          string,
          'number',
          (r: StatusRow) => unknown,
        ],
    ),
    [S.alert, 'string', (r) => r.alert ?? 'ok'],
    [
      S.exhaustionSeconds,
      'number',
      (r) => (r.exhaustionSeconds === undefined ? 5 * 86_400 : r.exhaustionSeconds),
    ],
    [
      S.burndown,
      'other',
      (r) =>
        r.burndown ?? [
          [WINDOW_START, 1],
          [WINDOW_END, r.budgetRemaining ?? 0.5],
        ],
    ],
  ];
  return {
    schema: { name: FRAME_NAMES.sloStatus, refId, fields: fields.map(([name, type]) => ({ name, type })) },
    data: { values: fields.map(([, , pick]) => rows.map(pick)) },
  };
}

export function statusFrame(rows: StatusRow[]): DataFrame {
  return dataFrameFromJSON(statusFrameJson(rows) as Parameters<typeof dataFrameFromJSON>[0]);
}

export interface ComplianceRowInput {
  period: string;
  start: number;
  id: string;
  name?: string;
  sli: number | null;
  met: boolean | null;
  complete?: boolean;
}

/** A compliance frame as the backend sends it (one row per SLO and period), converted as the data source does. */
export function complianceFrame(rows: ComplianceRowInput[]): DataFrame {
  const columns: Array<[string, 'string' | 'time' | 'boolean' | 'number', unknown[]]> = [
    [C.period, 'string', rows.map((r) => r.period)],
    [C.periodStart, 'time', rows.map((r) => r.start)],
    [C.complete, 'boolean', rows.map((r) => r.complete ?? true)],
    [C.id, 'string', rows.map((r) => r.id)],
    [C.name, 'string', rows.map((r) => r.name ?? r.id)],
    [C.service, 'string', rows.map(() => 'api')],
    [C.objective, 'number', rows.map(() => 0.999)],
    [C.sli, 'number', rows.map((r) => r.sli)],
    [C.met, 'boolean', rows.map((r) => r.met)],
    [C.budgetConsumed, 'number', rows.map((r) => (r.sli === null ? null : (1 - r.sli) / 0.001))],
  ];
  const json: DataFrameJson = {
    schema: {
      name: FRAME_NAMES.sloCompliance,
      refId: 'C',
      fields: columns.map(([name, type]) => ({ name, type })),
    },
    data: { values: columns.map(([, , values]) => values) },
  };
  return dataFrameFromJSON(json as Parameters<typeof dataFrameFromJSON>[0]);
}
