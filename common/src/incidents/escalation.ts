// Escalation from the guide's incident process: the alerts opsdeck raises about an incident while a
// deadline is missed (unacknowledged page climbing L1 → L2 → EM → Director, comms due, RTO breached,
// postmortem and action items overdue). Pure: the deadlines come from rules.ts, `now` from the caller.
import type { ActionItem, Incident, TimelineEntry } from '../api/incident';
import { endOfLocalDay } from './business-hours';
import {
  type IncidentFacts,
  isOpenIncident,
  incidentFlags,
  postmortemOverdue,
  actionItemOverdue,
} from './rules';
import { ACK_DUE_MINUTES, BUSINESS_HOURS, SEVERITY_MATRIX } from './severity';

export const ESCALATION_ALERTS = {
  ackOverdue: 'OpsdeckIncidentAckOverdue',
  commsDue: 'OpsdeckIncidentCommsDue',
  rtoBreached: 'OpsdeckIncidentRtoBreached',
  postmortemOverdue: 'OpsdeckPostmortemOverdue',
  actionItemOverdue: 'OpsdeckActionItemOverdue',
} as const;
export const ESCALATION_ALERT_NAMES: readonly string[] = Object.values(ESCALATION_ALERTS);

/** The guide's ladder: L1 on-call → L2 Platform → engineering manager → director. */
export const ESCALATION_LEVELS = ['L1', 'L2', 'EM', 'Director'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/**
 * Minutes after the page at which each level above L1 is paged while nobody acknowledged; L1 is paged
 * when the acknowledgement is overdue (ACK_DUE_MINUTES after the page).
 */
export type EscalationLadder = Readonly<Record<Exclude<EscalationLevel, 'L1'>, number>>;
export const DEFAULT_ESCALATION_LADDER: EscalationLadder = { L2: 10, EM: 20, Director: 30 };

/** Why a ladder cannot be used, or null: each level strictly after the one below it. */
export function escalationLadderProblem(ladder: EscalationLadder): string | null {
  let previous = ACK_DUE_MINUTES;
  let below = 'the acknowledgement deadline';
  for (const level of ['L2', 'EM', 'Director'] as const) {
    if (!Number.isFinite(ladder[level]) || ladder[level] <= previous)
      return `${level} (${ladder[level]} min) must come after ${below} (${previous} min)`;
    previous = ladder[level];
    below = level;
  }
  return null;
}

/** An alert opsdeck keeps firing in Alertmanager while its condition holds. */
export interface EscalationAlert {
  /** Labels, alertname included; they identify the alert in Alertmanager. */
  labels: Record<string, string>;
  /** When the condition became true. */
  startsAt: string;
  summary: string;
  incidentId: string;
  /** The notification links to the one-click acknowledge of the incident. */
  acknowledge: boolean;
}

type EscalatedIncident = IncidentFacts & Pick<Incident, 'id' | 'title' | 'service'>;

const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();

const alert = (
  name: string,
  incident: EscalatedIncident,
  startsAt: string,
  summary: string,
  extra: Record<string, string> = {},
): EscalationAlert => ({
  labels: {
    alertname: name,
    incident: incident.id,
    severity: incident.severity,
    service: incident.service,
    ...extra,
  },
  startsAt,
  summary,
  incidentId: incident.id,
  acknowledge: name === ESCALATION_ALERTS.ackOverdue,
});

/**
 * The levels an unacknowledged incident has reached, each with the time it was reached. Levels above
 * L1 are for pages (S1/S2, answered immediately); an overdue S3 stays with the L1 on-call.
 */
export function escalationLevels(
  incident: Pick<IncidentFacts, 'severity'>,
  ackDueAt: string,
  ackOverdue: boolean,
  now: Date,
  ladder: EscalationLadder = DEFAULT_ESCALATION_LADDER,
): Array<{ level: EscalationLevel; since: string }> {
  if (!ackOverdue) return [];
  const due = Date.parse(ackDueAt);
  const reached: Array<{ level: EscalationLevel; since: string }> = [{ level: 'L1', since: iso(due) }];
  if (SEVERITY_MATRIX[incident.severity].response !== 'immediate') return reached;
  const paged = due - ACK_DUE_MINUTES * MINUTE;
  for (const level of ['L2', 'EM', 'Director'] as const) {
    const at = paged + ladder[level] * MINUTE;
    if (now.getTime() >= at) reached.push({ level, since: iso(at) });
  }
  return reached;
}

/**
 * The alerts an incident raises now: one per escalation level reached (each stays firing until the
 * acknowledgement, so L1 is not dropped when L2 is paged), comms due, and RTO breached until mitigation.
 * None once resolved.
 */
export function incidentEscalations(
  incident: EscalatedIncident,
  timeline: ReadonlyArray<Pick<TimelineEntry, 'kind' | 'at'>>,
  now: Date,
  ladder: EscalationLadder = DEFAULT_ESCALATION_LADDER,
): EscalationAlert[] {
  if (!isOpenIncident(incident.status)) return [];
  const flags = incidentFlags(incident, timeline, now);
  const out: EscalationAlert[] = [];
  if (flags.ackDueAt) {
    for (const { level, since } of escalationLevels(
      incident,
      flags.ackDueAt,
      flags.ackOverdue,
      now,
      ladder,
    )) {
      out.push(
        alert(
          ESCALATION_ALERTS.ackOverdue,
          incident,
          since,
          `${incident.severity} "${incident.title}" (${incident.service}) is not acknowledged: escalated to ${level}`,
          { escalation: level },
        ),
      );
    }
  }
  if (flags.commsOverdue && flags.nextCommsDueAt) {
    out.push(
      alert(
        ESCALATION_ALERTS.commsDue,
        incident,
        flags.nextCommsDueAt,
        `${incident.severity} "${incident.title}": a comms update was due at ${flags.nextCommsDueAt} (every ${SEVERITY_MATRIX[incident.severity].commsEveryMinutes} min)`,
      ),
    );
  }
  // Breached and not yet recovered: mitigation (the RTO's recovery) ends the alert, late or not.
  if (flags.rtoBreached && flags.rtoDueAt && !incident.mitigatedAt) {
    out.push(
      alert(
        ESCALATION_ALERTS.rtoBreached,
        incident,
        flags.rtoDueAt,
        `${incident.severity} "${incident.title}" is past its recovery-time objective (${SEVERITY_MATRIX[incident.severity].rtoMinutes} min) without mitigation`,
      ),
    );
  }
  return out;
}

/** The overdue-postmortem alert of a resolved incident, or null. */
export function postmortemEscalation(
  incident: EscalatedIncident,
  postmortem: { dueAt: string | null; status: 'draft' | 'in-review' | 'published' | null },
  now: Date,
): EscalationAlert | null {
  if (!postmortem.dueAt || !postmortemOverdue(postmortem.dueAt, postmortem.status, now)) return null;
  return alert(
    ESCALATION_ALERTS.postmortemOverdue,
    incident,
    postmortem.dueAt,
    `The postmortem of ${incident.severity} "${incident.title}" was due ${postmortem.dueAt} and is not published`,
  );
}

/** The alert of an action item open past its due date, or null. */
export function actionItemEscalation(
  incident: EscalatedIncident,
  item: Pick<ActionItem, 'title' | 'owner' | 'dueDate' | 'status'> & { id: string },
  now: Date,
  timeZone: string = BUSINESS_HOURS.timeZone,
): EscalationAlert | null {
  if (!actionItemOverdue(item, now, timeZone)) return null;
  return alert(
    ESCALATION_ALERTS.actionItemOverdue,
    incident,
    iso(endOfLocalDay(item.dueDate, timeZone).getTime() + 1),
    `Action item "${item.title}" (${item.owner}) of "${incident.title}" was due ${item.dueDate}`,
    { action_item: item.id, owner: item.owner },
  );
}
