// SLO arithmetic: SLI, error budget, burn rates and the multi-window multi-burn-rate alert table
// (SRE workbook), as pure functions over numbers so the evaluator, the rules and the panels agree.
import { parseDuration, windowSeconds } from './windows';

export type AlertSeverity = 'page' | 'ticket';

export interface BurnRateAlertWindow {
  severity: AlertSeverity;
  /** the window the burn rate is judged on */
  long: string;
  /** the confirming window that lets the alert reset quickly once the burn stops */
  short: string;
  /** share of the whole window's budget that, spent within `long`, fires the alert */
  budgetFraction: number;
  /** how long both windows must stay above the factor before the alert fires */
  for: string;
}

/**
 * The SRE workbook's table: 2 % of a 30d budget in 1h (14.4×) or 5 % in 6h (6×) pages, 10 % in 1d (3×)
 * or 10 % in 3d (1×) opens a ticket. Factors follow from the SLO window, see `burnRateFactor`.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlertWindow[] = [
  { severity: 'page', long: '1h', short: '5m', budgetFraction: 0.02, for: '2m' },
  { severity: 'page', long: '6h', short: '30m', budgetFraction: 0.05, for: '15m' },
  { severity: 'ticket', long: '1d', short: '2h', budgetFraction: 0.1, for: '1h' },
  { severity: 'ticket', long: '3d', short: '6h', budgetFraction: 0.1, for: '3h' },
];

/** Every window a burn rate is reported for, shortest first: 5m, 30m, 1h, 2h, 6h, 1d, 3d. */
export const BURN_RATE_WINDOWS: readonly string[] = [
  ...new Set(BURN_RATE_ALERTS.flatMap((a) => [a.short, a.long])),
].sort((a, b) => parseDuration(a) - parseDuration(b));

/** Rounds away binary noise (0.02 × 720 = 14.399999…) so factors and thresholds print as people write them. */
export function roundRatio(value: number): number {
  return Number(value.toPrecision(12));
}

/** 99.9 (percent) → 0.999. */
export function objectiveFraction(objectivePercent: number): number {
  return roundRatio(objectivePercent / 100);
}

/** The allowed error ratio: 1 − objective, e.g. 0.001 for 99.9 %. */
export function errorBudgetRatio(objectivePercent: number): number {
  // subtract in percent first: 1 − 0.99999 loses digits that 100 − 99.999 keeps
  return roundRatio(Number((100 - objectivePercent).toFixed(10)) / 100);
}

/** Burn-rate factor of one alert row for an SLO window: budgetFraction × window / long window. */
export function burnRateFactor(alert: BurnRateAlertWindow, window: string): number {
  return roundRatio((alert.budgetFraction * windowSeconds(window)) / parseDuration(alert.long));
}

/** SLI = 1 − error ratio (NaN stays NaN: no traffic means no answer, not 100 %). */
export function sli(errorRatio: number): number {
  return 1 - errorRatio;
}

/** Burn rate: how many times faster than sustainable the budget is spent. */
export function burnRate(errorRatio: number, objectivePercent: number): number {
  return errorRatio / errorBudgetRatio(objectivePercent);
}

export interface ErrorBudget {
  /** the allowed error ratio, 1 − objective */
  total: number;
  /** share of the budget spent */
  consumed: number;
  /** share of the budget left: 1 − consumed (negative once overspent) */
  remaining: number;
}

/** Budget of a window from its event-weighted error ratio. */
export function errorBudget(errorRatio: number, objectivePercent: number): ErrorBudget {
  const consumed = burnRate(errorRatio, objectivePercent);
  return { total: errorBudgetRatio(objectivePercent), consumed, remaining: 1 - consumed };
}

export interface AlertInput {
  objectivePercent: number;
  window: string;
  /** error ratio per window name (`5m`, `1h`, …); a missing or NaN value means no data */
  errorRatios: Record<string, number>;
  /** events per short window name, for the minimum-traffic guard */
  events?: Record<string, number>;
  minEvents: number;
}

export interface AlertState {
  page: boolean;
  ticket: boolean;
  /** rows that fire, each with its factor */
  firing: { severity: AlertSeverity; long: string; short: string; factor: number }[];
  /** page rows held back by the minimum-traffic guard */
  heldBack: { long: string; short: string }[];
}

/**
 * Multi-window state: a row fires when both its long and short burn rates exceed its factor; a page
 * row is held back when its short window saw fewer than `minEvents` events. `for` durations are the
 * rule engine's business and are not modelled here.
 */
export function alertState(input: AlertInput): AlertState {
  const state: AlertState = { page: false, ticket: false, firing: [], heldBack: [] };
  for (const alert of BURN_RATE_ALERTS) {
    const factor = burnRateFactor(alert, input.window);
    const long = burnRate(input.errorRatios[alert.long] ?? NaN, input.objectivePercent);
    const short = burnRate(input.errorRatios[alert.short] ?? NaN, input.objectivePercent);
    if (!(long > factor && short > factor)) continue;
    if (
      alert.severity === 'page' &&
      input.minEvents > 0 &&
      !((input.events?.[alert.short] ?? 0) >= input.minEvents)
    ) {
      state.heldBack.push({ long: alert.long, short: alert.short });
      continue;
    }
    state[alert.severity] = true;
    state.firing.push({ severity: alert.severity, long: alert.long, short: alert.short, factor });
  }
  return state;
}

/**
 * Seconds until the remaining budget is spent at the current burn rate over the given window;
 * Infinity when nothing burns, 0 when the budget is already gone.
 */
export function secondsToExhaustion(remaining: number, currentBurnRate: number, window: string): number {
  if (remaining <= 0) return 0;
  if (!(currentBurnRate > 0)) return Infinity;
  return (remaining * windowSeconds(window)) / currentBurnRate;
}
