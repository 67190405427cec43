// Whether a High-risk change may run at its planned start, decided before submit with common's
// change rules over the maintenance windows the backend would use for it.
import {
  checkWindow,
  highRiskOccurrences,
  type MaintenanceWindow,
  type Risk,
  type WindowCheck,
} from '@opsdeck/common';

/**
 * The windows a change may use: the one it names, else every enabled window of its service or of
 * no service (as the backend's start check chooses them).
 */
export function windowsForChange(
  change: { service: string; maintenanceWindowId?: string | null },
  windows: readonly MaintenanceWindow[],
): MaintenanceWindow[] {
  if (change.maintenanceWindowId)
    return windows.filter((w) => w.id === change.maintenanceWindowId && w.enabled);
  return windows.filter((w) => w.enabled && (w.service === null || w.service === change.service));
}

/** The window verdict at the planned start (or now when none is planned). */
export function plannedWindowCheck(
  change: { risk: Risk; service: string; plannedStart: string | null; plannedEnd: string | null },
  windows: readonly MaintenanceWindow[],
  now: Date,
): WindowCheck {
  const at = change.plannedStart ? new Date(change.plannedStart) : now;
  return checkWindow(change, highRiskOccurrences(windowsForChange(change, windows), at), at);
}
