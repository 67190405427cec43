// What buildApp decorates onto the Fastify instance, visible to every plugin.
import type { Registry } from 'prom-client';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Store } from './store/db';
import type { Repositories } from './store/repositories';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: Store;
    repos: Repositories;
    clock: Clock;
    /** The app's own prom-client registry, so several apps in one process never share metrics. */
    metrics: Registry;
  }
}
