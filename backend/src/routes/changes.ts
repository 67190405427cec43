// Change CRUD. Approvals, the checklist gate, windows and canary stages build on this.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Change, ChangeCreate, ChangeListQuery, ChangeUpdate } from '@opsdeck/common';
import { registerCrud } from './crud';
import { mergePatch } from './merge-patch';

export const changeRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
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
    apply: (current, patch) => mergePatch(current, patch),
    filter: (q) => ({ eq: { service: q.service, status: q.status, risk: q.risk, kind: q.kind } }),
  });
};
