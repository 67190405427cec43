// Wire schemas of runbooks: markdown with front matter (id, title, services, alerts).
import { z } from 'zod';
import {
  ListQueryBase,
  RouteSafeSlug,
  ServiceName,
  ShortText,
  Stored,
  Tags,
  VersionField,
} from './primitives';

/** Ids the fixed routes under /api/v1/runbooks answer (GET /runbooks/search). */
export const RESERVED_RUNBOOK_IDS: readonly string[] = ['search'];

/** A runbook id: a slug that no fixed /runbooks route answers. */
export const RunbookId = RouteSafeSlug('runbooks', RESERVED_RUNBOOK_IDS);

const RunbookFields = {
  title: ShortText,
  services: z.array(ServiceName).max(50),
  alerts: z.array(z.string().min(1).max(200)).max(100).describe('alert names this runbook answers'),
  tags: Tags,
  body: z.string().max(200_000).describe('markdown; rendered sanitized'),
};

export const RunbookCreate = z.strictObject({
  id: RunbookId.optional().describe('defaults to a slug of the title; not search (GET /runbooks/search)'),
  ...RunbookFields,
  services: RunbookFields.services.default([]),
  alerts: RunbookFields.alerts.default([]),
  tags: RunbookFields.tags.default([]),
});
export type RunbookCreate = z.input<typeof RunbookCreate>;
export const RunbookUpdate = z.strictObject(RunbookFields).partial().extend(VersionField);

export const Runbook = z.object({
  ...Stored,
  title: z.string(),
  services: z.array(z.string()),
  alerts: z.array(z.string()),
  tags: z.array(z.string()),
  body: z.string(),
  source: z.enum(['api', 'provisioning']),
});
export type Runbook = z.infer<typeof Runbook>;

export const RunbookListQuery = z.strictObject({ ...ListQueryBase });

export const RunbookSearchQuery = z.strictObject({
  q: z.string().max(200).optional().describe('words that must all appear in the title, body or tags'),
  alert: z.string().max(200).optional().describe('an alert name the runbook answers'),
  service: ServiceName.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
