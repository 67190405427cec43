// Reads SLO rows out of the data frames the opsdeck data source's "SLO status" kind returns,
// by the field names defined once in @opsdeck/common.
import type { DataFrame, Field } from '@grafana/data';
import {
  BURN_RATE_FIELD_PREFIX,
  SLO_ALERT_STATES,
  SLO_STATUS_FIELDS as F,
  type SloAlertState,
} from '@opsdeck/common';
import type { SloRow, SortOrder } from './types';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** A frame is an SLO status frame when it carries the id and remaining-budget fields. */
export function isSloStatusFrame(frame: DataFrame): boolean {
  const names = new Set(frame.fields.map((f) => f.name));
  return names.has(F.id) && names.has(F.budgetRemaining);
}

function burndownPoints(v: unknown): Array<[number, number]> {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (p): p is [number, number] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number',
  );
}

export function sloRows(frames: DataFrame[]): SloRow[] {
  const rows: SloRow[] = [];
  for (const frame of frames.filter(isSloStatusFrame)) {
    const byName = new Map<string, Field>(frame.fields.map((f) => [f.name, f]));
    const at = (name: string, i: number): unknown => byName.get(name)?.values[i];
    const burnFields = frame.fields.filter((f) => f.name.startsWith(BURN_RATE_FIELD_PREFIX));
    for (let i = 0; i < frame.length; i++) {
      const alert = str(at(F.alert, i));
      rows.push({
        id: str(at(F.id, i)),
        name: str(at(F.name, i)) || str(at(F.id, i)),
        service: str(at(F.service, i)),
        objective: num(at(F.objective, i)) ?? 0,
        sli: num(at(F.sli, i)),
        window: str(at(F.window, i)),
        windowStart: num(at(F.windowStart, i)),
        windowEnd: num(at(F.windowEnd, i)),
        budgetRemaining: num(at(F.budgetRemaining, i)),
        budgetConsumed: num(at(F.budgetConsumed, i)),
        alert: (SLO_ALERT_STATES as readonly string[]).includes(alert) ? (alert as SloAlertState) : 'ok',
        exhaustionSeconds: num(at(F.exhaustionSeconds, i)),
        burnRates: burnFields.map((f) => ({
          window: f.name.slice(BURN_RATE_FIELD_PREFIX.length),
          value: num(f.values[i]),
        })),
        burndown: burndownPoints(at(F.burndown, i)),
      });
    }
  }
  return rows;
}

const ALERT_RANK: Record<SloAlertState, number> = { page: 0, ticket: 1, ok: 2 };
/** Unknown budgets sort last: an SLO without data is no emergency. */
const budgetKey = (r: SloRow) => r.budgetRemaining ?? Number.POSITIVE_INFINITY;

/** Worst first: by remaining budget, by alert state (then budget), or by name. */
export function sortRows(rows: SloRow[], order: SortOrder): SloRow[] {
  const sorted = [...rows];
  const byName = (a: SloRow, b: SloRow) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  if (order === 'name') return sorted.sort(byName);
  if (order === 'alert') {
    return sorted.sort(
      (a, b) => ALERT_RANK[a.alert] - ALERT_RANK[b.alert] || budgetKey(a) - budgetKey(b) || byName(a, b),
    );
  }
  return sorted.sort((a, b) => budgetKey(a) - budgetKey(b) || byName(a, b));
}
