// The escalation pusher as a Fastify plugin: built from the app's config, store and clock, cycling
// while the app is up when ALERTMANAGER_URLS names any Alertmanager (Grafana's takes no pushed alerts).
import fp from 'fastify-plugin';
import '../decorations';
import { appUrlOf } from '../config';
import { configuredTargets } from '../silencer/alertmanager-client';
import { EscalationPusher } from './pusher';

declare module 'fastify' {
  interface FastifyInstance {
    escalation: EscalationPusher;
  }
}

export const escalationPlugin = fp(
  async (app) => {
    const { config } = app;
    const pusher = new EscalationPusher({
      store: app.store,
      incidents: app.repos.incidents,
      clock: app.clock,
      targets: configuredTargets(config).filter((t) => config.ALERTMANAGER_URLS.includes(t.name)),
      intervalMs: config.ESCALATION_INTERVAL_SECONDS * 1000,
      requestTimeoutMs: config.ALERTMANAGER_TIMEOUT_MS,
      ladder: config.ESCALATION_LADDER_MINUTES,
      appUrl: appUrlOf(config),
      registry: app.metrics,
      log: app.log,
    });
    app.decorate('escalation', pusher);
    if (pusher.targets.length > 0) app.addHook('onReady', async () => pusher.start());
    app.addHook('onClose', async () => pusher.stop());
  },
  { name: 'opsdeck-escalation' },
);
