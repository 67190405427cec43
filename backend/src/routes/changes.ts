// Changes: CRUD and the lifecycle as explicit actions (approve, start, complete, rollback, fail,
// cancel, canary). Illegal moves answer 409; rule refusals (approvals, checklist, window) 422.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApprovalCreate,
  CANARY_STAGES,
  Change,
  ChangeCreate,
  ChangeListQuery,
  ChangeUpdate,
  ErrorBody,
  PRE_DEPLOY_CHECKLIST,
  eligibleWindows,
  highRiskOccurrences,
  isFinishedChange,
  missingApprovals,
  missingChecklist,
  nextAllowedSlot,
  nextCanaryStage,
} from '@opsdeck/common';
import { ChangeActions, type GateAsker } from '../changes/actions';
import { registerChangeMetrics } from '../changes/metrics';
import { webhookRoutes } from '../changes/webhooks';
import { conflict } from '../errors';
import type { DeployGate } from '../gates/routes';
import { IdParams, errorResponses, registerCrud, writeContext } from '../http/crud';
import { mergePatch } from '../http/merge-patch';

const tags = ['changes'];
const actionErrors = { ...errorResponses, 409: ErrorBody, 422: ErrorBody };

const ReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
const OptionalReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
const CanaryBody = z.strictObject({
  percent: z
    .number()
    .int()
    .describe(`one of ${CANARY_STAGES.join(', ')}, in order`),
  decision: z
    .enum(['proceed', 'halt'])
    .optional()
    .describe('your own analysis; a halt from it or from the deploy gate halts'),
  reasons: z.array(z.string().max(500)).max(20).default([]),
});

const Readiness = z.object({
  status: z.string(),
  missingApprovals: z.array(z.string()),
  missingChecklist: z.array(z.object({ id: z.string(), text: z.string() })),
  windowRequired: z.boolean(),
  nextAllowedSlot: z
    .object({ start: z.string(), end: z.string(), windowId: z.string().optional() })
    .nullable(),
  nextCanaryStage: z.number().nullable(),
});

/**
 * Asks the deploy gate (backend/src/gates/) as a function, so the canary stage gets the answer a
 * deploy tool would get from GET /api/v1/gates/:service; a gate failure (e.g. Prometheus down) is null.
 */
function gateFor(gate: DeployGate, request: FastifyRequest): GateAsker {
  return async (service) => {
    try {
      const answer = await gate.decide(service);
      return { decision: answer.decision, reasons: answer.reasons.map((r) => r.message) };
    } catch (err) {
      request.log.warn({ err, service }, 'deploy gate did not answer');
      return null;
    }
  };
}

