// Checks a window's matchers the way Alertmanager will when it receives the silence, so a bad
// window is refused at the API with the field named instead of failing later in every cycle.
import type { Matcher } from '../api/maintenance-window';

function matchesEmpty(m: Matcher): boolean {
  if (m.op === '=') return m.value === '';
  if (m.op === '!=') return m.value !== '';
  // Alertmanager anchors regular expressions at both ends.
  const hit = new RegExp(`^(?:${m.value})$`).test('');
  return m.op === '=~' ? hit : !hit;
}

/** What Alertmanager would reject in these matchers (field path and fix), or null. */
export function matchersProblem(matchers: readonly Matcher[]): { field: string; message: string } | null {
  for (const [i, m] of matchers.entries()) {
    if (m.op === '=~' || m.op === '!~') {
      try {
        new RegExp(m.value);
      } catch (err) {
        return {
          field: `matchers.${i}.value`,
          message: `not a regular expression: ${(err as Error).message}`,
        };
      }
    }
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
