#!/usr/bin/env node
// Starts the opsdeck backend: reads the environment, opens the store, loads provisioning, listens.
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { loadProvisioning } from './provisioning/loader';
import { openStore } from './store/db';

async function main(): Promise<void> {
  const config = loadConfig();
  // Until the app's logger exists, a lost PostgreSQL connection is told on stderr.
  let connectionLost = (err: Error): unknown =>
    process.stderr.write(`store: connection lost: ${err.message}\n`);
  const store = await openStore(config.DATABASE_URL, { onConnectionError: (err) => connectionLost(err) });
  const app = await buildApp({
    config,
    store,
    logger: {
      level: config.LOG_LEVEL,
      // Plain process.stdout writes each line as it happens (pino's default destination may buffer).
      stream: process.stdout,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    },
  });
  app.addHook('onClose', async () => store.close());
  connectionLost = (err) =>
    app.log.warn({ err: err.message }, 'store: PostgreSQL ended an idle connection; reconnecting on demand');

  const provisioned = await loadProvisioning(app, config.OPSDECK_PROVISIONING_DIR);
  for (const p of provisioned.problems)
    app.log.error({ file: p.file, line: p.line }, `provisioning: ${p.file}:${p.line}: ${p.message}`);
  app.log.info(
    {
      created: provisioned.created.length,
      updated: provisioned.updated.length,
      unchanged: provisioned.unchanged.length,
      problems: provisioned.problems.length,
    },
    `provisioning loaded from ${config.OPSDECK_PROVISIONING_DIR}`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: draining requests and closing the store`);
    // Connections busy at close become idle once their answer is sent; keep-alive would hold them open.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.PORT, host: config.HOST });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`opsdeck: ${err.message}\n`);
  } else {
    process.stderr.write(`opsdeck: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
