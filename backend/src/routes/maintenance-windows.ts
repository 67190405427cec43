// Maintenance-window CRUD. Occurrences, silences, end-early and extend build on this.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  MaintenanceWindow,
  MaintenanceWindowCreate,
  MaintenanceWindowListQuery,
  MaintenanceWindowUpdate,
  Slug,
} from '@opsdeck/common';
import { registerCrud } from './crud';
import { mergePatch } from './merge-patch';

const WindowCreateBody = MaintenanceWindowCreate.extend({ id: Slug.optional() });

export const maintenanceWindowRoutes: FastifyPluginAsync = async (app) => {
  registerCrud(app, {
    path: 'maintenance-windows',
    noun: 'maintenance window',
    item: MaintenanceWindow,
    create: WindowCreateBody,
    update: MaintenanceWindowUpdate,
    listQuery: MaintenanceWindowListQuery,
    repo: (a) => a.repos.maintenanceWindows,
    build: (input: z.output<typeof WindowCreateBody>) => ({
      ...input,
      id: input.id ?? randomUUID(),
      source: 'api' as const,
    }),
    apply: (current, patch) => mergePatch(current, patch),
    filter: (q) => ({
      eq: { service: q.service, enabled: q.enabled === undefined ? undefined : q.enabled === 'true' ? 1 : 0 },
    }),
  });
};
