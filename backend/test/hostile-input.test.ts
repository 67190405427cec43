// Generated hostile input over every route of /api/v1/openapi.json (fast-check): malformed, oversized,
// wrongly typed, injection-laden and wrongly encoded requests must never get a 5xx or crash the process,
// and every 4xx must say what is wrong. SQLite takes most of the requests, PostgreSQL a share.
import fc from 'fast-check';
import { sql } from 'kysely';
import { FIRST_RESPONDER_CHECKLIST } from '@opsdeck/common';
import { type HostileRequest, operationsOf, requestFor } from './support/hostile-requests';
import { startPrometheus, type PrometheusServer } from './support/prometheus';
import { auth, createTestApp, type StoreKind, TOKENS, type TestApp } from './support/app';

const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2 ** 31);
const PER_STORE: Record<StoreKind, number> = {
  sqlite: Number(process.env.HOSTILE_SQLITE_REQUESTS ?? 9000),
  postgres: Number(process.env.HOSTILE_POSTGRES_REQUESTS ?? 1500),
};
const BODY_LIMIT = 256 * 1024;
const CHUNK = 600;

interface Finding {
  key: string;
  problem: string;
  request: { method: string; url: string; kind: string; headers: Record<string, string>; payload?: string };
}

/** What is wrong with an answer, or undefined when it is acceptable. */
function problemWith(status: number, text: string, answers: number[]): string | undefined {
  if (status >= 500) return `HTTP ${status}: ${text.slice(0, 300)}`;
  if (status < 400 || answers.includes(status)) return undefined;
  let body: { error?: unknown; message?: unknown; details?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    return `HTTP ${status} body is not JSON: ${text.slice(0, 120)}`;
  }
  if (typeof body.error !== 'string' || body.error === '') return `HTTP ${status} without an error code`;
  if (typeof body.message !== 'string' || body.message.trim() === '')
    return `HTTP ${status} without a message`;
  if (body.error === 'validation_failed') {
    const details = body.details as { field?: unknown; message?: unknown }[] | undefined;
    if (!Array.isArray(details) || details.length === 0) return 'validation_failed without details';
    for (const d of details)
      if (typeof d.field !== 'string' || d.field === '' || typeof d.message !== 'string' || d.message === '')
        return `validation_failed detail without a field or message: ${JSON.stringify(d)}`;
  }
  return undefined;
}

const shown = (r: HostileRequest): Finding['request'] => ({
  method: r.method,
  url: r.url.slice(0, 300),
  kind: r.kind,
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.slice(0, 80)])),
  payload:
    r.payload === undefined
      ? undefined
      : (Buffer.isBuffer(r.payload) ? r.payload.toString('hex') : r.payload).slice(0, 400),
});

/** Creates a few of each entity, so path parameters can name things that exist. */
async function seedEntities(t: TestApp, round: number): Promise<Record<string, string[]>> {
  const sets = await Promise.all([0, 1, 2].map((i) => seedOne(t, `${round}-${i}`)));
  const merged: Record<string, string[]> = {};
  for (const set of sets) for (const [k, v] of Object.entries(set)) merged[k] = [...(merged[k] ?? []), ...v];
  return merged;
}

