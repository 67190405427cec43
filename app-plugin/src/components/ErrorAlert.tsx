// Shows an ApiError as the backend sent it: its message, its code and every offending field.
import { Alert } from '@grafana/ui';
import React from 'react';
import type { ApiError } from '../api/client';

interface Props {
  error: ApiError | undefined;
  /** what the user was doing, e.g. "Could not declare the incident" */
  title?: string;
}

export function ErrorAlert({ error, title }: Props) {
  if (!error) return null;
  return (
    <Alert severity="error" title={title ?? error.message} data-testid="api-error">
      {title && <div>{error.message}</div>}
      <div>
        <code>{error.code}</code>
        {error.status > 0 && ` (HTTP ${error.status})`}
      </div>
      {error.details.length > 0 && (
        <ul aria-label="Problems">
          {error.details.map((d) => (
            <li key={`${d.field}:${d.message}`}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
