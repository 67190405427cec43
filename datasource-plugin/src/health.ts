// Reads the backend's /readyz answer and an authenticated read (or the proxy's failures) as a
// "Save & test" result with one distinct message per cause: unreachable, rejected token, Prometheus
// down, store down. /readyz is public, so the token is judged on the authenticated read alone.

/** What Grafana's data source proxy answers (HTTP 400, text) in place of an upstream 401. */
export const GRAFANA_AUTH_FAILED = 'Authentication to data source failed';

export type HealthStatus = 'success' | 'error';

export interface HealthResult {
  status: HealthStatus;
  message: string;
  details?: { message?: string };
}

/** What the proxy call produced: an HTTP status (0 when no answer came) and the parsed body. */
export interface ReadyzOutcome {
  status: number;
  data?: unknown;
}

interface ReadyBody {
  status?: string;
  checks?: Record<string, { ok?: boolean; error?: string }>;
}

const asReadyBody = (data: unknown): ReadyBody =>
  typeof data === 'object' && data !== null ? (data as ReadyBody) : {};

export function healthResult(
  outcome: ReadyzOutcome,
  backendUrl: string | undefined,
  authenticated: ReadyzOutcome = { status: 200 },
): HealthResult {
  const where = backendUrl ? ` at ${backendUrl}` : '';
  if (!backendUrl) {
    return {
      status: 'error',
      message: 'Set the opsdeck API URL, e.g. http://opsdeck-backend:3001, then save & test again.',
    };
  }
  const unreachable = (status: number) => status === 0 || status === 502 || status === 504;
  if (unreachable(outcome.status) || unreachable(authenticated.status)) {
    return {
      status: 'error',
      message: `Cannot reach the opsdeck API${where}: check the URL and that Grafana's server can connect to it.`,
    };
  }
  if (authenticated.status === 400 && authenticated.data === GRAFANA_AUTH_FAILED) {
    return {
      status: 'error',
      message: `The opsdeck API${where} rejected the token (Grafana reports "${GRAFANA_AUTH_FAILED}"): enter a valid viewer token under Authentication.`,
    };
  }
  if (authenticated.status === 401 || authenticated.status === 403) {
    return {
      status: 'error',
      message: `The opsdeck API${where} rejected the token (HTTP ${authenticated.status}): enter a valid viewer token under Authentication.`,
    };
  }
  const body = asReadyBody(outcome.data);
  if (outcome.status >= 200 && outcome.status < 300) {
    return {
      status: 'success',
      message: `Connected to the opsdeck API${where}; store and Prometheus are ready.`,
    };
  }
  if (outcome.status === 503 && body.checks) {
    const prometheus = body.checks.prometheus;
    if (prometheus && prometheus.ok === false) {
      return {
        status: 'error',
        message: `The opsdeck API${where} is up, but Prometheus is down: SLO queries fail until it answers.`,
        details: { message: prometheus.error },
      };
    }
    const failed = Object.entries(body.checks).filter(([, c]) => c.ok === false);
    return {
      status: 'error',
      message: `The opsdeck API${where} is not ready: ${failed.map(([name]) => name).join(', ') || 'unknown check'} failing.`,
      details: {
        message: failed
          .map(([, c]) => c.error)
          .filter(Boolean)
          .join('; '),
      },
    };
  }
  return {
    status: 'error',
    message: `The opsdeck API${where} answered HTTP ${outcome.status} to /readyz: is this URL an opsdeck backend?`,
  };
}
