// Change-management rules from the guide: approvals by risk, the pre-deploy checklist, High risk
// only inside a maintenance window, the status machine and canary progression. Pure: `now` and
// the window occurrences come from the caller.
import type { Approval, CanaryStage, Change, ChangeStatus, Risk } from '../api/change';
import { APPROVAL_MATRIX, CANARY_STAGES, PRE_DEPLOY_CHECKLIST, type PreDeployItemId } from './matrix';

type ApproverRole = Approval['role'];

// ---------------------------------------------------------------------------------------------
// Approvals

export const requiredApprovals = (risk: Risk): readonly ApproverRole[] => APPROVAL_MATRIX[risk];

/**
 * Whether `approver` may give `role` on a change owned by `owner`: "self" is the owner's own
 * sign-off; every other role (peer, on-call, EM) must be someone other than the owner, and one
 * person cannot fill two roles on the same change.
 */
export function approvalProblem(
  change: Pick<Change, 'owner' | 'risk' | 'approvals'>,
  role: ApproverRole,
  approver: string,
): string | null {
  if (!requiredApprovals(change.risk).includes(role)) {
    return `a ${change.risk} risk change needs ${describeRoles(requiredApprovals(change.risk))}, not ${ROLE_NAME[role]}`;
  }
  if (role === 'self' && approver !== change.owner) {
    return `the "self" approval is the owner's (${change.owner}); ${approver} cannot give it`;
  }
  if (role !== 'self' && approver === change.owner) {
    return `the owner (${change.owner}) cannot give the ${ROLE_NAME[role]} approval; ask someone else`;
  }
  const existing = change.approvals.find((a) => a.role === role);
  if (existing) return `the ${ROLE_NAME[role]} approval was already given by ${existing.approver}`;
  const other = change.approvals.find((a) => a.approver === approver && a.role !== 'self');
  if (other && role !== 'self') {
    return `${approver} already approved as ${ROLE_NAME[other.role]}; another person must approve as ${ROLE_NAME[role]}`;
  }
  return null;
}

export const ROLE_NAME: Readonly<Record<ApproverRole, string>> = {
  self: 'self (owner)',
  peer: 'peer',
  oncall: 'on-call',
  em: 'engineering manager',
};

const describeRoles = (roles: readonly ApproverRole[]): string => roles.map((r) => ROLE_NAME[r]).join(' + ');

export function missingApprovals(change: Pick<Change, 'risk' | 'approvals'>): ApproverRole[] {
  const given = new Set(change.approvals.map((a) => a.role));
  return requiredApprovals(change.risk).filter((r) => !given.has(r));
}

// ---------------------------------------------------------------------------------------------
// Pre-deploy checklist

/** Unticked items; the rollback plan also counts as done when its text is written. */
export function missingChecklist(change: Pick<Change, 'checklist' | 'rollbackPlan'>): PreDeployItemId[] {
  return PRE_DEPLOY_CHECKLIST.filter((item) => {
    if (change.checklist[item.id]) return false;
    return !(item.id === 'rollback-plan' && change.rollbackPlan.trim() !== '');
  }).map((item) => item.id);
}

// ---------------------------------------------------------------------------------------------
// Maintenance windows

export interface WindowOccurrence {
  start: string;
  end: string;
  windowId?: string;
}

export type WindowCheck =
  | { ok: true; occurrence: WindowOccurrence | null }
  | { ok: false; message: string; nextSlot: WindowOccurrence | null };

const ms = (t: string): number => Date.parse(t);

/** The first occurrence open at `now` or starting after it. */
export function nextAllowedSlot(
  occurrences: readonly WindowOccurrence[],
  now: Date,
): WindowOccurrence | null {
  const t = now.getTime();
  const candidates = occurrences.filter((o) => ms(o.end) > t).sort((a, b) => ms(a.start) - ms(b.start));
  return candidates[0] ?? null;
}

/**
 * High risk starts only while a maintenance-window occurrence is open ([start, end)), and a
 * planned end must fall inside that same occurrence. Low and Med are not restricted.
 */
export function checkWindow(
  change: Pick<Change, 'risk' | 'plannedEnd'>,
  occurrences: readonly WindowOccurrence[],
  now: Date,
): WindowCheck {
  if (change.risk !== 'High') return { ok: true, occurrence: null };
  const t = now.getTime();
  const open = occurrences
    .filter((o) => ms(o.start) <= t && t < ms(o.end))
    .sort((a, b) => ms(b.end) - ms(a.end))[0];
  if (!open) {
    const next = nextAllowedSlot(occurrences, now);
    const when = next
      ? `the next allowed slot is ${next.start} – ${next.end}`
      : 'no maintenance window is scheduled ahead';
    return {
      ok: false,
      message: `High risk changes run only inside a maintenance window and ${now.toISOString()} is outside every window; ${when}`,
      nextSlot: next,
    };
  }
  if (change.plannedEnd && ms(change.plannedEnd) > ms(open.end)) {
    const after = occurrences.filter((o) => ms(o.start) >= ms(open.end));
    const next = nextAllowedSlot(after, new Date(open.end));
    return {
      ok: false,
      message: `the planned end ${change.plannedEnd} is after the current window closes at ${open.end}; shorten the change or plan it for ${next ? next.start : 'a later window'}`,
      nextSlot: next,
    };
  }
  return { ok: true, occurrence: open };
}