async function seedOne(t: TestApp, round: string): Promise<Record<string, string[]>> {
  const post = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url, payload, headers: auth('admin') });
    if (res.statusCode !== 201) throw new Error(`seeding ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as { id?: string; name?: string };
  };
  const now = Date.now();
  const slo = await post('/api/v1/slos', {
    id: `hx-slo-${round}`,
    name: 'Hostile SLO',
    service: 'api',
    objective: 99.9,
    window: '30d',
    indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
  });
  const incident = await post('/api/v1/incidents', { title: `hx ${round}`, severity: 'S2', service: 'api' });
  const change = await post('/api/v1/changes', {
    title: `hx ${round}`,
    kind: 'deploy',
    risk: 'Low',
    service: 'api',
  });
  const window = await post('/api/v1/maintenance-windows', {
    id: `hx-win-${round}`,
    name: 'Hostile window',
    schedule: {
      kind: 'once',
      start: new Date(now - 60_000).toISOString(),
      end: new Date(now + 3_600_000).toISOString(),
    },
    matchers: [{ name: 'service', op: '=', value: 'api' }],
  });
  const runbook = await post('/api/v1/runbooks', {
    id: `hx-rb-${round}`,
    title: 'Hostile runbook',
    body: '# steps',
  });
  const token = await post('/api/v1/tokens', { name: `hx-tok-${round}`, role: 'viewer' });
  return {
    slos: [slo.id!],
    incidents: [incident.id!],
    changes: [change.id!],
    'maintenance-windows': [window.id!],
    runbooks: [runbook.id!],
    tokens: [token.name!],
    gates: ['api'],
  };
}

async function attack(
  t: TestApp,
  count: number,
  seed: number,
): Promise<{
  sent: number;
  findings: Finding[];
  statuses: Record<string, number>;
  operations: number;
  reached: number;
}> {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  const ops = operationsOf(doc);
  expect(ops.length).toBeGreaterThan(50);
  const findings = new Map<string, Finding>();
  const statuses: Record<string, number> = {};
  let sent = 0;
  const timeByRoute: Record<string, number> = {};
  const reached = new Set<string>();
  let ids: Record<string, string[]> = {};
  const ctx = {
    secrets: TOKENS,
    oversize: BODY_LIMIT + 1024,
    knownIds: (template: string, param: string) =>
      param === 'item'
        ? FIRST_RESPONDER_CHECKLIST.map((c) => c.id)
        : (ids[template.split('/')[3] ?? ''] ?? []),
  };
  const arbitraries = ops.map((op) => requestFor(op, ctx));
  for (let round = 0; sent < count; round++) {
    ids = await seedEntities(t, round);
    const perOp = Math.max(1, Math.ceil(Math.min(CHUNK, count - sent) / ops.length));
    const generating = process.hrtime.bigint();
    const requests = arbitraries.flatMap((arb, i) =>
      fc.sample(arb, { numRuns: perOp, seed: seed + round * 1000 + i }),
    );
    // Interleave the routes, so a DELETE does not take the seeded entities away from every later route.
    const order = fc.sample(fc.nat(), { numRuns: requests.length, seed: seed + round });
    for (let i = requests.length - 1; i > 0; i--) {
      const j = order[i]! % (i + 1);
      [requests[i], requests[j]] = [requests[j]!, requests[i]!];
    }
    timeByRoute.generate = (timeByRoute.generate ?? 0) + Number(process.hrtime.bigint() - generating) / 1e6;
    for (const r of requests) {
      sent++;
      let status: number;
      let text: string;
      const started = process.hrtime.bigint();
      try {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: r.url,
          headers: r.headers,
          payload: r.payload,
        });
        status = res.statusCode;
        text = res.body;
      } catch (err) {
        status = 0;
        text = `inject threw: ${(err as Error).message}`;
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      timeByRoute[`${r.method} ${r.template}`] = (timeByRoute[`${r.method} ${r.template}`] ?? 0) + ms;
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (status >= 200 && status < 300) reached.add(`${r.method} ${r.template}`);
      const problem = status === 0 ? text : problemWith(status, text, r.answers);
      if (problem) {
        const key = `${r.method} ${r.template} → ${problem.slice(0, 60)}`;
        if (!findings.has(key)) findings.set(key, { key, problem, request: shown(r) });
      }
    }
  }
  if (process.env.HOSTILE_PROFILE) {
    const injectMs = Object.entries(timeByRoute)
      .filter(([k]) => k !== 'generate')
      .reduce((a, [, v]) => a + v, 0);
    process.stdout.write(`inject total ${Math.round(injectMs)} ms\n`);
    const never = ops.map((op) => `${op.method} ${op.template}`).filter((k) => !reached.has(k));
    process.stdout.write(`never answered 2xx: ${never.join(', ')}\n`);
    const slowest = Object.entries(timeByRoute)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    process.stdout.write(
      `slowest routes (total ms): ${slowest.map(([k, v]) => `${k}=${Math.round(v)}`).join(', ')}\n`,
    );
  }
  return { sent, findings: [...findings.values()], statuses, operations: ops.length, reached: reached.size };
}

let prom: PrometheusServer;
const crashes: unknown[] = [];
const onCrash = (err: unknown) => crashes.push(err);

beforeAll(async () => {
  prom = await startPrometheus();
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
}, 60_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  await prom?.remove();
});

describe.each(Object.keys(PER_STORE) as StoreKind[])('hostile input on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, {
      env: { PROMETHEUS_URL: prom.url, RATE_LIMIT_PER_MINUTE: '0', BODY_LIMIT_BYTES: String(BODY_LIMIT) },
    });
  }, 60_000);
  afterAll(() => t?.close());

  it(`answers ${PER_STORE[kind]} generated requests over every route without a 5xx, each 4xx naming the problem`, async () => {
    const { sent, findings, statuses, operations, reached } = await attack(t, PER_STORE[kind], SEED);
    process.stdout.write(
      `hostile input on ${kind}: seed ${SEED}, ${sent} requests over ${operations} operations (${reached} answered 2xx at least once), statuses ${JSON.stringify(statuses)}\n`,
    );
    expect(sent).toBeGreaterThanOrEqual(PER_STORE[kind]);
    expect(findings).toEqual([]);
    expect(crashes).toEqual([]);
    // Nothing leaked onto Object.prototype, and the process still serves.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: auth('viewer') });
    expect(list.statusCode).toBe(200);
    if (kind === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(t.store.db);
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    }
  }, 300_000);
});
