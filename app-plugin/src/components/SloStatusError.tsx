// Why SLO numbers are missing. When the backend cannot reach Prometheus (503 upstream_unavailable) the
// page says so, with the backend's own message and what to check, instead of rows of dashes.
import { Alert } from '@grafana/ui';
import React from 'react';
import type { ApiError } from '../api/client';
import { ErrorAlert } from './ErrorAlert';

/** The backend's answer when Prometheus does not answer (UpstreamError in backend/src/errors.ts). */
export const isPrometheusUnavailable = (error: ApiError | undefined): boolean =>
  error?.status === 503 && error.code === 'upstream_unavailable';

interface Props {
  error: ApiError | undefined;
  /** what failed when it is not Prometheus, e.g. "Could not evaluate SLO status" */
  title: string;
}

export function SloStatusError({ error, title }: Props) {
  if (!error) return null;
  if (!isPrometheusUnavailable(error)) return <ErrorAlert error={error} title={title} />;
  return (
    <Alert severity="error" title="Prometheus cannot be reached" data-testid="prometheus-unavailable">
      <p>
        {error.message}. Compliance, budgets and burn rates are computed from Prometheus, so none can be shown
        until the opsdeck backend reaches it. Check:
      </p>
      <ul>
        <li>Prometheus (or Thanos, Mimir, VictoriaMetrics) is running and answers at that address.</li>
        <li>
          The backend&apos;s <code>PROMETHEUS_URL</code> points at it, with <code>PROMETHEUS_HEADERS</code>{' '}
          where it needs them (a Mimir tenant, credentials), and the backend&apos;s host can reach it.
        </li>
        <li>
          The backend&apos;s <code>/readyz</code> answers <code>ready</code> once Prometheus is back.
        </li>
      </ul>
      <code>
        {error.code} (HTTP {error.status})
      </code>
    </Alert>
  );
}
