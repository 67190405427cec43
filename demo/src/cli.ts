#!/usr/bin/env node
// The demo's command line: `serve` runs the traffic; `inject`, `status` and `clear` drive faults on a
// running demo over HTTP, so a user can burn an error budget and make a page fire on purpose.
import { parseArgs } from 'node:util';
import { seededRandom } from './clock';
import { DemoEnv, startDemo } from './server';

const USAGE = `usage: opsdeck-demo <command> [options]
  serve   [--port 9464] [--host 127.0.0.1] [--tick-ms 1000] [--seed N]
  inject  [--service api] [--error-rate 0.2] [--latency 300ms] [--for 10m] [--url URL]
  status  [--url URL]
  clear   [--service api] [--url URL]
URL defaults to $DEMO_URL or http://127.0.0.1:9464; durations take ms, s, m, h or d.`;

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `250ms`, `30s`, `10m`, `1h`, `2d` (a bare number is seconds) into seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration; use e.g. 30s, 10m, 1h`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1);
}

export interface CliIo {
  fetch: typeof fetch;
  out: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

const OPTIONS = {
  url: { type: 'string' },
  service: { type: 'string' },
  'error-rate': { type: 'string' },
  latency: { type: 'string' },
  for: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'tick-ms': { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function call(io: CliIo, method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await io.fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await res.json()) as { message?: string; details?: { field: string; message: string }[] };
  if (!res.ok) {
    const details = (payload.details ?? []).map((d) => ` ${d.field}: ${d.message}`).join(';');
    throw new Error(`${method} ${url} → ${res.status}: ${payload.message ?? ''}${details}`);
  }
  return payload;
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${text}"`);
  return value;
}

/** Runs one client command; returns the process exit code. `serve` is handled by main. */
export async function runClient(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const base = (values.url ?? io.env.DEMO_URL ?? 'http://127.0.0.1:9464').replace(/\/+$/, '');
  const command = positionals[0];
  if (values.help || command === undefined) {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'inject': {
      const body = {
        service: values.service ?? 'api',
        errorRate: values['error-rate'] === undefined ? 0 : number('error-rate', values['error-rate']),
        latencyMs: values.latency === undefined ? 0 : parseDuration(values.latency) * 1000,
        durationSeconds: Math.round(parseDuration(values.for ?? '10m')),
      };
      const injection = (await call(io, 'POST', `${base}/inject`, body)) as Record<string, unknown>;
      io.out(
        `injected on ${String(injection.service)}: error rate ${String(injection.errorRate)}, ` +
          `+${String(injection.latencyMs)} ms until ${String(injection.endsAt)}`,
      );
      return 0;
    }
    case 'status':
      io.out(JSON.stringify(await call(io, 'GET', `${base}/inject`), null, 2));
      return 0;
    case 'clear': {
      const query = values.service ? `?service=${encodeURIComponent(values.service)}` : '';
      const { cleared } = (await call(io, 'DELETE', `${base}/inject${query}`)) as { cleared: number };
      io.out(`cleared ${cleared} injection(s)`);
      return 0;
    }
    default:
      io.out(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const env = DemoEnv.parse({
    ...process.env,
    ...(values.port !== undefined && { DEMO_PORT: values.port }),
    ...(values.host !== undefined && { DEMO_HOST: values.host }),
    ...(values['tick-ms'] !== undefined && { DEMO_TICK_MS: values['tick-ms'] }),
  });
  const demo = await startDemo({
    port: env.DEMO_PORT,
    host: env.DEMO_HOST,
    tickMs: env.DEMO_TICK_MS,
    random: values.seed === undefined ? Math.random : seededRandom(number('seed', values.seed)),
  });
  process.stdout.write(`opsdeck demo traffic on ${demo.url} (metrics at ${demo.url}/metrics)\n`);
  const stop = (): void => {
    void demo.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const run =
    argv[0] === 'serve'
      ? serve(argv.slice(1)).then(() => undefined)
      : runClient(argv, { fetch, out: (line) => process.stdout.write(`${line}\n`), env: process.env }).then(
          (code) => {
            process.exitCode = code;
          },
        );
  run.catch((err: unknown) => {
    process.stderr.write(`opsdeck-demo: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
