// The guide's severity matrix and incident vocabulary: the one definition every part imports.

export const SEVERITIES = ['S1', 'S2', 'S3', 'S4'] as const;
type Severity = (typeof SEVERITIES)[number];

export interface SeverityRule {
  label: string;
  meaning: string;
  /** Recovery-time objective in minutes; null where the guide sets none. */
  rtoMinutes: number | null;
  /** S3 is answered in business hours, S4 is only tracked. */
  response: 'immediate' | 'business-hours' | 'track';
  commsEveryMinutes: number | null;
  statusPageRequired: boolean;
  postmortemRequired: boolean;
}

export const SEVERITY_MATRIX: Readonly<Record<Severity, SeverityRule>> = {
  S1: {
    label: 'Critical',
    meaning: 'Full outage or security breach; customer impact high. All-hands bridge.',
    rtoMinutes: 30,
    response: 'immediate',
    commsEveryMinutes: 30,
    statusPageRequired: true,
    postmortemRequired: true,
  },
  S2: {
    label: 'Major',
    meaning: 'Partial outage or degradation.',
    rtoMinutes: 120,
    response: 'immediate',
    commsEveryMinutes: 30,
    statusPageRequired: true,
    postmortemRequired: true,
  },
  S3: {
    label: 'Minor',
    meaning: 'Limited impact; business-hours response.',
    rtoMinutes: null,
    response: 'business-hours',
    commsEveryMinutes: null,
    statusPageRequired: false,
    postmortemRequired: false,
  },
  S4: {
    label: 'Informational',
    meaning: 'No impact; track and triage.',
    rtoMinutes: null,
    response: 'track',
    commsEveryMinutes: null,
    statusPageRequired: false,
    postmortemRequired: false,
  },
};

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

export const INCIDENT_ROLES = ['ic', 'ops', 'comms', 'scribe'] as const;

/** The first-responder checklist, in the guide's order. */
export const FIRST_RESPONDER_CHECKLIST = [
  { id: 'acknowledge', text: 'Acknowledge the page within 5 minutes' },
  { id: 'channel-and-status-page', text: 'Open the incident channel and a status-page entry (S2+)' },
  { id: 'assign-roles', text: 'Assign roles: IC, Ops, Comms, Scribe' },
  { id: 'stabilize', text: 'Stabilize: rollback, scale or switch traffic; capture the timeline' },
  { id: 'comms-cadence', text: 'Comms every 30 minutes (S1/S2) or on major changes' },
  { id: 'resolve-and-postmortem', text: 'Declare resolved; schedule the postmortem' },
] as const;
export type ChecklistItemId = (typeof FIRST_RESPONDER_CHECKLIST)[number]['id'];

export const ACK_DUE_MINUTES = 5;
export const POSTMORTEM_DUE_BUSINESS_DAYS = 5;

export const TIMELINE_KINDS = [
  'note',
  'status',
  'role',
  'comms',
  'runbook-step',
  'checklist',
  'severity',
  'field',
] as const;

export const ACTION_ITEM_STATUSES = ['open', 'in-progress', 'done', 'wont-do'] as const;

/**
 * S3 is answered in business hours: Monday to Friday, 09:00–17:00 in the team's time zone
 * (UTC unless the caller passes another). Public holidays are not modelled.
 */
export const BUSINESS_HOURS = {
  days: [1, 2, 3, 4, 5] as readonly number[],
  start: '09:00',
  end: '17:00',
  timeZone: 'UTC',
};

/** A resolved incident may be reopened this long after resolution; later, declare a new one. */
export const REOPEN_WINDOW_HOURS = 72;
