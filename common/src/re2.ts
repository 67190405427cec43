// Regular expressions as Prometheus and Alertmanager evaluate them: Go's RE2 dialect (re2js), anchored
// at both ends. JavaScript's RegExp accepts what RE2 refuses (`\1`, lookaround) and refuses what RE2
// accepts (`(?i)`), so anything that feeds those systems is checked here instead.
import { RE2JS } from 're2js';

/** Why `pattern` is not an RE2 regex that Prometheus or Alertmanager would accept as a matcher value, or null. */
export function re2Problem(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    return `not an RE2 regular expression (the dialect of Prometheus and Alertmanager): ${(err as Error).message}`;
  }
  try {
    RE2JS.compile(anchored(pattern));
  } catch (err) {
    return `not usable anchored, as Prometheus and Alertmanager use it: ${(err as Error).message}`;
  }
  return null;
}

/**
 * The form both systems compile: `^(?:pattern)$`. A value only valid this way (`a)|(b`) would escape
 * the group and change what the anchors apply to, which is why re2Problem also compiles it alone.
 */
function anchored(pattern: string): string {
  return `^(?:${pattern})$`;
}

/** Whether `text` matches the whole of `pattern` as a matcher does; `pattern` must have passed re2Problem. */
export function re2FullMatch(pattern: string, text: string): boolean {
  return RE2JS.compile(anchored(pattern)).matches(text);
}
