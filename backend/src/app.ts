// Builds the opsdeck Fastify app from its dependencies without listening; main.ts listens, tests inject.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import './decorations';
import { annotationRoutes } from './annotations/routes';
import { authPlugin } from './auth/plugin';
import { exclusionsPlugin } from './exclusions/plugin';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { Config } from './config';
import { installErrorHandler } from './errors';
import { escalationPlugin } from './escalation/plugin';
import { alertmanagerWebhookPlugin } from './integrations/alertmanager/plugin';
import { metricsPlugin } from './metrics/plugin';
import { openapiPlugin } from './openapi/plugin';
import { auditRoutes } from './routes/audit';
import { changeRoutes } from './routes/changes';
import { healthRoutes } from './routes/health';
import { incidentRoutes } from './routes/incidents';
import { maintenanceWindowRoutes } from './routes/maintenance-windows';
import { queryRoutes } from './routes/query';
import { runbookRoutes, runbookSearchRoute } from './routes/runbooks';
import { securityHeadersPlugin } from './security/headers';
import { nulCharactersPlugin } from './security/nul-characters';
import { rateLimitPlugin } from './security/rate-limit';
import { sloRoutes } from './routes/slos';
import { silencerPlugin } from './silencer/plugin';
import { sloImportRoutes } from './slo/import-routes';
import { sloRulesRoutes } from './slo/rules-routes';
import { sloStatusRoutes } from './slo/routes';
import { gateRoutes } from './gates/routes';
import { reportsPlugin } from './reports/plugin';
import { tokenRoutes } from './routes/tokens';
import type { Store } from './store/db';
import { createRepositories } from './store/repositories';

export interface AppDeps {
  config: Config;
  store: Store;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Let in-flight requests finish on close, but do not wait on idle keep-alive sockets.
    forceCloseConnections: 'idle',
    ajv: undefined,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  app.decorate('config', deps.config);
  app.decorate('store', deps.store);
  app.decorate('repos', createRepositories(deps.store));
  app.decorate('clock', deps.clock ?? systemClock);
  app.decorate('metrics', new Registry());

  await app.register(securityHeadersPlugin);
  await app.register(openapiPlugin);
  await app.register(authPlugin, { tokens: deps.config.OPSDECK_TOKENS });
  await app.register(rateLimitPlugin);
  await app.register(nulCharactersPlugin);
  await app.register(metricsPlugin);
  await app.register(healthRoutes);

  // Capabilities: one line each.
  await app.register(sloRoutes);
  await app.register(sloRulesRoutes);
  await app.register(sloImportRoutes);
  await app.register(silencerPlugin);
  await app.register(exclusionsPlugin);
  await app.register(sloStatusRoutes);
  await app.register(gateRoutes);
  await app.register(reportsPlugin);
  await app.register(incidentRoutes);
  await app.register(alertmanagerWebhookPlugin);
  await app.register(changeRoutes);
  await app.register(annotationRoutes);
  await app.register(escalationPlugin);
  await app.register(maintenanceWindowRoutes);
  await app.register(runbookRoutes);
  await app.register(runbookSearchRoute);
  await app.register(auditRoutes);
  await app.register(tokenRoutes);
  await app.register(queryRoutes);

  return app;
}
