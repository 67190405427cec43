// Form validation with the very zod schemas the backend validates with (from @opsdeck/common), and
// the backend's own field errors mapped onto the same form fields.
import type { z } from 'zod';
import type { ApiError } from './api/client';

/** Field path (e.g. "schedule.start") → first message, or an empty object when the value is valid. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The backend's details (fields like "body.title") as form field errors. */
export function serverFieldErrors(error: ApiError | undefined): FieldErrors {
  const errors: FieldErrors = {};
  for (const d of error?.details ?? []) errors[d.field.replace(/^body\./, '')] ??= d.message;
  return errors;
}