export const changeRoutes: FastifyPluginAsync = async (fastify) => {
  const metrics = registerChangeMetrics(fastify.metrics, fastify.store, fastify.clock);
  if (!fastify.hasDecorator('deployGate')) throw new Error('register the deploy gate before the changes');
  const actions = (request: FastifyRequest) =>
    new ChangeActions(fastify, metrics, gateFor(fastify.deployGate, request));

  registerCrud(fastify, {
    path: 'changes',
    noun: 'change',
    item: Change,
    create: ChangeCreate,
    update: ChangeUpdate,
    listQuery: ChangeListQuery,
    repo: (a) => a.repos.changes,
    build: (input, ctx) => ({
      ...input,
      id: randomUUID(),
      owner: input.owner ?? ctx.actor,
      status: 'proposed' as const,
      approvals: [],
      canary: [],
      startedAt: null,
      finishedAt: null,
      rollbackReason: null,
    }),
    // A finished change is a record; editing risk or owner after approval would void approvals,
    // so those edits reset it to proposed with no approvals.
    apply: (current, patch) => {
      if (isFinishedChange(current.status)) {
        throw conflict(
          'illegal_transition',
          `the change is ${current.status}; finished changes are kept as they were`,
        );
      }
      const next = mergePatch(current, patch);
      const voids =
        (patch.risk !== undefined && patch.risk !== current.risk) ||
        (patch.owner !== undefined && patch.owner !== current.owner);
      if (voids && current.status !== 'in-progress')
        return { ...next, approvals: [], status: 'proposed' as const };
      return next;
    },
    filter: (q) => ({ eq: { service: q.service, status: q.status, risk: q.risk, kind: q.kind } }),
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const base = '/api/v1/changes/:id';

  app.get(
    `${base}/readiness`,
    {
      schema: {
        tags,
        summary: 'What still blocks the start: approvals, checklist, the next allowed slot',
        params: IdParams,
        response: { 200: Readiness, ...errorResponses },
      },
    },
    async (request) => {
      const change = await fastify.repos.changes.require(request.params.id);
      const now = fastify.clock.now();
      const windowRequired = change.risk === 'High';
      const windows = windowRequired
        ? eligibleWindows(change, await fastify.repos.maintenanceWindows.all())
        : [];
      return {
        status: change.status,
        missingApprovals: missingApprovals(change),
        missingChecklist: missingChecklist(change).map((id) => ({
          id,
          text: PRE_DEPLOY_CHECKLIST.find((i) => i.id === id)?.text ?? id,
        })),
        windowRequired,
        nextAllowedSlot: windowRequired ? nextAllowedSlot(highRiskOccurrences(windows, now), now) : null,
        nextCanaryStage: nextCanaryStage(change.canary),
      };
    },
  );

  app.post(
    `${base}/approvals`,
    {
      schema: {
        tags,
        summary:
          'Approve in a role: Low needs self, Med peer + on-call, High EM + on-call; the last one approves the change',
        params: IdParams,
        body: ApprovalCreate,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) =>
      actions(request).approve(
        request.params.id,
        request.body.role,
        request.body.comment,
        writeContext(request),
      ),
  );

  app.post(
    `${base}/start`,
    {
      schema: {
        tags,
        summary:
          'Start: needs every approval and checklist item, and for High risk an open maintenance window',
        params: IdParams,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) => actions(request).start(request.params.id, writeContext(request)),
  );

  app.post(
    `${base}/complete`,
    {
      schema: {
        tags,
        summary: 'Complete an in-progress change (a started canary must reach 100 %)',
        params: IdParams,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) =>
      actions(request).finish(request.params.id, 'completed', undefined, writeContext(request)),
  );

  app.post(
    `${base}/rollback`,
    {
      schema: {
        tags,
        summary: 'Record a rollback with its reason',
        params: IdParams,
        body: ReasonBody,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) =>
      actions(request).finish(request.params.id, 'rolled-back', request.body.reason, writeContext(request)),
  );

  app.post(
    `${base}/fail`,
    {
      schema: {
        tags,
        summary: 'Record a failed change',
        params: IdParams,
        body: OptionalReasonBody,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) =>
      actions(request).finish(request.params.id, 'failed', request.body.reason, writeContext(request)),
  );

  app.post(
    `${base}/cancel`,
    {
      schema: {
        tags,
        summary: 'Cancel a change before it starts',
        params: IdParams,
        body: OptionalReasonBody,
        response: { 200: Change, ...actionErrors },
      },
    },
    async (request) =>
      actions(request).finish(request.params.id, 'cancelled', request.body.reason, writeContext(request)),
  );

  app.post(
    `${base}/canary`,
    {
      schema: {
        tags,
        summary: `Run the next canary stage (${CANARY_STAGES.join(' → ')} %) and record the gate decision; a halt rolls back`,
        params: IdParams,
        body: CanaryBody,
        response: { 200: Change, ...actionErrors, 503: ErrorBody },
      },
    },
    async (request) => {
      const { percent, decision, reasons } = request.body;
      return actions(request).canary(
        request.params.id,
        percent,
        decision ? { decision, reasons } : undefined,
        writeContext(request),
      );
    },
  );

  await fastify.register(webhookRoutes);
};
