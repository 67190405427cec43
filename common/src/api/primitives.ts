// Building blocks shared by every wire schema: ids, times, labels, pagination and the error body.
import { z } from 'zod';

/** RFC 3339 timestamp with an offset, as every time on the wire is written. */
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * A calendar date, YYYY-MM-DD. Written out rather than `z.iso.date()`: in the plugins' production bundle
 * that namespace member came out as `z.date()` (a Date object), refusing every date string.
 */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'not a calendar date');

export const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-"');

/** Why `id` cannot name a document under /api/v1/`collection`: a fixed route there answers that path. */
export const reservedIdMessage = (collection: string, reserved: readonly string[], id: string) =>
  `"${id}" is taken by the route /api/v1/${collection}/${id}; choose another id (${reserved.join(', ')} ${reserved.length === 1 ? 'is' : 'are'} reserved)`;

/**
 * A client-chosen id for documents under /api/v1/`collection` that refuses the segments fixed routes
 * there answer: GET /runbooks/search would shadow a runbook whose id is "search".
 */
export const RouteSafeSlug = (collection: string, reserved: readonly string[]) =>
  Slug.refine((id) => !reserved.includes(id), {
    error: (issue) => reservedIdMessage(collection, reserved, String(issue.input)),
  });

export const ServiceName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'use letters, digits, ".", "_", ":", "/" and "-"');

/** Longest actor (token name or X-Grafana-User) a write may record, so that every actor fits a person field. */
export const ACTOR_MAX_LENGTH = 100;

/** A person a document names (role holder, owner): someone who may also be the actor of a write. */
export const Person = z.string().trim().min(1).max(ACTOR_MAX_LENGTH);

export const ShortText = z.string().trim().min(1).max(200);
export const LongText = z.string().max(20_000);
/**
 * An absolute http(s) URL: every URL opsdeck stores is one, so no `javascript:` or `data:` link is
 * ever rendered from stored data.
 */
export const Url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);
/** Whether `value` may be rendered as a link (the test of Url), for what is read back or configured. */
export const isHttpUrl = (value: unknown): value is string => Url.safeParse(value).success;
export const Tags = z.array(z.string().min(1).max(64)).max(50);
export const Labels = z.record(
  z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names follow Prometheus rules'),
  z.string().max(500),
);

/** Fields the store adds to every resource. */
export const Stored = {
  id: z.string(),
  version: z.number().int().positive(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.string(),
};

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('pass as ?cursor= to read the next page; null on the last page'),
  });

export const ListQueryBase = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  from: Timestamp.optional(),
  to: Timestamp.optional(),
  service: ServiceName.optional(),
};

export const ErrorBody = z.object({
  error: z.string().describe('machine-readable code, e.g. validation_failed, not_found, version_conflict'),
  message: z.string(),
  details: z.array(z.object({ field: z.string(), message: z.string() }).passthrough()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Optimistic concurrency: the version the caller last read. */
export const VersionField = {
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('the version you read; required unless an If-Match header carries it'),
};
