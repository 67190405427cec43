// The demo's HTTP face: /metrics for Prometheus, /inject to start, list and stop faults, /alerts as
// the on-call webhook Alertmanager notifies (so a demo shows a page arriving), /healthz.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { systemClock, type Clock, type RandomSource } from './clock';
import { InjectionBook, InjectionRequest } from './injection';
import { createDemoMetrics, type DemoMetrics } from './metrics';
import { DEFAULT_PROFILE, TrafficSimulator, type TrafficProfile } from './traffic';

export interface DemoParts {
  metrics: DemoMetrics;
  injections: InjectionBook;
  simulator: TrafficSimulator;
  notifications: NotificationLog;
}

const MAX_BODY_BYTES = 256 * 1024;

/** The last Alertmanager webhook notifications received, newest first. */
export class NotificationLog {
  private readonly entries: { receivedAt: string; notification: unknown }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 100,
  ) {}

  add(notification: unknown): void {
    this.entries.unshift({ receivedAt: this.clock.now().toISOString(), notification });
    this.entries.length = Math.min(this.entries.length, this.capacity);
  }

  list(): { receivedAt: string; notification: unknown }[] {
    return [...this.entries];
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function fail(
  res: ServerResponse,
  status: number,
  error: string,
  message: string,
  details?: unknown[],
): void {
  send(res, status, details ? { error, message, details } : { error, message });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SyntaxError('body larger than 256 KiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

async function handleInjectPost(parts: DemoParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (err) {
    return fail(res, 400, 'invalid_json', `request body is not JSON: ${(err as Error).message}`);
  }
  const parsed = InjectionRequest.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.'),
      message: issue.message,
    }));
    return fail(res, 400, 'validation_failed', 'the injection is invalid', details);
  }
  const targets = parts.simulator.targets();
  const known = [...targets.services, ...targets.pipelines, ...targets.pages];
  if (!known.includes(parsed.data.service)) {
    return fail(res, 400, 'validation_failed', `unknown target "${parsed.data.service}"`, [
      { field: 'service', message: `use one of: ${known.join(', ')}` },
    ]);
  }
  send(res, 201, parts.injections.set(parsed.data));
}

export function createDemoServer(parts: DemoParts): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const route = `${req.method} ${url.pathname}`;
    const handle = async (): Promise<void> => {
      switch (route) {
        case 'GET /metrics':
          res.writeHead(200, { 'content-type': parts.metrics.registry.contentType });
          res.end(await parts.metrics.registry.metrics());
          return;
        case 'GET /healthz':
          return send(res, 200, { status: 'ok' });
        case 'GET /inject':
          return send(res, 200, { injections: parts.injections.list(), targets: parts.simulator.targets() });
        case 'POST /inject':
          return handleInjectPost(parts, req, res);
        case 'POST /alerts': {
          let notification: unknown;
          try {
            notification = await readJson(req);
          } catch (err) {
            return fail(res, 400, 'invalid_json', `request body is not JSON: ${(err as Error).message}`);
          }
          parts.notifications.add(notification);
          return send(res, 200, { status: 'received' });
        }
        case 'GET /alerts':
          return send(res, 200, { notifications: parts.notifications.list() });
        case 'DELETE /inject': {
          const service = url.searchParams.get('service') ?? undefined;
          return send(res, 200, { cleared: parts.injections.clear(service) });
        }
        default:
          return fail(
            res,
            404,
            'not_found',
            `no route ${route}; try GET /metrics, GET|POST|DELETE /inject, GET|POST /alerts`,
          );
      }
    };
    handle().catch((err: unknown) => fail(res, 500, 'internal', (err as Error).message));
  });
}

export interface DemoOptions {
  port?: number;
  host?: string;
  tickMs?: number;
  clock?: Clock;
  random?: RandomSource;
  profile?: TrafficProfile;
}

export interface RunningDemo extends DemoParts {
  url: string;
  stop(): Promise<void>;
}

/** Wires metrics, injections and the simulator, ticks it on a timer and listens. */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const clock = options.clock ?? systemClock;
  const metrics = createDemoMetrics();
  const injections = new InjectionBook(clock);
  const profile = options.profile ?? DEFAULT_PROFILE;
  const simulator = new TrafficSimulator(metrics, injections, clock, options.random ?? Math.random, profile);
  const notifications = new NotificationLog(clock);
  const server = createDemoServer({ metrics, injections, simulator, notifications });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, options.host ?? '127.0.0.1', resolve);
  });
  const timer = setInterval(() => simulator.tick(), options.tickMs ?? profile.tickSeconds * 1000);
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    metrics,
    injections,
    simulator,
    notifications,
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const DemoEnv = z.object({
  DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  DEMO_HOST: z.string().default('127.0.0.1'),
  DEMO_TICK_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
});
