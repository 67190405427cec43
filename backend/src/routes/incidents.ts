// Incident CRUD. Lifecycle actions, timeline, postmortems and computed flags build on this.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Incident, IncidentCreate, IncidentListQuery, IncidentUpdate } from '@opsdeck/common';
import { registerCrud } from './crud';
import { mergePatch } from './merge-patch';

export const incidentRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: 'incidents',
    noun: 'incident',
    item: Incident,
    create: IncidentCreate,
    update: IncidentUpdate,
    listQuery: IncidentListQuery,
    repo: (a) => a.repos.incidents,
    build: (input, ctx) => ({
      ...input,
      id: randomUUID(),
      startedAt: input.startedAt ?? ctx.at.toISOString(),
      detectedAt: input.detectedAt ?? null,
      acknowledgedAt: input.acknowledgedAt ?? null,
      mitigatedAt: input.mitigatedAt ?? null,
      resolvedAt: input.status === 'resolved' ? ctx.at.toISOString() : null,
    }),
    apply: (current, patch, ctx) => {
      const next = mergePatch(current, patch);
      if (next.status === 'resolved' && !next.resolvedAt) next.resolvedAt = ctx.at.toISOString();
      if (next.status !== 'resolved' && patch.status) next.resolvedAt = null;
      return next;
    },
    filter: (q) => ({
      eq: { service: q.service, severity: q.severity, status: q.status === 'open' ? undefined : q.status },
      ne: { status: q.status === 'open' ? 'resolved' : undefined },
    }),
  });
};
