// SLO definition CRUD. Status, budgets, rules and imports live in backend/src/slo/.
import type { FastifyPluginAsync } from 'fastify';
import { Slo, SloCreate, SloListQuery, SloUpdate } from '@opsdeck/common';
import { registerCrud } from './crud';
import { mergePatch } from './merge-patch';

export const sloRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: 'slos',
    noun: 'SLO',
    item: Slo,
    create: SloCreate,
    update: SloUpdate,
    listQuery: SloListQuery,
    repo: (a) => a.repos.slos,
    build: (input) => ({ ...input, source: 'api' as const }),
    apply: (current, patch) => mergePatch(current, patch),
    filter: (q) => ({ eq: { service: q.service } }),
  });
};
