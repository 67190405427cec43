// SLO definition CRUD. Status, budgets, rules and imports live in backend/src/slo/.
import type { FastifyPluginAsync } from 'fastify';
import { Slo, SloCreate, SloListQuery, SloUpdate, groupByLabelsClash } from '@opsdeck/common';
import { badRequest } from '../errors';
import { registerCrud } from '../http/crud';
import { mergePatch } from '../http/merge-patch';

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
    apply: (current, patch) => {
      const next = mergePatch(current, patch);
      // each field is checked alone by SloUpdate; grouping against labels needs both after the merge
      const clash = groupByLabelsClash(next);
      if (clash) throw badRequest('body.groupBy', clash);
      return next;
    },
    filter: (q) => ({ eq: { service: q.service } }),
  });
};
