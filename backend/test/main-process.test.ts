// The real process: a bad environment stops it with one clear line; SIGTERM drains in-flight requests,
// closes the store and exits 0.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from './support/app';

const MAIN = path.resolve(__dirname, '../dist/main.js');

function startBackend(env: Record<string, string>): {
  child: ChildProcess;
  port: Promise<number>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      OPSDECK_PROVISIONING_DIR: path.resolve(__dirname, '../../provisioning'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, exit };
}

describe('the backend process', () => {
  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://nope'],
    ['OPSDECK_TOKENS', 'alice:superuser:secret-123'],
    ['PROMETHEUS_URL', 'not a url'],
    ['ALERTMANAGER_URLS', 'javascript:alert(1)'],
    ['OPSDECK_INSTANCE_ID', 'prod;window=x'],
  ])('stops with one line naming %s when it is %p', (name, value) => {
    const res = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', [name]: value },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^opsdeck: invalid configuration: ${name}: `));
  });

  it('will not serve an anonymous admin API on a non-loopback HOST: one line naming OPSDECK_TOKENS', () => {
    const res = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', HOST: '0.0.0.0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^opsdeck: invalid configuration: OPSDECK_TOKENS: is empty while HOST=0\.0\.0\.0 /,
      ),
    ]);
  });

  describe('on SIGTERM', () => {
    let database: TestDatabase;
    let slowPrometheus: http.Server;
    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      // A Prometheus stand-in that answers its readiness probe only after a second, so /readyz is in flight.
      slowPrometheus = http.createServer((_req, res) =>
        setTimeout(() => res.end('Prometheus Server is Ready.'), 1000),
      );
      await new Promise<void>((r) => slowPrometheus.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      slowPrometheus.closeAllConnections();
      await new Promise((r) => slowPrometheus.close(r));
      await database.drop();
    });

    it('finishes the request in flight, then exits 0', async () => {
      const promPort = (slowPrometheus.address() as AddressInfo).port;
      const backend = startBackend({
        DATABASE_URL: database.url,
        PROMETHEUS_URL: `http://127.0.0.1:${promPort}`,
      });
      const port = await backend.port;
      const inFlight = fetch(`http://127.0.0.1:${port}/readyz`);
      await new Promise((r) => setTimeout(r, 300));
      backend.child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect((await res.json()).status).toBe('ready');
      expect(await backend.exit).toBe(0);
    });
  });
});
