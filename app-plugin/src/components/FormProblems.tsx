// Validation problems a form has no field for (e.g. a pre-filled source), listed so none goes unseen.
import { Alert } from '@grafana/ui';
import React from 'react';
import type { FieldErrors } from '../validation';

export function FormProblems({ errors, shown }: { errors: FieldErrors; shown: readonly string[] }) {
  const rest = Object.entries(errors).filter(
    ([field]) => !shown.some((s) => field === s || field.startsWith(`${s}.`)),
  );
  if (rest.length === 0) return null;
  return (
    <Alert severity="error" title="Fix these before submitting">
      <ul>
        {rest.map(([field, message]) => (
          <li key={field}>
            {field === '_' ? '' : <code>{field}</code>}
            {field === '_' ? message : `: ${message}`}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
