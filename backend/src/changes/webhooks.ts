// One-call deploy recording for CI/CD (generic) and Argo CD notifications. A webhook records what
// the deploy tool did: the same run (or app revision) always maps to the same change, so repeated
// and out-of-order deliveries update one record. Deploy tools ask GET /gates/:service before
// promoting; these endpoints do not gate.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Change,
  ChangeKind,
  ErrorBody,
  Risk,
  ServiceName,
  Tags,
  Timestamp,
  Url,
  isFinishedChange,
  type ChangeStatus,
} from '@opsdeck/common';
import { conflict } from '../errors';
import type { WriteContext } from '../store/documents';
import { retryOnConflict } from '../incidents/actions';
import { errorResponses, writeContext } from '../http/crud';

const tags = ['webhooks'];

const DEPLOY_STATUS: Record<string, ChangeStatus> = {
  started: 'in-progress',
  succeeded: 'completed',
  failed: 'failed',
  'rolled-back': 'rolled-back',
  cancelled: 'cancelled',
};

export const DeployWebhook = z.strictObject({
  service: ServiceName,
  version: z.string().trim().min(1).max(200),
  status: z.enum(['started', 'succeeded', 'failed', 'rolled-back', 'cancelled']),
  id: z.string().trim().min(1).max(200).optional().describe('the CI run id; defaults to service@version'),
  title: z.string().trim().min(1).max(200).optional(),
  environment: z.string().max(64).optional(),
  kind: ChangeKind.default('deploy'),
  risk: Risk.default('Low'),
  url: Url.optional().describe('link to the run; stored as the RFC link'),
  tags: Tags.default([]),
  at: Timestamp.optional().describe('when it happened; defaults to now'),
  reason: z.string().max(2000).optional().describe('why it failed or was rolled back'),
});

const ARGO_PHASE: Record<string, ChangeStatus> = {
  Running: 'in-progress',
  Succeeded: 'completed',
  Failed: 'failed',
  Error: 'failed',
  Terminating: 'cancelled',
};

/** The full Application object, as `{"app": {{toJson .app}}}` in a notifications template sends it. */
const ArgoApplication = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: z.string().optional() }),
  spec: z.looseObject({ source: z.looseObject({ repoURL: z.string().optional() }).optional() }).optional(),
  status: z.looseObject({
    sync: z.looseObject({ revision: z.string().optional() }).optional(),
    operationState: z
      .looseObject({
        phase: z.string().optional(),
        startedAt: z.string().optional(),
        finishedAt: z.string().optional(),
        message: z.string().optional(),
      })
      .optional(),
  }),
});

export const ArgoCdWebhook = z.looseObject({
  app: z
    .union([z.string().min(1).max(200), ArgoApplication])
    .describe('application name, or the whole Application object'),
  revision: z.string().max(200).optional(),
  phase: z.enum(['Running', 'Succeeded', 'Failed', 'Error', 'Terminating']).optional(),
  service: ServiceName.optional().describe('defaults to the application name'),
  risk: Risk.default('Low'),
  url: Url.optional(),
  message: z.string().max(2000).optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});

interface Recorded {
  source: 'ci' | 'argocd';
  externalId: string;
  service: string;
  title: string;
  kind: Change['kind'];
  risk: Change['risk'];
  status: ChangeStatus;
  rfcUrl: string | null;
  tags: string[];
  at: Date;
  reason?: string;
}

const changeIdFor = (source: string, externalId: string) =>
  `${source}-${createHash('sha256').update(`${source}\n${externalId}`).digest('hex').slice(0, 24)}`;

const validDate = (s: string | undefined): Date | undefined => {
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) || d.getTime() <= 0 ? undefined : d;
};

