// No secret in the logs: the real backend at LOG_LEVEL=debug runs a representative flow (token
// management, incidents, changes, windows, SLOs, queries, failed and revoked auth, upstreams that fail)
// and everything it writes to stdout and stderr is searched for every secret it was given or made.
import { startBackend } from '../src/bench/backend-process';
import { createTestDatabase, TOKENS, TOKENS_ENV } from './support/app';

const GRAFANA_TOKEN = 'glsa_grafana-service-account-secret-42';
const PROMETHEUS_SECRET = 'prometheus-basic-secret-77';
const WRONG_SECRET = 'not-a-token-but-still-a-secret-99';

it('writes no token secret to the log during a full flow at debug level', async () => {
  const database = await createTestDatabase('sqlite');
  const backend = await startBackend({
    DATABASE_URL: database.url,
    OPSDECK_TOKENS: TOKENS_ENV,
    LOG_LEVEL: 'debug',
    GRAFANA_URL: 'http://127.0.0.1:9',
    GRAFANA_TOKEN,
    ALERTMANAGER_URLS: 'http://127.0.0.1:9',
    PROMETHEUS_HEADERS: `Authorization: Bearer ${PROMETHEUS_SECRET}`,
    SILENCER_INTERVAL_SECONDS: '0.2',
  });
  const secrets = [...Object.values(TOKENS), GRAFANA_TOKEN, PROMETHEUS_SECRET, WRONG_SECRET];
  const statuses: number[] = [];
  const call = async (
    method: string,
    path: string,
    secret: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ) => {
    const res = await fetch(`${backend.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secret}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extra,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    statuses.push(res.status);
    const text = await res.text();
    return {
      status: res.status,
      json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
  try {
    const token = await call('POST', '/api/v1/tokens', TOKENS.admin, { name: 'ci-bot', role: 'editor' });
    expect(token.status).toBe(201);
    const dbSecret: string = token.json.secret;
    secrets.push(dbSecret);

    const incident = await call('POST', '/api/v1/incidents', dbSecret, {
      title: 'checkout errors',
      severity: 'S2',
      service: 'checkout',
    });
    expect(incident.status).toBe(201);
    const id = incident.json.id;
    expect(
      (await call('POST', `/api/v1/incidents/${id}/acknowledge`, dbSecret, {}, { 'x-grafana-user': 'alice' }))
        .status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/api/v1/incidents/${id}/timeline`, dbSecret, {
          kind: 'comms',
          text: 'posted update',
        })
      ).status,
    ).toBe(201);
    await call('PATCH', `/api/v1/incidents/${id}`, TOKENS.editor, { title: 'checkout 5xx', version: 99 });
    await call('GET', `/api/v1/incidents/${id}/detail`, TOKENS.viewer);
    await call('GET', `/api/v1/incidents/${id}/status-page.md`, TOKENS.viewer);

    const change = await call('POST', '/api/v1/changes', dbSecret, {
      title: 'deploy v2',
      kind: 'deploy',
      risk: 'Med',
      service: 'checkout',
    });
    expect(change.status).toBe(201);
    await call('POST', `/api/v1/changes/${change.json.id}/start`, dbSecret, {});
    const now = Date.now();
    await call('POST', '/api/v1/maintenance-windows', TOKENS.editor, {
      id: 'db-upgrade',
      name: 'DB upgrade',
      schedule: {
        kind: 'once',
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + 3_600_000).toISOString(),
      },
      matchers: [{ name: 'service', op: '=', value: 'db' }],
    });
    await call('POST', '/api/v1/slos', TOKENS.editor, {
      id: 'checkout-availability',
      name: 'Checkout availability',
      service: 'checkout',
      objective: 99.9,
      window: '30d',
      indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
    });
    // Prometheus is unreachable: the status answers 503 and the failure is logged.
    await call('GET', '/api/v1/slos/checkout-availability/status', TOKENS.viewer);
    await call('GET', '/api/v1/gates/checkout', TOKENS.viewer);
    await call('POST', '/api/v1/query', TOKENS.viewer, {
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now).toISOString(),
      queries: [{ refId: 'A', kind: 'incidents' }],
    });
    await call('GET', '/readyz', TOKENS.viewer);
    await call('GET', '/api/v1/audit', TOKENS.admin);
    expect((await call('GET', '/api/v1/incidents', WRONG_SECRET)).status).toBe(401);
    expect((await call('DELETE', '/api/v1/tokens/ci-bot', TOKENS.admin)).status).toBe(204);
    expect((await call('GET', '/api/v1/incidents', dbSecret)).status).toBe(401);
    // Let the silencer try (and fail) against the unreachable Alertmanager and Grafana a few times.
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    await backend.stop();
    await database.drop();
  }

  const log = backend.output();
  // Logging really was on: every request left its lines.
  expect(log.split('\n').filter((l) => l.includes('"reqId"')).length).toBeGreaterThanOrEqual(
    statuses.length * 2,
  );
  for (const secret of secrets) {
    expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
    // A secret may also be logged encoded, e.g. as a Basic credential or in a URL.
    expect({ secret, found: log.includes(Buffer.from(secret).toString('base64')) }).toEqual({
      secret,
      found: false,
    });
    expect({ secret, found: log.includes(encodeURIComponent(secret)) }).toEqual({ secret, found: false });
  }
}, 120_000);
