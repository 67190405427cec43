// Incident rules from the guide's incident-response section: lifecycle, due times, checklist,
// status-page entry and postmortem deadlines. Pure: every function takes `now` from its caller.
import {
  type ActionItem,
  type ChecklistItemView,
  type ChecklistView,
  INCIDENT_ACTIONS,
  type Incident,
  type IncidentFlags,
  type IncidentStatus,
  type TimelineEntry,
} from '../api/incident';
import {
  addBusinessDays,
  endOfLocalDay,
  localDate,
  nextBusinessTime,
  type BusinessHours,
} from './business-hours';
import {
  ACK_DUE_MINUTES,
  BUSINESS_HOURS,
  FIRST_RESPONDER_CHECKLIST,
  INCIDENT_ROLES,
  POSTMORTEM_DUE_BUSINESS_DAYS,
  REOPEN_WINDOW_HOURS,
  SEVERITY_MATRIX,
  type ChecklistItemId,
} from './severity';

const MINUTE = 60_000;
const ms = (t: string | Date): number => (typeof t === 'string' ? Date.parse(t) : t.getTime());
const iso = (t: number | Date): string => new Date(t).toISOString();

/** The incident fields the rules read; the stored Incident satisfies it. */
export type IncidentFacts = Pick<
  Incident,
  | 'severity'
  | 'status'
  | 'startedAt'
  | 'detectedAt'
  | 'acknowledgedAt'
  | 'mitigatedAt'
  | 'resolvedAt'
  | 'roles'
  | 'checklist'
>;

// ---------------------------------------------------------------------------------------------
// Lifecycle

/**
 * Moves between open statuses go forward freely (skipping is allowed: a false alarm goes straight
 * to resolved) and back when a hypothesis or a fix did not hold (identified → investigating,
 * monitoring → identified/investigating). Resolved only reopens, to investigating, within
 * REOPEN_WINDOW_HOURS of resolution; after that the recurrence is a new incident.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['investigating'],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: 'illegal' | 'rule'; message: string };

export function checkIncidentTransition(
  incident: Pick<IncidentFacts, 'status' | 'resolvedAt'>,
  to: IncidentStatus,
  now: Date,
): TransitionCheck {
  const from = incident.status;
  if (from === to) return { ok: false, reason: 'illegal', message: `the incident is already ${to}` };
  if (!INCIDENT_TRANSITIONS[from].includes(to)) {
    const legal = INCIDENT_TRANSITIONS[from].join(', ');
    return {
      ok: false,
      reason: 'illegal',
      message: `cannot go from ${from} to ${to}; from ${from} go to ${legal}`,
    };
  }
  if (from === 'resolved' && incident.resolvedAt) {
    const limit = ms(incident.resolvedAt) + REOPEN_WINDOW_HOURS * 60 * MINUTE;
    if (now.getTime() > limit) {
      return {
        ok: false,
        reason: 'rule',
        message: `resolved incidents reopen only within ${REOPEN_WINDOW_HOURS} h of resolution (until ${iso(limit)}); declare a new incident`,
      };
    }
  }
  return { ok: true };
}

/**
 * The timestamps a status change sets. Any status change is a human acting on the incident, so it
 * also acknowledges it if nobody had; entering monitoring marks mitigation; resolving stamps the
 * resolution; reopening clears it.
 */
export function statusTimestamps(
  incident: Pick<IncidentFacts, 'acknowledgedAt' | 'mitigatedAt'>,
  to: IncidentStatus,
  now: Date,
): Partial<Pick<Incident, 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'>> {
  const at = now.toISOString();
  const out: Partial<Pick<Incident, 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'>> = {};
  if (!incident.acknowledgedAt) out.acknowledgedAt = at;
  if ((to === 'monitoring' || to === 'resolved') && !incident.mitigatedAt) out.mitigatedAt = at;
  out.resolvedAt = to === 'resolved' ? at : null;
  return out;
}

/** The lifecycle times of an incident; only startedAt is always set. */
export const INCIDENT_TIMESTAMPS = [
  'startedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
] as const;
export type IncidentTimestamp = (typeof INCIDENT_TIMESTAMPS)[number];

/**
 * Which time cannot come before which: impact starts first, a detection is acknowledged after it, and
 * resolution comes last. Mitigation may come before detection or acknowledgement (an automatic
 * rollback noticed later), so it is ordered only against start and resolution.
 */