export const webhookRoutes: FastifyPluginAsync = async (fastify) => {
  const repo = fastify.repos.changes;

  async function record(r: Recorded, ctx: WriteContext): Promise<{ change: Change; created: boolean }> {
    const id = changeIdFor(r.source, r.externalId);
    const at = r.at.toISOString();
    const finished = isFinishedChange(r.status);
    return retryOnConflict(async () => {
      const existing = await repo.get(id);
      if (!existing) {
        const change = await repo
          .insert(
            {
              id,
              title: r.title,
              description: '',
              kind: r.kind,
              risk: r.risk,
              service: r.service,
              rfcUrl: r.rfcUrl,
              owner: ctx.actor,
              tags: [...new Set([...r.tags, `source:${r.source}`])],
              checklist: {},
              rollbackPlan: '',
              plannedStart: null,
              plannedEnd: null,
              maintenanceWindowId: null,
              externalId: r.externalId,
              status: r.status,
              approvals: [],
              canary: [],
              startedAt: at,
              finishedAt: finished ? at : null,
              rollbackReason: r.status === 'rolled-back' ? (r.reason ?? null) : null,
              outcomeNote: r.status === 'failed' || r.status === 'cancelled' ? (r.reason ?? null) : null,
            },
            ctx,
          )
          .catch((err: unknown) => {
            // A concurrent delivery created it first: go round again and update that one.
            if ((err as { code?: string }).code === 'already_exists')
              throw conflict('version_conflict', 'created concurrently');
            throw err;
          });
        return { change, created: true };
      }
      // Redeliveries and a late "started" after the outcome change nothing and write nothing.
      if (existing.status === r.status || (isFinishedChange(existing.status) && r.status === 'in-progress')) {
        return { change: existing, created: false };
      }
      const change = await repo.update(
        id,
        undefined,
        (cur) => {
          if (cur.status === r.status) return cur;
          if (isFinishedChange(cur.status)) {
            if (r.status === 'in-progress') return cur;
            throw conflict(
              'illegal_transition',
              `the deploy ${r.externalId} was already recorded as ${cur.status}; it cannot become ${r.status}`,
            );
          }
          return {
            ...cur,
            status: r.status,
            finishedAt: finished ? at : null,
            rollbackReason: r.status === 'rolled-back' ? (r.reason ?? null) : cur.rollbackReason,
            outcomeNote:
              r.status === 'failed' || r.status === 'cancelled'
                ? (r.reason ?? null)
                : (cur.outcomeNote ?? null),
          };
        },
        ctx,
        `webhook.${r.status}`,
      );
      return { change, created: false };
    });
  }

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const responses = { 200: Change, 201: Change, ...errorResponses, 409: ErrorBody };

  app.post(
    '/api/v1/webhooks/deploy',
    {
      schema: {
        tags,
        summary:
          'Record a deploy from CI/CD in one call (started, succeeded, failed, rolled-back, cancelled)',
        body: DeployWebhook,
        response: responses,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const ctx = writeContext(request);
      const { change, created } = await record(
        {
          source: 'ci',
          externalId: b.id ?? `${b.service}@${b.version}`,
          service: b.service,
          title: b.title ?? `Deploy ${b.service} ${b.version}${b.environment ? ` to ${b.environment}` : ''}`,
          kind: b.kind,
          risk: b.risk,
          status: DEPLOY_STATUS[b.status] as ChangeStatus,
          rfcUrl: b.url ?? null,
          tags: [...b.tags, `version:${b.version}`, ...(b.environment ? [`env:${b.environment}`] : [])],
          at: b.at ? new Date(b.at) : ctx.at,
          reason: b.reason,
        },
        ctx,
      );
      return reply.status(created ? 201 : 200).send(change);
    },
  );

  app.post(
    '/api/v1/webhooks/argocd',
    {
      schema: {
        tags,
        summary:
          'Record an Argo CD sync from a notifications webhook (see docs/incidents-and-changes.md for the template)',
        body: ArgoCdWebhook,
        response: responses,
      },
    },
    async (request, reply) => {
      const b = request.body;
      const full = typeof b.app === 'string' ? null : b.app;
      const name = typeof b.app === 'string' ? b.app : b.app.metadata.name;
      const op = full?.status.operationState;
      const revision = b.revision ?? full?.status.sync?.revision ?? 'unknown';
      const phase = b.phase ?? op?.phase;
      const status = phase ? ARGO_PHASE[phase] : undefined;
      if (!status) {
        return reply.status(400).send({
          error: 'validation_failed',
          message: 'body.phase: send the operation phase (Running, Succeeded, Failed, Error or Terminating)',
          details: [{ field: 'body.phase', message: 'is required' }],
        });
      }
      const service = b.service ?? name;
      const parsedService = ServiceName.safeParse(service);
      if (!parsedService.success) {
        return reply.status(400).send({
          error: 'validation_failed',
          message: `body.service: "${service}" is not a service name; set service in the template`,
          details: [{ field: 'body.service', message: 'letters, digits, ".", "_", ":", "/" and "-"' }],
        });
      }
      const ctx = writeContext(request);
      const when =
        status === 'in-progress' ? (b.startedAt ?? op?.startedAt) : (b.finishedAt ?? op?.finishedAt);
      const { change, created } = await record(
        {
          source: 'argocd',
          externalId: `${name}@${revision}`,
          service,
          title: `Argo CD sync ${name} to ${revision.slice(0, 12)}`,
          kind: 'deploy',
          risk: b.risk,
          status,
          rfcUrl: b.url ?? null,
          tags: [`argocd:${name}`, `revision:${revision.slice(0, 40)}`],
          at: validDate(when) ?? ctx.at,
          reason: b.message ?? op?.message,
        },
        ctx,
      );
      return reply.status(created ? 201 : 200).send(change);
    },
  );
};
