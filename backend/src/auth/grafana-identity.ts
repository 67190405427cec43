// The signed-in Grafana user as Grafana's app proxy describes it: X-Grafana-User (sent with
// [dataproxy] send_user_header) or the JSON of user.SignedInUser in X-Grafana-Context (always sent).
import type { IncomingHttpHeaders } from 'node:http';
import type { Role } from '../config';

export interface GrafanaIdentity {
  login?: string;
  /** the user's org role in opsdeck's terms; a Grafana server admin counts as admin */
  role?: Role;
  /** the header the login came from, for error messages */
  from: 'x-grafana-user' | 'x-grafana-context';
}

const ORG_ROLES: Record<string, Role> = { Viewer: 'viewer', Editor: 'editor', Admin: 'admin' };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

interface SignedInUser {
  Login?: unknown;
  OrgRole?: unknown;
  IsGrafanaAdmin?: unknown;
  IsAnonymous?: unknown;
}

function parseContext(raw: string | undefined): SignedInUser {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as SignedInUser) : {};
  } catch {
    return {};
  }
}

/** Reads Grafana's identity headers; trust them only on a request authenticated by Grafana's proxy token. */
export function grafanaIdentity(headers: IncomingHttpHeaders): GrafanaIdentity {
  const context = parseContext(first(headers['x-grafana-context']));
  const role =
    context.IsGrafanaAdmin === true
      ? 'admin'
      : typeof context.OrgRole === 'string'
        ? ORG_ROLES[context.OrgRole]
        : undefined;
  const user = first(headers['x-grafana-user']);
  if (user) return { login: user, role, from: 'x-grafana-user' };
  const login =
    context.IsAnonymous !== true && typeof context.Login === 'string' && context.Login.trim()
      ? context.Login.trim()
      : undefined;
  return { login, role, from: 'x-grafana-context' };
}
