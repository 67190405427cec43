// Checks a window's matchers the way Alertmanager will when it receives the silence (RE2, anchored),
// and how broad they are, so a bad window is refused at the API with the field named instead of
// failing later in every cycle or silencing every alert.
import type { Matcher } from '../api/maintenance-window';
import { re2FullMatch, re2Problem } from '../re2';

export interface MatcherProblem {
  field: string;
  message: string;
}

const isRegex = (m: Matcher) => m.op === '=~' || m.op === '!~';

function matchesEmpty(m: Matcher): boolean {
  if (m.op === '=') return m.value === '';
  if (m.op === '!=') return m.value !== '';
  const hit = re2FullMatch(m.value, '');
  return m.op === '=~' ? hit : !hit;
}

/** What Alertmanager would reject in these matchers (field path and fix), or null. */
export function matchersProblem(matchers: readonly Matcher[]): MatcherProblem | null {
  for (const [i, m] of matchers.entries()) {
    const problem = isRegex(m) ? re2Problem(m.value) : null;
    if (problem) return { field: `matchers.${i}.value`, message: problem };
  }
  if (matchers.every(matchesEmpty)) {
    return {
      field: 'matchers',
      message:
        'every matcher also matches alerts without the label; Alertmanager needs at least one that does not, e.g. service="db"',
    };
  }
  return null;
}

/**
 * Why these matchers are too broad for anyone but an admin, or null: without an equality matcher
 * with a value, `alertname=~".+"` or `alertname!~""` alone would silence every alert.
 */
export function breadthProblem(matchers: readonly Matcher[]): MatcherProblem | null {
  if (matchers.some((m) => m.op === '=' && m.value !== '')) return null;
  return {
    field: 'matchers',
    message:
      'needs at least one equality matcher (=) with a value, e.g. service="db", so the window cannot silence ' +
      'every alert; only an admin may write a window without one',
  };
}
