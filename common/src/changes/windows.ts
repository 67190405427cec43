// Where High-risk changes may run: the guide's default window (Tue/Thu 02:00–04:00 UTC) or the
// maintenance windows the caller stores, expanded into occurrences by the maintenance module.
import { expandOccurrences, occurrencesInRange, type SchedulableWindow } from '../maintenance/occurrences';
import { DEFAULT_HIGH_RISK_WINDOW } from './matrix';
import type { WindowOccurrence } from './rules';

export const DEFAULT_HIGH_RISK_WINDOW_ID = 'default-high-risk';

export const defaultHighRiskWindow: SchedulableWindow = {
  id: DEFAULT_HIGH_RISK_WINDOW_ID,
  timeZone: DEFAULT_HIGH_RISK_WINDOW.timeZone,
  schedule: {
    kind: 'weekly',
    days: [...DEFAULT_HIGH_RISK_WINDOW.days],
    startTime: DEFAULT_HIGH_RISK_WINDOW.startTime,
    durationMinutes: DEFAULT_HIGH_RISK_WINDOW.durationMinutes,
  },
};

/** How far ahead the next allowed slot is searched. */
export const SLOT_LOOKAHEAD_DAYS = 35;

/**
 * Occurrences that decide a High-risk start at `now`: those of `windows` when any are given,
 * else the default window's, from a day before `now` to SLOT_LOOKAHEAD_DAYS after it.
 */
export function highRiskOccurrences(windows: readonly SchedulableWindow[], now: Date): WindowOccurrence[] {
  const from = new Date(now.getTime() - 24 * 3600_000);
  const to = new Date(now.getTime() + SLOT_LOOKAHEAD_DAYS * 24 * 3600_000);
  return windows.length
    ? occurrencesInRange(windows, from, to)
    : expandOccurrences(defaultHighRiskWindow, from, to);
}
