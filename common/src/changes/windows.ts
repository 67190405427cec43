// Where High-risk changes may run: the guide's default window (Tue/Thu 02:00–04:00 UTC) or the
// maintenance windows the caller stores, expanded into occurrences by the maintenance module.
// The backend's start check and the app's RFC form both decide through these functions.
import type { Change } from '../api/change';
import type { MaintenanceWindow } from '../api/maintenance-window';
import { expandOccurrences, occurrencesInRange, type SchedulableWindow } from '../maintenance/occurrences';
import { DEFAULT_HIGH_RISK_WINDOW } from './matrix';
import { type WindowCheck, type WindowOccurrence, checkWindow } from './rules';

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

/**
 * The stored windows a High-risk change may use: the one it names (when enabled), else every
 * enabled window of its service or of all services. None means the default window decides.
 */
export function eligibleWindows<W extends Pick<MaintenanceWindow, 'id' | 'enabled' | 'service'>>(
  change: Pick<Change, 'service'> & { maintenanceWindowId?: string | null },
  windows: readonly W[],
): W[] {
  if (change.maintenanceWindowId)
    return windows.filter((w) => w.id === change.maintenanceWindowId && w.enabled);
  return windows.filter((w) => w.enabled && (w.service === null || w.service === change.service));
}

/** The window verdict for a change at its planned start, or at `now` when none is planned. */
export function plannedWindowCheck(
  change: Pick<Change, 'risk' | 'service' | 'plannedStart' | 'plannedEnd'> & {
    maintenanceWindowId?: string | null;
  },
  windows: readonly MaintenanceWindow[],
  now: Date,
): WindowCheck {
  const at = change.plannedStart ? new Date(change.plannedStart) : now;
  return checkWindow(change, highRiskOccurrences(eligibleWindows(change, windows), at), at);
}
