// Change lifecycle actions: approvals, start (approvals, checklist and the High-risk window),
// complete, roll back, fail, cancel and canary stages. Rules come from common/src/changes/rules.ts.
import type { FastifyInstance } from 'fastify';
import {
  type ApproverRole,
  type Change,
  type ChangeStatus,
  type MaintenanceWindow,
  type Refusal,
  approvalProblem,
  checkCanaryStep,
  checkChangeTransition,
  checkComplete,
  checkStart,
  eligibleWindows,
  highRiskOccurrences,
  missingApprovals,
} from '@opsdeck/common';
import { ApiError, type FieldProblem, conflict, unprocessable } from '../errors';
import type { WriteContext } from '../store/documents';
import { retryOnConflict } from '../incidents/actions';
import type { ChangeMetrics } from './metrics';

export interface GateDecision {
  decision: 'proceed' | 'halt';
  reasons: string[];
}

/** Asks the deploy gate for a service; null when the gate did not answer. */
export type GateAsker = (service: string) => Promise<GateDecision | null>;

/**
 * The stage's decision: a halt from either the gate or the caller (a canary analysis such as
 * Flagger's) halts, with both sides' reasons; with no gate answer the caller's decision stands.
 */
export function combineDecisions(
  gate: GateDecision | null,
  caller: GateDecision | undefined,
): GateDecision | null {
  if (!gate) return caller ?? null;
  if (!caller) return gate;
  const halt = gate.decision === 'halt' || caller.decision === 'halt';
  return {
    decision: halt ? 'halt' : 'proceed',
    reasons: [...gate.reasons.map((r) => `gate: ${r}`), ...caller.reasons],
  };
}

export function refusalError(r: Refusal): ApiError {
  const details: FieldProblem[] = [...(r.details ?? [])];
  if (r.nextSlot !== undefined) {
    details.push({
      field: 'nextAllowedSlot',
      message: r.nextSlot ? `${r.nextSlot.start} – ${r.nextSlot.end}` : 'none scheduled',
      slot: r.nextSlot,
    });
  }
  return r.reason === 'illegal'
    ? conflict('illegal_transition', r.message, details.length ? details : undefined)
    : unprocessable('rule_refused', r.message, details.length ? details : undefined);
}

const FINISH_ACTION: Partial<Record<ChangeStatus, string>> = {
  completed: 'complete',
  'rolled-back': 'rollback',
  failed: 'fail',
  cancelled: 'cancel',
};

export class ChangeActions {
  constructor(
    private readonly app: FastifyInstance,
    private readonly metrics: ChangeMetrics,
    private readonly askGate: GateAsker,
  ) {}

  private get repo() {
    return this.app.repos.changes;
  }

  private async windowsFor(change: Change): Promise<MaintenanceWindow[]> {
    const all = await this.app.repos.maintenanceWindows.all();
    const eligible = eligibleWindows(change, all);
    if (change.maintenanceWindowId && eligible.length === 0) {
      throw unprocessable(
        'rule_refused',
        `maintenance window "${change.maintenanceWindowId}" does not exist or is disabled`,
        [{ field: 'maintenanceWindowId', message: 'name an enabled maintenance window or clear it' }],
      );
    }
    return eligible;
  }

  async approve(
    id: string,
    role: ApproverRole,
    comment: string | undefined,
    ctx: WriteContext,
  ): Promise<Change> {
    return retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        (cur) => {
          if (cur.status !== 'proposed' && cur.status !== 'approved') {
            throw conflict(
              'illegal_transition',
              `approvals are given before work starts; the change is ${cur.status}`,
            );
          }
          const problem = approvalProblem(cur, role, ctx.actor);
          if (problem)
            throw unprocessable('rule_refused', problem, [{ field: 'body.role', message: problem }]);
          const approvals = [
            ...cur.approvals,
            { role, approver: ctx.actor, at: ctx.at.toISOString(), comment: comment ?? null },
          ];
          const complete = missingApprovals({ risk: cur.risk, approvals }).length === 0;
          return { ...cur, approvals, status: complete ? 'approved' : cur.status };
        },
        ctx,
        `approve.${role}`,
      ),
    );
  }

  async start(id: string, ctx: WriteContext): Promise<Change> {
    const before = await this.repo.require(id);
    const occurrences =
      before.risk === 'High' ? highRiskOccurrences(await this.windowsFor(before), ctx.at) : [];
    return retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        (cur) => {
          const refusal = checkStart(cur, occurrences, ctx.at);
          if (refusal) throw refusalError(refusal);
          return { ...cur, status: 'in-progress', startedAt: ctx.at.toISOString() };
        },
        ctx,
        'start',
      ),
    );
  }

  async finish(
    id: string,
    to: 'completed' | 'rolled-back' | 'failed' | 'cancelled',
    reason: string | undefined,
    ctx: WriteContext,
  ): Promise<Change> {
    const updated = await retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        (cur) => {
          const refusal = to === 'completed' ? checkComplete(cur) : checkChangeTransition(cur.status, to);
          if (refusal) throw refusalError(refusal);
          return {
            ...cur,
            status: to,
            finishedAt: ctx.at.toISOString(),
            rollbackReason: to === 'rolled-back' ? (reason ?? null) : cur.rollbackReason,
            outcomeNote: to === 'failed' || to === 'cancelled' ? (reason ?? null) : (cur.outcomeNote ?? null),
          };
        },
        ctx,
        FINISH_ACTION[to],
      ),
    );
    this.metrics.finished(updated);
    return updated;
  }

  /**
   * Records one canary stage with the deploy gate's decision (combined with the caller's, if
   * sent). A halt rolls the change back, as the guide's "auto-rollback on SLO breach" asks.
   */
  async canary(
    id: string,
    percent: number,
    given: GateDecision | undefined,
    ctx: WriteContext,
  ): Promise<Change> {
    const before = await this.repo.require(id);
    const early = checkCanaryStep(before, percent);
    if (early) throw refusalError(early);
    const decision = combineDecisions(await this.askGate(before.service), given);
    if (!decision) {
      throw new ApiError(
        503,
        'upstream_unavailable',
        `the deploy gate for ${before.service} did not answer; retry, or send body.decision with the reasons of your own analysis`,
        [{ field: 'body.decision', message: 'needed while the gate is unavailable' }],
      );
    }
    const updated = await retryOnConflict(() =>
      this.repo.update(
        id,
        undefined,
        (cur) => {
          const refusal = checkCanaryStep(cur, percent);
          if (refusal) throw refusalError(refusal);
          const stage = {
            percent,
            at: ctx.at.toISOString(),
            decision: decision.decision,
            reasons: decision.reasons,
          };
          const next: Change = { ...cur, canary: [...cur.canary, stage] };
          if (decision.decision === 'halt') {
            return {
              ...next,
              status: 'rolled-back',
              finishedAt: ctx.at.toISOString(),
              rollbackReason: `canary halted at ${percent} %: ${decision.reasons.join('; ') || 'gate said halt'}`,
            };
          }
          return next;
        },
        ctx,
        `canary.${percent}`,
      ),
    );
    if (updated.status === 'rolled-back') this.metrics.finished(updated);
    return updated;
  }
}
