// Every write-time check of a maintenance window in one place, in the order a user fixes them: the
// schedule's grammar, what it expands to, the matchers as Alertmanager reads them, and their breadth.
import type { Matcher, Schedule } from '../api/maintenance-window';
import { breadthProblem, matchersProblem, type MatcherProblem } from './matchers';
import { recurrenceProblem, scheduleProblem } from './occurrences';

export interface CheckedWindow {
  id: string;
  timeZone: string;
  schedule: Schedule;
  matchers: readonly Matcher[];
}

export interface WindowCheckOptions {
  /** The silencer's look-ahead: how many silences a schedule holds at once depends on it. */
  lookAheadMs: number;
  /** Admins (and provisioning files) may write windows without an equality matcher. */
  mayBeBroad: boolean;
}

/** The first problem of a window (field path under the window, and why), or null. */
export function windowProblem(window: CheckedWindow, options: WindowCheckOptions): MatcherProblem | null {
  return (
    scheduleProblem(window.schedule) ??
    recurrenceProblem(window, options.lookAheadMs) ??
    matchersProblem(window.matchers) ??
    (options.mayBeBroad ? null : breadthProblem(window.matchers))
  );
}