const TIMESTAMP_ORDER: ReadonlyArray<readonly [IncidentTimestamp, IncidentTimestamp]> = [
  ['startedAt', 'detectedAt'],
  ['startedAt', 'acknowledgedAt'],
  ['startedAt', 'mitigatedAt'],
  ['startedAt', 'resolvedAt'],
  ['detectedAt', 'acknowledgedAt'],
  ['detectedAt', 'resolvedAt'],
  ['acknowledgedAt', 'resolvedAt'],
  ['mitigatedAt', 'resolvedAt'],
];

export interface TimestampProblem {
  field: IncidentTimestamp;
  message: string;
}

type TimestampFacts = Pick<IncidentFacts, 'status' | IncidentTimestamp>;

/**
 * What is wrong with an incident's times after a write, each problem on the field the write changed:
 * a time in the future, two times out of order, or a time that contradicts the status (resolvedAt is
 * set exactly while resolved; mitigatedAt stays set while monitoring or resolved). An edit corrects
 * times but does not acknowledge, resolve or reopen: the actions do that and write the timeline.
 * `before` is the stored incident, undefined on creation. Only rules that touch a changed field are
 * judged, so an old inconsistency never blocks an unrelated edit.
 */
export function incidentTimestampProblems(
  before: TimestampFacts | undefined,
  after: TimestampFacts,
  now: Date,
): TimestampProblem[] {
  const changed = (f: IncidentTimestamp) => before === undefined || before[f] !== after[f];
  const problems: TimestampProblem[] = [];
  const future = new Set<IncidentTimestamp>();
  for (const f of INCIDENT_TIMESTAMPS) {
    const at = after[f];
    if (at !== null && changed(f) && ms(at) > now.getTime()) {
      future.add(f);
      problems.push({ field: f, message: `must not be in the future (the server's clock says ${iso(now)})` });
    }
  }
  for (const [earlier, later] of TIMESTAMP_ORDER) {
    const a = after[earlier];
    const b = after[later];
    if (a === null || b === null || future.has(earlier) || future.has(later) || ms(a) <= ms(b)) continue;
    if (changed(later)) problems.push({ field: later, message: `must not be before ${earlier} (${a})` });
    else if (changed(earlier))
      problems.push({ field: earlier, message: `must not be after ${later} (${b})` });
  }
  const resolved = after.status === 'resolved';
  if (changed('resolvedAt') && resolved && after.resolvedAt === null) {
    problems.push({
      field: 'resolvedAt',
      message: `cannot be cleared while the incident is resolved; reopen it with ${INCIDENT_ACTIONS.status}`,
    });
  }
  if (changed('resolvedAt') && !resolved && after.resolvedAt !== null) {
    problems.push({
      field: 'resolvedAt',
      message: `is set by resolving (${INCIDENT_ACTIONS.resolve}); the incident is ${after.status}`,
    });
  }
  if (before === undefined) return problems;
  if (before.acknowledgedAt === null && after.acknowledgedAt !== null) {
    problems.push({
      field: 'acknowledgedAt',
      message: `is set by acknowledging (${INCIDENT_ACTIONS.acknowledge}); an edit only corrects its time`,
    });
  }
  if (before.acknowledgedAt !== null && after.acknowledgedAt === null) {
    problems.push({
      field: 'acknowledgedAt',
      message: 'cannot be cleared: the incident was acknowledged; an edit only corrects its time',
    });
  }
  if (
    before.mitigatedAt !== null &&
    after.mitigatedAt === null &&
    (after.status === 'monitoring' || resolved)
  ) {
    problems.push({
      field: 'mitigatedAt',
      message: `cannot be cleared while the incident is ${after.status}; correct its time instead`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Computed flags

/** Changes on the incident's services this long before its start are its "recent deploys". */
export const RECENT_CHANGES_LOOKBACK_MINUTES = 120;

export interface FlagOptions {
  businessHours?: BusinessHours;
}

/**
 * Ack is due 5 minutes after detection (or the start when detection was not recorded). S3 pages
 * only in business hours, so its 5 minutes run from the next business-hours opening. Exactly
 * 5:00 is still on time; overdue means strictly later.
 */
export function ackDueAt(
  incident: Pick<IncidentFacts, 'severity' | 'detectedAt' | 'startedAt'>,
  opts: FlagOptions = {},
): Date | null {
  const rule = SEVERITY_MATRIX[incident.severity];
  if (rule.response === 'track') return null;
  let from = new Date(incident.detectedAt ?? incident.startedAt);
  if (rule.response === 'business-hours') from = nextBusinessTime(from, opts.businessHours ?? BUSINESS_HOURS);
  return new Date(from.getTime() + ACK_DUE_MINUTES * MINUTE);
}

/** Open and not acknowledged past its severity's acknowledgement due time (S4 is tracked, never due). */
export function ackOverdue(
  incident: Pick<IncidentFacts, 'severity' | 'status' | 'detectedAt' | 'startedAt' | 'acknowledgedAt'>,
  now: Date,
  opts: FlagOptions = {},
): boolean {
  if (incident.status === 'resolved' || incident.acknowledgedAt) return false;
  const due = ackDueAt(incident, opts);
  return due !== null && now.getTime() > due.getTime();
}

export function lastCommsAt(timeline: readonly Pick<TimelineEntry, 'kind' | 'at'>[]): string | null {
  let last: number | null = null;
  for (const e of timeline) if (e.kind === 'comms' && (last === null || ms(e.at) > last)) last = ms(e.at);
  return last === null ? null : iso(last);
}

/**
 * Next comms: S1/S2 while open, 30 min after the last comms entry or the start. RTO: start + the
 * severity's RTO; recovery is mitigation (or resolution when never marked mitigated), and reaching
 * the RTO counts as a breach (the guide says "< 30m"). Postmortem: end of the 5th business day
 * after resolution, S1/S2 only.
 */
export function incidentFlags(
  incident: IncidentFacts,
  timeline: readonly Pick<TimelineEntry, 'kind' | 'at'>[],
  now: Date,
  opts: FlagOptions = {},
): IncidentFlags {
  const rule = SEVERITY_MATRIX[incident.severity];
  const open = incident.status !== 'resolved';
  const t = now.getTime();

  const ackDue = incident.acknowledgedAt ? null : ackDueAt(incident, opts);

  let nextComms: number | null = null;
  if (open && rule.commsEveryMinutes !== null) {
    const base = lastCommsAt(timeline) ?? incident.startedAt;
    nextComms = ms(base) + rule.commsEveryMinutes * MINUTE;
  }

  let rtoDue: number | null = null;
  let rtoBreached = false;
  if (rule.rtoMinutes !== null) {
    rtoDue = ms(incident.startedAt) + rule.rtoMinutes * MINUTE;
    const recovered = incident.mitigatedAt ?? incident.resolvedAt;
    rtoBreached = (recovered ? ms(recovered) : t) >= rtoDue;
  }

  const pmDue = postmortemDueAt(incident, opts.businessHours?.timeZone);
  return {
    ackDueAt: ackDue ? ackDue.toISOString() : null,
    ackOverdue: ackOverdue(incident, now, opts),
    nextCommsDueAt: nextComms === null ? null : iso(nextComms),
    commsOverdue: nextComms !== null && t > nextComms,
    rtoDueAt: rtoDue === null ? null : iso(rtoDue),
    rtoBreached,
    statusPageRequired: rule.statusPageRequired,
    postmortemRequired: rule.postmortemRequired,
    postmortemDueAt: pmDue,
  };
}

// ---------------------------------------------------------------------------------------------
// First-responder checklist

export function checklistState(
  incident: IncidentFacts,
  opts: { postmortemScheduled?: boolean } = {},
): ChecklistView {
  const rule = SEVERITY_MATRIX[incident.severity];
  const allRoles = INCIDENT_ROLES.every((r) => !!incident.roles[r]);
  const auto: Partial<Record<ChecklistItemId, string | null | false>> = {
    acknowledge: incident.acknowledgedAt ?? false,
    'assign-roles': allRoles ? null : false,
    'resolve-and-postmortem':
      incident.status === 'resolved' && (!rule.postmortemRequired || opts.postmortemScheduled)
        ? incident.resolvedAt
        : false,
  };
  const items = FIRST_RESPONDER_CHECKLIST.map((item): ChecklistItemView => {
    const applicable =
      item.id === 'channel-and-status-page'
        ? rule.statusPageRequired
        : item.id === 'comms-cadence'
          ? rule.commsEveryMinutes !== null
          : true;
    const manual = incident.checklist[item.id];
    const autoAt = auto[item.id];
    if (manual?.done) {
      return {
        id: item.id,
        text: item.text,
        applicable,
        done: true,
        at: manual.at ?? null,
        by: manual.by ?? null,
        source: 'manual',
      };
    }
    if (autoAt !== undefined && autoAt !== false) {
      return { id: item.id, text: item.text, applicable, done: true, at: autoAt, by: null, source: 'auto' };
    }
    return { id: item.id, text: item.text, applicable, done: false, at: null, by: null, source: null };
  });
  const counted = items.filter((i) => i.applicable);
  return { items, done: counted.filter((i) => i.done).length, applicable: counted.length };
}

// ---------------------------------------------------------------------------------------------
// Status page

export interface StatusPageTimelineItem {
  at: string;
  kind: 'status' | 'comms';
  text: string;
}

export interface StatusPageView {
  title: string;
  severity: Incident['severity'];
  status: IncidentStatus;
  startedAt: string;
  resolvedAt: string | null;
  summary: string;
  impact: string;
  timeline: StatusPageTimelineItem[];
  mitigation: string;
  nextSteps: string;
}

/** Whether a status-page entry exists for this severity (the guide: S2 and above). */
export const statusPageApplies = (severity: Incident['severity']): boolean =>
  SEVERITY_MATRIX[severity].statusPageRequired;

/**
 * The public entry: only status changes and comms updates reach the timeline; notes, role changes
 * and runbook steps are internal.
 */
export function statusPageEntry(
  incident: Pick<Incident, 'title' | 'severity' | 'status' | 'startedAt' | 'resolvedAt' | 'statusPage'>,
  timeline: readonly Pick<TimelineEntry, 'kind' | 'at' | 'text'>[],
): StatusPageView {
  const publicEntries = timeline
    .filter(
      (e): e is Pick<TimelineEntry, 'at' | 'text'> & { kind: 'status' | 'comms' } =>
        e.kind === 'status' || e.kind === 'comms',
    )
    .map((e) => ({ at: new Date(e.at).toISOString(), kind: e.kind, text: e.text }))
    .sort((a, b) => ms(a.at) - ms(b.at));
  const page = incident.statusPage;
  return {
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    startedAt: incident.startedAt,
    resolvedAt: incident.resolvedAt,
    summary: page?.summary || incident.title,
    impact: page?.impact ?? '',
    timeline: publicEntries,
    mitigation: page?.mitigation ?? '',
    nextSteps: page?.nextSteps ?? '',
  };
}

const STATUS_WORD: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();
const orNone = (s: string): string => (s.trim() ? s.trim() : '_Not yet known._');

export function statusPageMarkdown(view: StatusPageView): string {
  const lines = [
    `# ${oneLine(view.title)}`,
    '',
    `**Status:** ${STATUS_WORD[view.status]} · **Severity:** ${view.severity} · **Started:** ${view.startedAt}` +
      (view.resolvedAt ? ` · **Resolved:** ${view.resolvedAt}` : ''),
    '',
    '## Summary',
    '',
    orNone(view.summary),
    '',
    '## Impact',
    '',
    orNone(view.impact),
    '',
    '## Timeline',
    '',
    ...(view.timeline.length
      ? view.timeline.map((e) => `- **${e.at}** — ${oneLine(e.text)}`)
      : ['_No updates yet._']),
    '',
    '## Mitigation',
    '',
    orNone(view.mitigation),
    '',
    '## Next steps',
    '',
    orNone(view.nextSteps),
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Postmortems and action items

/** Due date (YYYY-MM-DD) of the postmortem: 5 business days after resolution; null if not required. */
export function postmortemDueDate(
  incident: Pick<IncidentFacts, 'severity' | 'resolvedAt'>,
  timeZone: string = BUSINESS_HOURS.timeZone,
): string | null {
  if (!SEVERITY_MATRIX[incident.severity].postmortemRequired || !incident.resolvedAt) return null;
  return addBusinessDays(new Date(incident.resolvedAt), POSTMORTEM_DUE_BUSINESS_DAYS, timeZone);
}

export function postmortemDueAt(
  incident: Pick<IncidentFacts, 'severity' | 'resolvedAt'>,
  timeZone: string = BUSINESS_HOURS.timeZone,
): string | null {
  const date = postmortemDueDate(incident, timeZone);
  return date ? endOfLocalDay(date, timeZone).toISOString() : null;
}

/** A postmortem is overdue once its deadline passed and it is not published. */
export function postmortemOverdue(
  dueAt: string | null,
  status: 'draft' | 'in-review' | 'published' | null,
  now: Date,
): boolean {
  return dueAt !== null && status !== 'published' && now.getTime() > ms(dueAt);
}

/** An open or in-progress action item is overdue from the day after its due date. */
export function actionItemOverdue(
  item: Pick<ActionItem, 'dueDate' | 'status'>,
  now: Date,
  timeZone: string = BUSINESS_HOURS.timeZone,
): boolean {
  if (item.status === 'done' || item.status === 'wont-do') return false;
  return localDate(now, timeZone) > item.dueDate;
}

export const isOpenIncident = (status: IncidentStatus): boolean => status !== 'resolved';
