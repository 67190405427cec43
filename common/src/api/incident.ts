// Wire schemas of incidents, their timeline, postmortems and action items.
import { z } from 'zod';
import {
  ACTION_ITEM_STATUSES,
  FIRST_RESPONDER_CHECKLIST,
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  SEVERITIES,
  TIMELINE_KINDS,
} from '../incidents/severity';
import {
  ACTOR_MAX_LENGTH,
  CalendarDate,
  ListQueryBase,
  LongText,
  Person,
  ServiceName,
  ShortText,
  Slug,
  Stored,
  Tags,
  Timestamp,
  Url,
  VersionField,
} from './primitives';

export const Severity = z.enum(SEVERITIES);
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export const IncidentRole = z.enum(INCIDENT_ROLES);
export type Severity = z.infer<typeof Severity>;
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export type IncidentRole = z.infer<typeof IncidentRole>;

export const IncidentRoles = z.strictObject(
  Object.fromEntries(INCIDENT_ROLES.map((r) => [r, Person.nullable().optional()])) as Record<
    (typeof INCIDENT_ROLES)[number],
    z.ZodOptional<z.ZodNullable<typeof Person>>
  >,
);

export const ChecklistItemState = z.strictObject({
  done: z.boolean(),
  at: Timestamp.nullable().optional(),
  by: z.string().max(ACTOR_MAX_LENGTH).nullable().optional(),
});
export const IncidentChecklist = z.partialRecord(
  z.enum(FIRST_RESPONDER_CHECKLIST.map((i) => i.id) as [string, ...string[]]),
  ChecklistItemState,
);

export const StatusPageEntry = z.strictObject({
  summary: z.string().max(2000).default(''),
  impact: z.string().max(5000).default(''),
  mitigation: z.string().max(5000).default(''),
  nextSteps: z.string().max(5000).default(''),
});

/** Where an incident was declared from, e.g. a Grafana panel menu. */
export const IncidentSource = z.strictObject({
  dashboardUid: z.string().max(100).optional(),
  panelId: z.number().int().optional(),
  url: Url.optional(),
  timeRange: z.strictObject({ from: Timestamp, to: Timestamp }).optional(),
  alert: z.string().max(200).optional(),
  /** The Alertmanager group (groupKey) that paged; while the incident is open, the group's pages land on it. */
  alertGroup: z.string().max(10_000).optional(),
  /** From the alert's runbook_url annotation. */
  runbookUrl: Url.optional(),
});

const IncidentFields = {
  title: ShortText,
  description: LongText,
  severity: Severity,
  service: ServiceName,
  services: z.array(ServiceName).max(50),
  sloIds: z.array(Slug).max(50),
  tags: Tags,
  roles: IncidentRoles,
  checklist: IncidentChecklist,
  statusPage: StatusPageEntry.nullable(),
  source: IncidentSource.nullable(),
  startedAt: Timestamp.describe('when impact began; defaults to now'),
  detectedAt: Timestamp.nullable(),
  acknowledgedAt: Timestamp.nullable(),
  mitigatedAt: Timestamp.nullable(),
};

export const IncidentCreate = z.strictObject({
  ...IncidentFields,
  description: IncidentFields.description.default(''),
  services: IncidentFields.services.default([]),
  sloIds: IncidentFields.sloIds.default([]),
  tags: IncidentFields.tags.default([]),
  roles: IncidentFields.roles.default({}),
  checklist: IncidentFields.checklist.default({}),
  statusPage: IncidentFields.statusPage.default(null),
  source: IncidentFields.source.default(null),
  startedAt: IncidentFields.startedAt.optional(),
  detectedAt: IncidentFields.detectedAt.optional(),
  acknowledgedAt: IncidentFields.acknowledgedAt.optional(),
  mitigatedAt: IncidentFields.mitigatedAt.optional(),
  status: IncidentStatus.default('investigating'),
});
export type IncidentCreate = z.input<typeof IncidentCreate>;

/** The incident actions that move it through its lifecycle; only they write the timeline. */
export const INCIDENT_ACTIONS = {
  status: 'POST /api/v1/incidents/:id/status',
  acknowledge: 'POST /api/v1/incidents/:id/acknowledge',
  resolve: 'POST /api/v1/incidents/:id/resolve',
} as const;

const CORRECTED_TIME =
  'corrects the recorded time; must stay in order (startedAt ≤ detectedAt ≤ acknowledgedAt ≤ resolvedAt, startedAt ≤ mitigatedAt ≤ resolvedAt) and not in the future';

// Status moves write the timeline and schedule the postmortem, so a PATCH cannot make them; it only
// corrects the times the actions recorded (see incidentTimestampProblems).
export const IncidentUpdate = z
  .strictObject({
    ...IncidentFields,
    startedAt: IncidentFields.startedAt.describe(`when impact began; ${CORRECTED_TIME}`),
    detectedAt: IncidentFields.detectedAt.describe(`when it was detected; ${CORRECTED_TIME}`),
    acknowledgedAt: IncidentFields.acknowledgedAt.describe(
      `${CORRECTED_TIME}; set it with ${INCIDENT_ACTIONS.acknowledge}, never cleared`,
    ),
    mitigatedAt: IncidentFields.mitigatedAt.describe(
      `${CORRECTED_TIME}; not cleared while monitoring or resolved`,
    ),
    resolvedAt: Timestamp.nullable().describe(
      `only while resolved: ${CORRECTED_TIME}; the postmortem due date follows it. Resolve or reopen with ${INCIDENT_ACTIONS.status}`,
    ),
  })
  .partial()
  .extend({
    status: z
      .never({ error: `is not edited here; send {status, text?} to ${INCIDENT_ACTIONS.status}` })
      .optional()
      .describe(`not accepted: use ${INCIDENT_ACTIONS.status}`),
    ...VersionField,
  });
