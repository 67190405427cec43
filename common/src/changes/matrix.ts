// The guide's change-management vocabulary: kinds, risk levels, approvals, checklist, canary stages.

export const CHANGE_KINDS = ['deploy', 'config', 'infra', 'migration', 'flag'] as const;

export const RISKS = ['Low', 'Med', 'High'] as const;
type Risk = (typeof RISKS)[number];

export const APPROVER_ROLES = ['self', 'peer', 'oncall', 'em'] as const;
type ApproverRole = (typeof APPROVER_ROLES)[number];

/** Approvals: Low (self), Med (peer + on-call), High (EM + on-call). */
export const APPROVAL_MATRIX: Readonly<Record<Risk, readonly ApproverRole[]>> = {
  Low: ['self'],
  Med: ['peer', 'oncall'],
  High: ['em', 'oncall'],
};

export const PRE_DEPLOY_CHECKLIST = [
  { id: 'tests-green', text: 'Tests green' },
  { id: 'health-checks', text: 'Health checks in place' },
  { id: 'backups', text: 'Backups / snapshots taken' },
  { id: 'comms-drafted', text: 'Comms drafted' },
  { id: 'rollback-plan', text: 'Rollback plan written' },
] as const;
export type PreDeployItemId = (typeof PRE_DEPLOY_CHECKLIST)[number]['id'];

export const CHANGE_STATUSES = [
  'proposed',
  'approved',
  'in-progress',
  'completed',
  'rolled-back',
  'failed',
  'cancelled',
] as const;

export const CANARY_STAGES = [5, 25, 50, 100] as const;

/** High-risk changes run only inside a maintenance window; this is the guide's default. */
export const DEFAULT_HIGH_RISK_WINDOW = {
  days: ['TU', 'TH'] as const,
  startTime: '02:00',
  durationMinutes: 120,
  timeZone: 'UTC',
};
