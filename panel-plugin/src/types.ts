// Panel options and the SLO row the panel draws, read from the SLO status frame.
import type { SloAlertState } from '@opsdeck/common';

export const LAYOUTS = ['cards', 'table', 'single', 'history'] as const;
export type Layout = (typeof LAYOUTS)[number];

export type BudgetDisplay = 'bar' | 'gauge';
export type SortOrder = 'budget' | 'alert' | 'name';

export interface SloPanelOptions {
  layout: Layout;
  /** The SLO the single layout shows; empty shows the one with the least budget left. */
  sloId: string;
  budgetDisplay: BudgetDisplay;
  /** Remaining-budget fractions below which the budget turns warning, then critical. */
  budgetWarning: number;
  budgetCritical: number;
  showBurnRates: boolean;
  showBurndown: boolean;
  sortBy: SortOrder;
  /** Base path of the opsdeck app; SLO links go to `<appPath>/slos/<id>`. */
  appPath: string;
}

export interface BurnRate {
  window: string;
  value: number | null;
}

export interface SloRow {
  id: string;
  name: string;
  service: string;
  /** fractions: 99.9 % is 0.999 */
  objective: number;
  sli: number | null;
  window: string;
  windowStart: number | null;
  windowEnd: number | null;
  budgetRemaining: number | null;
  budgetConsumed: number | null;
  alert: SloAlertState;
  /** null when nothing burns */
  exhaustionSeconds: number | null;
  burnRates: BurnRate[];
  /** [epoch ms, remaining budget] across the window */
  burndown: Array<[number, number]>;
}
