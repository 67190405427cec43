// Reads the compliance history (one row per SLO and calendar period) out of the frames the opsdeck
// data source's "SLO compliance" kind returns, by the field names defined once in @opsdeck/common.
import type { DataFrame, Field } from '@grafana/data';
import { FRAME_NAMES, SLO_COMPLIANCE_FIELDS as C } from '@opsdeck/common';

export interface CompliancePeriod {
  period: string;
  sli: number | null;
  /** null without events */
  met: boolean | null;
  budgetConsumed: number | null;
  /** false for the running period */
  complete: boolean;
}

export interface ComplianceHistory {
  id: string;
  name: string;
  service: string;
  objective: number;
  /** one per period of the data, oldest first; null where the SLO has no row for it */
  periods: Array<CompliancePeriod | null>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function isComplianceFrame(frame: DataFrame): boolean {
  if (frame.name === FRAME_NAMES.sloCompliance) return true;
  const names = new Set(frame.fields.map((f) => f.name));
  return names.has(C.period) && names.has(C.met) && names.has(C.id);
}

/** Every period of the frames, oldest first, and each SLO's row per period, SLOs by name. */
export function complianceHistory(frames: DataFrame[]): { periods: string[]; rows: ComplianceHistory[] } {
  const periodStart = new Map<string, number>();
  const bySlo = new Map<
    string,
    Omit<ComplianceHistory, 'periods'> & { cells: Map<string, CompliancePeriod> }
  >();
  for (const frame of frames.filter(isComplianceFrame)) {
    const byName = new Map<string, Field>(frame.fields.map((f) => [f.name, f]));
    const at = (name: string, i: number): unknown => byName.get(name)?.values[i];
    for (let i = 0; i < frame.length; i++) {
      const id = str(at(C.id, i));
      const period = str(at(C.period, i));
      if (!id || !period) continue;
      periodStart.set(period, num(at(C.periodStart, i)) ?? 0);
      const slo =
        bySlo.get(id) ??
        bySlo
          .set(id, {
            id,
            name: str(at(C.name, i)) || id,
            service: str(at(C.service, i)),
            objective: num(at(C.objective, i)) ?? 0,
            cells: new Map(),
          })
          .get(id)!;
      const met = at(C.met, i);
      slo.cells.set(period, {
        period,
        sli: num(at(C.sli, i)),
        met: typeof met === 'boolean' ? met : null,
        budgetConsumed: num(at(C.budgetConsumed, i)),
        complete: at(C.complete, i) !== false,
      });
    }
  }
  const periods = [...periodStart.keys()].sort(
    (a, b) => periodStart.get(a)! - periodStart.get(b)! || a.localeCompare(b),
  );
  const rows = [...bySlo.values()]
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map(({ cells, ...slo }) => ({ ...slo, periods: periods.map((p) => cells.get(p) ?? null) }));
  return { periods, rows };
}
