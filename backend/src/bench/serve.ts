// Child process of the list benchmark: the opsdeck app on a given SQLite file and a bare Fastify route
// returning a constant, both on loopback; prints their ports as one JSON line.
import Fastify from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { openStore } from '../store/db';

export const BENCH_TOKEN = 'bench-viewer-secret';

async function main(): Promise<void> {
  const dbUrl = process.argv[2];
  if (!dbUrl) throw new Error('usage: serve.js sqlite:PATH');
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    OPSDECK_TOKENS: `bench:viewer:${BENCH_TOKEN}`,
    LOG_LEVEL: 'silent',
    // A load generator is one token far over any per-minute budget; the benchmark measures the routes.
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const store = await openStore(config.DATABASE_URL);
  const app = await buildApp({ config, store });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const bare = Fastify();
  bare.get('/bare', async () => ({ items: [], nextCursor: null }));
  // The same kind of constant, but as many bytes as a list answer: what sending the answer alone costs.
  let constant = '';
  bare.put('/constant', async (request) => {
    constant = JSON.stringify(request.body);
    return { bytes: constant.length };
  });
  bare.get('/constant', async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(constant),
  );
  await bare.listen({ port: 0, host: '127.0.0.1' });

  const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
  process.stdout.write(JSON.stringify({ app: port(app), bare: port(bare) }) + '\n');
  process.on(
    'SIGTERM',
    () =>
      void Promise.all([app.close(), bare.close()])
        .then(() => store.close())
        .then(() => process.exit(0)),
  );
}

if (require.main === module) void main();
