// Wire schemas of changes: RFC, risk, approvals, pre-deploy checklist, canary stages.
import { z } from 'zod';
import {
  APPROVER_ROLES,
  CHANGE_KINDS,
  CHANGE_STATUSES,
  PRE_DEPLOY_CHECKLIST,
  RISKS,
} from '../changes/matrix';
import {
  ListQueryBase,
  LongText,
  Person,
  ServiceName,
  ShortText,
  Stored,
  Tags,
  Timestamp,
  Url,
  VersionField,
} from './primitives';

export const ChangeKind = z.enum(CHANGE_KINDS);
export const Risk = z.enum(RISKS);
export const ChangeStatus = z.enum(CHANGE_STATUSES);
export const ApproverRole = z.enum(APPROVER_ROLES);
export type ChangeKind = z.infer<typeof ChangeKind>;
export type Risk = z.infer<typeof Risk>;
export type ChangeStatus = z.infer<typeof ChangeStatus>;
export type ApproverRole = z.infer<typeof ApproverRole>;

export const Approval = z.object({
  role: ApproverRole,
  approver: z.string(),
  at: Timestamp,
  comment: z.string().nullable(),
});
export type Approval = z.infer<typeof Approval>;
export const ApprovalCreate = z.strictObject({
  role: ApproverRole,
  comment: z.string().max(2000).optional(),
});

export const PreDeployChecklist = z.partialRecord(
  z.enum(PRE_DEPLOY_CHECKLIST.map((i) => i.id) as [string, ...string[]]),
  z.boolean(),
);

export const CanaryStage = z.object({
  percent: z.number().int().min(0).max(100),
  at: Timestamp,
  decision: z.enum(['proceed', 'halt']),
  reasons: z.array(z.string()),
});
export type CanaryStage = z.infer<typeof CanaryStage>;

const ChangeFields = {
  title: ShortText,
  description: LongText,
  kind: ChangeKind,
  risk: Risk,
  service: ServiceName,
  rfcUrl: Url.nullable(),
  owner: Person,
  tags: Tags,
  checklist: PreDeployChecklist,
  rollbackPlan: z.string().max(10_000),
  plannedStart: Timestamp.nullable(),
  plannedEnd: Timestamp.nullable(),
  maintenanceWindowId: z.string().max(100).nullable(),
  externalId: z.string().max(200).nullable().describe('id in the deploy tool (CI run, Argo CD revision)'),
};

export const ChangeCreate = z.strictObject({
  ...ChangeFields,
  description: ChangeFields.description.default(''),
  rfcUrl: ChangeFields.rfcUrl.default(null),
  owner: ChangeFields.owner.optional().describe('defaults to the caller'),
  tags: ChangeFields.tags.default([]),
  checklist: ChangeFields.checklist.default({}),
  rollbackPlan: ChangeFields.rollbackPlan.default(''),
  plannedStart: ChangeFields.plannedStart.default(null),
  plannedEnd: ChangeFields.plannedEnd.default(null),
  maintenanceWindowId: ChangeFields.maintenanceWindowId.default(null),
  externalId: ChangeFields.externalId.default(null),
});
export type ChangeCreate = z.input<typeof ChangeCreate>;

export const ChangeUpdate = z.strictObject(ChangeFields).partial().extend(VersionField);
export type ChangeUpdate = z.infer<typeof ChangeUpdate>;

export const Change = z.object({
  ...Stored,
  title: z.string(),
  description: z.string(),
  kind: ChangeKind,
  risk: Risk,
  service: z.string(),
  rfcUrl: z.string().nullable(),
  owner: z.string(),
  tags: z.array(z.string()),
  checklist: PreDeployChecklist,
  rollbackPlan: z.string(),
  plannedStart: Timestamp.nullable(),
  plannedEnd: Timestamp.nullable(),
  maintenanceWindowId: z.string().nullable(),
  externalId: z.string().nullable(),
  status: ChangeStatus,
  approvals: z.array(Approval),
  canary: z.array(CanaryStage),
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  rollbackReason: z.string().nullable(),
  outcomeNote: z.string().nullable().optional().describe('why the change failed or was cancelled'),
});
export type Change = z.infer<typeof Change>;

export const ChangeListQuery = z.strictObject({
  ...ListQueryBase,
  status: ChangeStatus.optional(),
  risk: Risk.optional(),
  kind: ChangeKind.optional(),
});
export type ChangeListQuery = z.infer<typeof ChangeListQuery>;