// ---------------------------------------------------------------------------------------------
// Status machine

/**
 * proposed → approved (automatically once every required approval is in) → in-progress →
 * completed | rolled-back | failed. Cancelling is possible until work starts; a started change
 * ends by completing, rolling back or failing.
 */
export const CHANGE_TRANSITIONS: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  proposed: ['approved', 'cancelled'],
  approved: ['in-progress', 'cancelled'],
  'in-progress': ['completed', 'rolled-back', 'failed'],
  completed: [],
  'rolled-back': [],
  failed: [],
  cancelled: [],
};

export const isFinishedChange = (status: ChangeStatus): boolean => CHANGE_TRANSITIONS[status].length === 0;

export interface Refusal {
  /** 409: the status does not allow the step. 422: a rule (approvals, checklist, window) refuses. */
  reason: 'illegal' | 'rule';
  message: string;
  details?: { field: string; message: string }[];
  nextSlot?: WindowOccurrence | null;
}

export function checkChangeTransition(from: ChangeStatus, to: ChangeStatus): Refusal | null {
  if (CHANGE_TRANSITIONS[from].includes(to)) return null;
  const legal = CHANGE_TRANSITIONS[from];
  return {
    reason: 'illegal',
    message:
      from === to
        ? `the change is already ${to}`
        : `cannot go from ${from} to ${to}; ` +
          (legal.length ? `from ${from} go to ${legal.join(', ')}` : `${from} is final`),
  };
}

/** Everything that must hold to start a change now; null when it may start. */
export function checkStart(
  change: Pick<Change, 'status' | 'risk' | 'approvals' | 'checklist' | 'rollbackPlan' | 'plannedEnd'>,
  occurrences: readonly WindowOccurrence[],
  now: Date,
): Refusal | null {
  if (change.status !== 'proposed') {
    const illegal = checkChangeTransition(change.status, 'in-progress');
    if (illegal) return illegal;
  }
  const details: { field: string; message: string }[] = [];
  const roles = missingApprovals(change);
  if (roles.length) details.push({ field: 'approvals', message: `missing ${describeRoles(roles)} approval` });
  for (const id of missingChecklist(change)) {
    const text = PRE_DEPLOY_CHECKLIST.find((i) => i.id === id)?.text ?? id;
    details.push({ field: `checklist.${id}`, message: `not done: ${text}` });
  }
  if (details.length) {
    return {
      reason: 'rule',
      message: `cannot start: ${details.map((d) => d.message).join('; ')}`,
      details,
    };
  }
  const window = checkWindow(change, occurrences, now);
  if (!window.ok) {
    return {
      reason: 'rule',
      message: `cannot start: ${window.message}`,
      details: [{ field: 'risk', message: window.message }],
      nextSlot: window.nextSlot,
    };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Canary

/** The next stage to run: the first CANARY_STAGES value above the last promoted one. */
export function nextCanaryStage(canary: readonly Pick<CanaryStage, 'percent' | 'decision'>[]): number | null {
  const promoted = canary.filter((s) => s.decision === 'proceed').map((s) => s.percent);
  const top = promoted.length ? Math.max(...promoted) : 0;
  return CANARY_STAGES.find((p) => p > top) ?? null;
}

/** Whether `percent` may be asked for now: the change runs and it is the next stage (or a retry). */
export function checkCanaryStep(change: Pick<Change, 'status' | 'canary'>, percent: number): Refusal | null {
  if (change.status !== 'in-progress') {
    return {
      reason: 'illegal',
      message: `canary stages run while the change is in-progress; it is ${change.status}`,
    };
  }
  if (!(CANARY_STAGES as readonly number[]).includes(percent)) {
    return {
      reason: 'rule',
      message: `canary stages are ${CANARY_STAGES.join(' → ')} %; ${percent} is not one`,
      details: [{ field: 'percent', message: `use one of ${CANARY_STAGES.join(', ')}` }],
    };
  }
  const next = nextCanaryStage(change.canary);
  if (next === null)
    return { reason: 'illegal', message: 'the canary already reached 100 %; complete the change' };
  if (percent !== next) {
    return {
      reason: 'rule',
      message: `the next canary stage is ${next} %, not ${percent} % (stages go ${CANARY_STAGES.join(' → ')})`,
      details: [{ field: 'percent', message: `use ${next}` }],
    };
  }
  return null;
}

/** A started canary completes only at 100 %. */
export function checkComplete(change: Pick<Change, 'status' | 'canary'>): Refusal | null {
  const illegal = checkChangeTransition(change.status, 'completed');
  if (illegal) return illegal;
  const next = nextCanaryStage(change.canary);
  if (change.canary.length > 0 && next !== null) {
    return {
      reason: 'rule',
      message: `the canary has not reached 100 % (next stage ${next} %); promote it or roll back`,
      details: [{ field: 'canary', message: `next stage is ${next}` }],
    };
  }
  return null;
}

/** Failure rate over finished deploys: (rolled back + failed) / (completed + rolled back + failed). */
export function changeFailureRate(counts: Partial<Record<ChangeStatus, number>>): number | null {
  const bad = (counts['rolled-back'] ?? 0) + (counts.failed ?? 0);
  const total = bad + (counts.completed ?? 0);
  return total === 0 ? null : bad / total;
}
