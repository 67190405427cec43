// Wire schemas of maintenance windows: schedule (one-off, RRULE or weekly), matchers and targets.
import { z } from 'zod';
import {
  ListQueryBase,
  LongText,
  ServiceName,
  ShortText,
  Stored,
  Slug,
  Timestamp,
  VersionField,
} from './primitives';

/** An IANA time zone such as Europe/Berlin, checked against the runtime's zone database. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone, e.g. use "UTC" or "Europe/Berlin"');

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const Weekday = z.enum(WEEKDAYS);
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'write the time as HH:MM, 24-hour');
const Duration = z
  .number()
  .int()
  .min(1)
  .max(60 * 24 * 14)
  .describe('minutes');

export const Schedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once'), start: Timestamp, end: Timestamp }),
  z.strictObject({
    kind: z.literal('weekly'),
    days: z.array(Weekday).min(1).max(7),
    startTime: LocalTime,
    durationMinutes: Duration,
  }),
  z.strictObject({
    kind: z.literal('rrule'),
    rrule: z
      .string()
      .min(5)
      .max(1000)
      .regex(/^(RRULE:)?FREQ=/i, 'an RFC 5545 RRULE starts with FREQ=, e.g. FREQ=WEEKLY;BYDAY=TU,TH'),
    start: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/,
        'local start as YYYY-MM-DDTHH:MM in the window time zone',
      ),
    durationMinutes: Duration,
  }),
]);
export type Schedule = z.infer<typeof Schedule>;

export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name');
const MatcherValue = z.string().max(1000);

/** A matcher as stored and returned. */
export const Matcher = z.strictObject({
  name: LabelName,
  op: z.enum(MATCHER_OPS).default('='),
  value: MatcherValue,
});
export type Matcher = z.infer<typeof Matcher>;

/** The operator of an Alertmanager API matcher (`isRegex`, `isEqual`). */
export function opOf(isRegex: boolean, isEqual: boolean): Matcher['op'] {
  if (isRegex) return isEqual ? '=~' : '!~';
  return isEqual ? '=' : '!=';
}

/**
 * A matcher as written: opsdeck's `{name, op, value}` or Alertmanager's `{name, value, isRegex,
 * isEqual}` (isEqual defaults to true, as in Alertmanager's API), stored in the `op` form.
 */
export const MatcherInput = z
  .strictObject({
    name: LabelName,
    op: z.enum(MATCHER_OPS).optional().describe('=, !=, =~ or !~ (default =); or use isRegex and isEqual'),
    value: MatcherValue,
    isRegex: z.boolean().optional().describe("Alertmanager's form: true for =~ and !~"),
    isEqual: z.boolean().optional().describe("Alertmanager's form: false for != and !~ (default true)"),
  })
  .superRefine((m, ctx) => {
    if (m.op !== undefined && (m.isRegex !== undefined || m.isEqual !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: 'give either op or isRegex/isEqual (Alertmanager form), not both',
      });
    }
  })
  .transform((m): Matcher => ({
    name: m.name,
    op: m.op ?? opOf(m.isRegex ?? false, m.isEqual ?? true),
    value: m.value,
  }));

const WindowFields = {
  name: ShortText,
  description: LongText,
  service: ServiceName.nullable(),
  timeZone: TimeZone,
  schedule: Schedule,
  matchers: z.array(MatcherInput).min(1).max(50),
  targets: z
    .array(z.string().min(1).max(200))
    .max(20)
    .describe('Alertmanager base URLs or "grafana"; empty means every configured target'),
  changeId: z.string().max(100).nullable(),
  enabled: z.boolean(),
  excludeFromSlos: z
    .array(Slug)
    .max(50)
    .describe("ids of SLOs whose error budgets leave out this window's past and open occurrences"),
};

export const MaintenanceWindowCreate = z.strictObject({
  ...WindowFields,
  description: WindowFields.description.default(''),
  service: WindowFields.service.default(null),
  timeZone: WindowFields.timeZone.default('UTC'),
  targets: WindowFields.targets.default([]),
  changeId: WindowFields.changeId.default(null),
  enabled: WindowFields.enabled.default(true),
  excludeFromSlos: WindowFields.excludeFromSlos.default([]),
});
export type MaintenanceWindowCreate = z.input<typeof MaintenanceWindowCreate>;

export const MaintenanceWindowUpdate = z.strictObject(WindowFields).partial().extend(VersionField);

export const MaintenanceWindow = z.object({
  ...Stored,
  name: z.string(),
  description: z.string(),
  service: z.string().nullable(),
  timeZone: z.string(),
  schedule: Schedule,
  matchers: z.array(Matcher),
  targets: z.array(z.string()),
  changeId: z.string().nullable(),
  enabled: z.boolean(),
  excludeFromSlos: z.array(z.string()).default([]),
  source: z.enum(['api', 'provisioning']),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const MaintenanceWindowListQuery = z.strictObject({
  ...ListQueryBase,
  enabled: z.enum(['true', 'false']).optional(),
});

export const Occurrence = z.object({
  windowId: z.string(),
  start: Timestamp,
  end: Timestamp,
  scheduledEnd: Timestamp.optional().describe('the end the schedule gave, when ended early or extended'),
  adjustment: z.enum(['ended-early', 'extended']).optional(),
});
export type Occurrence = z.infer<typeof Occurrence>;

export const OccurrencesQuery = z.strictObject({ from: Timestamp.optional(), to: Timestamp.optional() });

/** POST /maintenance-windows/:id/extend: add minutes to the open occurrence, or move its end. */
export const ExtendRequest = z.union([
  z.strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14),
  }),
  z.strictObject({ until: Timestamp }),
]);
export type ExtendRequest = z.infer<typeof ExtendRequest>;

export const SILENCE_SYNC_STATES = ['synced', 'pending', 'error'] as const;
/** How far one window's silences on one target match what the silencer wants there. */
export const SilenceTargetState = z.object({
  windowId: z.string(),
  target: z.string().describe('Alertmanager base URL or "grafana"'),
  state: z.enum(SILENCE_SYNC_STATES),
  message: z.string().nullable(),
  desired: z
    .number()
    .int()
    .describe('silences wanted now: the open occurrence and those within the look-ahead'),
  silenceIds: z.array(z.string()),
  lastSyncAt: Timestamp.nullable().describe('last cycle that found this target in the wanted state'),
  lastAttemptAt: Timestamp.nullable(),
});
export type SilenceTargetState = z.infer<typeof SilenceTargetState>;
