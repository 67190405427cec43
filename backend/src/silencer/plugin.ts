// The silencer as a Fastify plugin: built from the app's config, store and clock, cycling while
// the app is up (started on ready, stopped and drained on close) when any target is configured.
import fp from 'fastify-plugin';
import '../decorations';
import { configuredTargets } from './alertmanager-client';
import { Silencer } from './silencer';

declare module 'fastify' {
  interface FastifyInstance {
    silencer: Silencer;
  }
}

export const silencerPlugin = fp(
  async (app) => {
    const { config } = app;
    const silencer = new Silencer({
      store: app.store,
      listWindows: () => app.repos.maintenanceWindows.all(),
      clock: app.clock,
      targets: configuredTargets(config),
      intervalMs: config.SILENCER_INTERVAL_SECONDS * 1000,
      lookAheadMs: config.SILENCER_LOOKAHEAD_MINUTES * 60_000,
      requestTimeoutMs: config.ALERTMANAGER_TIMEOUT_MS,
      instanceId: config.OPSDECK_INSTANCE_ID,
      registry: app.metrics,
      log: app.log,
    });
    app.decorate('silencer', silencer);
    if (silencer.targets.length > 0) {
      app.addHook('onReady', async () => silencer.start());
    }
    app.addHook('onClose', async () => silencer.stop());
  },
  { name: 'opsdeck-silencer' },
);
