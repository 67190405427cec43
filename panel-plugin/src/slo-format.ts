// How the panel writes SLO numbers (percentages with the precision objectives need, burn rates as
// multiples, time to exhaustion in the two largest units) and links to the app's SLO pages.
import { isHttpUrl } from '@opsdeck/common';
import type { SloRow } from './types';

/** 0.9995 → "99.95%"; enough decimals to tell 99.9 % from 99.95 %. */
export function formatPercent(fraction: number | null, decimals = 2): string {
  if (fraction === null) return 'no data';
  return `${(fraction * 100).toFixed(decimals)}%`;
}

export function formatBurnRate(value: number | null): string {
  if (value === null) return '–';
  return value >= 100 ? `${Math.round(value)}×` : `${value.toFixed(value >= 10 ? 1 : 2)}×`;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
];

/** "3d 4h", "45m", "< 1m"; the two largest non-zero units. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return '< 1m';
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join(' ');
}

/** Time to exhaustion as a person reads it on a card. */
export function formatExhaustion(row: Pick<SloRow, 'exhaustionSeconds' | 'budgetRemaining'>): string {
  if (row.budgetRemaining !== null && row.budgetRemaining <= 0) return 'budget exhausted';
  if (row.exhaustionSeconds === null) return 'not burning';
  return `exhausted in ${formatDuration(row.exhaustionSeconds)}`;
}

export type BudgetLevel = 'ok' | 'warning' | 'critical' | 'unknown';

export function budgetLevel(remaining: number | null, warning: number, critical: number): BudgetLevel {
  if (remaining === null) return 'unknown';
  if (remaining < critical) return 'critical';
  if (remaining < warning) return 'warning';
  return 'ok';
}

/**
 * The SLO's page under the app path (a panel option, so anyone editing the dashboard sets it), or null
 * when the path is neither a path on this Grafana nor an http(s) URL: no `javascript:` link is rendered.
 */
export function sloLink(appPath: string, id: string): string | null {
  const base = appPath.trim().replace(/\/+$/, '');
  const onThisGrafana = /^\/(?![/\\])/.test(base) || base === '';
  if (!onThisGrafana && !isHttpUrl(base)) return null;
  return `${base}/slos/${encodeURIComponent(id)}`;
}
