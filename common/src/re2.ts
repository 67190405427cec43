// RE2 syntax checks for regexes that Prometheus and Alertmanager evaluate (both use Go's RE2 engine):
// a JavaScript RegExp accepts what RE2 refuses (`(a)\1`) and refuses what RE2 accepts (`(?i)api`).
import { RE2JS } from 're2js';

/** Why `pattern` is not a valid RE2 regex, or null when it is. */
export function re2SyntaxError(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