export type IncidentUpdate = z.infer<typeof IncidentUpdate>;

/** Computed from the incident, its timeline and the clock; see common/src/incidents/rules.ts. */
export const IncidentFlags = z.object({
  ackDueAt: Timestamp.nullable(),
  ackOverdue: z.boolean(),
  nextCommsDueAt: Timestamp.nullable(),
  commsOverdue: z.boolean(),
  rtoDueAt: Timestamp.nullable(),
  rtoBreached: z.boolean(),
  statusPageRequired: z.boolean(),
  postmortemRequired: z.boolean(),
  postmortemDueAt: Timestamp.nullable(),
});
export type IncidentFlags = z.infer<typeof IncidentFlags>;
export const ChecklistItemView = z.object({
  id: z.string(),
  text: z.string(),
  applicable: z.boolean(),
  done: z.boolean(),
  at: Timestamp.nullable(),
  by: z.string().nullable(),
  source: z.enum(['auto', 'manual']).nullable(),
});
export type ChecklistItemView = z.infer<typeof ChecklistItemView>;
export const ChecklistView = z.object({
  items: z.array(ChecklistItemView),
  done: z.number().int(),
  applicable: z.number().int(),
});
export type ChecklistView = z.infer<typeof ChecklistView>;
/** A change on the incident's service that landed shortly before it started ("recent deploys"). */
export const RecentChange = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  risk: z.string(),
  status: z.string(),
  at: Timestamp,
  service: z.string(),
});
export type RecentChange = z.infer<typeof RecentChange>;
export const IncidentComputed = z.object({
  flags: IncidentFlags,
  checklist: ChecklistView,
  recentChanges: z.array(RecentChange),
});
export type IncidentComputed = z.infer<typeof IncidentComputed>;

export const Incident = z.object({
  ...Stored,
  title: z.string(),
  description: z.string(),
  severity: Severity,
  status: IncidentStatus,
  service: z.string(),
  services: z.array(z.string()),
  sloIds: z.array(z.string()),
  tags: z.array(z.string()),
  roles: z.record(z.string(), z.string().nullable().optional()),
  checklist: IncidentChecklist,
  statusPage: StatusPageEntry.nullable(),
  source: IncidentSource.nullable(),
  startedAt: Timestamp,
  detectedAt: Timestamp.nullable(),
  acknowledgedAt: Timestamp.nullable(),
  mitigatedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  computed: IncidentComputed.optional().describe(
    'flags, checklist and recent changes; on GET /incidents/:id',
  ),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentListQuery = z.strictObject({
  ...ListQueryBase,
  status: z
    .union([IncidentStatus, z.literal('open')])
    .optional()
    .describe('"open" means not resolved'),
  severity: Severity.optional(),
});
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

export const TimelineKind = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKind>;
export const TimelineEntryCreate = z.strictObject({
  kind: TimelineKind.default('note'),
  text: z.string().trim().min(1).max(10_000),
  at: Timestamp.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEntryCreate = z.input<typeof TimelineEntryCreate>;
export const TimelineEntry = z.object({
  id: z.string(),
  incidentId: z.string(),
  kind: TimelineKind,
  text: z.string(),
  at: Timestamp,
  author: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const ActionItemStatus = z.enum(ACTION_ITEM_STATUSES);
export const ActionItem = z.strictObject({
  id: z.string().max(64).optional(),
  title: ShortText,
  owner: Person,
  dueDate: CalendarDate,
  status: ActionItemStatus.default('open'),
  closedAt: Timestamp.nullable().optional(),
});
export type ActionItem = z.infer<typeof ActionItem>;

/** The blameless postmortem template from the guide. */
export const PostmortemFields = {
  impact: z.string().max(20_000).default(''),
  detection: z.string().max(20_000).default(''),
  rootCause: z.string().max(20_000).default(''),
  contributingFactors: z.string().max(20_000).default(''),
  wentWell: z.string().max(20_000).default(''),
  wentBadly: z.string().max(20_000).default(''),
  actionItems: z.array(ActionItem).max(200).default([]),
  status: z.enum(['draft', 'in-review', 'published']).default('draft'),
};
export const PostmortemWrite = z.strictObject({ ...PostmortemFields, ...VersionField });
/** A postmortem nobody has written yet: every section empty, no action items, a draft. */
export const emptyPostmortem = () => z.object(PostmortemFields).parse({});
export const Postmortem = z.object({
  incidentId: z.string(),
  version: z.number().int(),
  dueAt: Timestamp.nullable(),
  updatedAt: Timestamp,
  ...PostmortemFields,
  actionItems: z.array(ActionItem.extend({ id: z.string() })),
});
export type Postmortem = z.infer<typeof Postmortem>;
