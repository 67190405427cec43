// A new incident from a validated create body (the incidents API and the Alertmanager intake both
// declare incidents), and the 400 for incident times out of order.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type IncidentCreate, incidentTimestampProblems } from '@opsdeck/common';
import { ApiError } from '../errors';
import type { WriteContext } from '../store/documents';

/** A 400 naming each time that is in the future, out of order or at odds with the status. */
export function refuseTimestampProblems(...args: Parameters<typeof incidentTimestampProblems>): void {
  const problems = incidentTimestampProblems(...args).map((p) => ({ ...p, field: `body.${p.field}` }));
  if (problems.length > 0) {
    throw new ApiError(
      400,
      'validation_failed',
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  }
}

/** A new incident from a validated create body; its times default to now and must be in order. */
export function buildIncident(input: z.output<typeof IncidentCreate>, ctx: WriteContext) {
  const incident = {
    ...input,
    id: randomUUID(),
    startedAt: input.startedAt ?? ctx.at.toISOString(),
    detectedAt: input.detectedAt ?? null,
    acknowledgedAt: input.acknowledgedAt ?? null,
    mitigatedAt: input.mitigatedAt ?? null,
    resolvedAt: input.status === 'resolved' ? ctx.at.toISOString() : null,
  };
  refuseTimestampProblems(undefined, incident, ctx.at);
  return incident;
}
