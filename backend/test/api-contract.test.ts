// One contract suite for every CRUD route, run against SQLite and PostgreSQL.
import { STORE_KINDS, auth, createTestApp, type TestApp } from './support/app';

interface ResourceCase {
  path: string;
  valid: Record<string, unknown>;
  patch: Record<string, unknown>;
  wrongType: [string, unknown];
  missing: string;
  outOfRange: [string, unknown];
  badEnum: [string, unknown];
  oversized: string;
}

const RESOURCES: ResourceCase[] = [
  {
    path: 'slos',
    valid: {
      id: 'api-availability',
      name: 'API availability',
      service: 'api',
      objective: 99.9,
      window: '30d',
      indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
    },
    patch: { objective: 99.5 },
    wrongType: ['objective', 'high'],
    missing: 'service',
    outOfRange: ['objective', 100],
    badEnum: ['indicator.kind', 'magic'],
    oversized: 'name',
  },
  {
    path: 'incidents',
    valid: { title: 'Checkout 5xx', severity: 'S2', service: 'checkout' },
    patch: { severity: 'S1' },
    wrongType: ['tags', 'not-a-list'],
    missing: 'severity',
    outOfRange: ['sloIds', Array.from({ length: 51 }, (_, i) => `s${i}`)],
    badEnum: ['severity', 'S9'],
    oversized: 'title',
  },
  {
    path: 'changes',
    valid: { title: 'Deploy api v2', kind: 'deploy', risk: 'Low', service: 'api' },
    patch: { description: 'canary first' },
    wrongType: ['plannedStart', 12],
    missing: 'kind',
    outOfRange: ['tags', Array.from({ length: 51 }, (_, i) => `t${i}`)],
    badEnum: ['risk', 'Extreme'],
    oversized: 'title',
  },
  {
    path: 'maintenance-windows',
    valid: {
      name: 'DB patching',
      schedule: { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
      matchers: [{ name: 'service', op: '=', value: 'db' }],
    },
    patch: { enabled: false },
    wrongType: ['enabled', 'yes'],
    missing: 'schedule',
    outOfRange: ['schedule.durationMinutes', 0],
    badEnum: ['schedule.days.0', 'XX'],
    oversized: 'name',
  },
  {
    path: 'runbooks',
    valid: { title: 'Queue backlog', body: '# Queue backlog\n- [ ] scale workers', alerts: ['QueueBacklog'] },
    patch: { tags: ['queues'] },
    wrongType: ['alerts', 'QueueBacklog'],
    missing: 'body',
    outOfRange: ['alerts', Array.from({ length: 101 }, (_, i) => `a${i}`)],
    badEnum: ['id', 'Not A Slug!'],
    oversized: 'title',
  },
];

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = dotted.split('.');
  let cur: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

describe.each(STORE_KINDS)('API contract on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t.close());

  const inject = (
    method: string,
    url: string,
    opts: { body?: unknown; headers?: Record<string, string>; payload?: string } = {},
  ) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      payload: opts.payload ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
    });

  describe.each(RESOURCES)('/$path', (r) => {
    const base = `/api/v1/${r.path}`;

    it('creates, reads, lists, updates with the current version and deletes', async () => {
      const created = await inject('POST', base, { body: r.valid, headers: auth('editor') });
      expect(created.statusCode).toBe(201);
      const doc = created.json();
      expect(doc.version).toBe(1);
      expect(doc.createdBy).toBe('editor');
      expect(created.headers.etag).toBe('"1"');
      expect(created.headers.location).toBe(`${base}/${encodeURIComponent(doc.id)}`);

      const read = await inject('GET', `${base}/${doc.id}`, { headers: auth('viewer') });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(doc);

      const list = await inject('GET', `${base}?limit=500`, { headers: auth('viewer') });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((i: { id: string }) => i.id)).toContain(doc.id);

      const updated = await inject('PATCH', `${base}/${doc.id}`, {
        body: { ...r.patch, version: 1 },
        headers: auth('editor'),
      });
      expect(updated.statusCode).toBe(200);
      expect(updated.json().version).toBe(2);
      for (const [k, v] of Object.entries(r.patch)) expect(updated.json()[k]).toEqual(v);

      const viaIfMatch = await inject('PATCH', `${base}/${doc.id}`, {
        body: r.patch,
        headers: { ...auth('editor'), 'if-match': '"2"' },
      });
      expect(viaIfMatch.statusCode).toBe(200);
      expect(viaIfMatch.headers.etag).toBe('"3"');

      const stale = await inject('PATCH', `${base}/${doc.id}`, {
        body: { ...r.patch, version: 1 },
        headers: auth('editor'),
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({
        error: 'version_conflict',
        details: [{ field: 'version', current: 3 }],
      });

      const noVersion = await inject('PATCH', `${base}/${doc.id}`, {
        body: r.patch,
        headers: auth('editor'),
      });
      expect(noVersion.statusCode).toBe(428);
      expect(noVersion.json().details[0].field).toBe('body.version');

      const deleted = await inject('DELETE', `${base}/${doc.id}`, { headers: auth('editor') });
      expect(deleted.statusCode).toBe(204);
      expect((await inject('GET', `${base}/${doc.id}`, { headers: auth('viewer') })).statusCode).toBe(404);
    });

    it('answers 401 without a token and with a wrong one', async () => {
      const none = await inject('GET', base);
      expect(none.statusCode).toBe(401);
      expect(none.json().error).toBe('unauthorized');
      const wrong = await inject('POST', base, {
        body: r.valid,
        headers: { authorization: 'Bearer nope-nope-nope' },
      });
      expect(wrong.statusCode).toBe(401);
    });

    it('answers 403 to a viewer that writes', async () => {
      const res = await inject('POST', base, { body: r.valid, headers: auth('viewer') });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/editor/);
      expect((await inject('DELETE', `${base}/anything`, { headers: auth('viewer') })).statusCode).toBe(403);
    });

    it('answers 404 for an unknown id on read, update and delete', async () => {
      for (const [method, body] of [['GET'], ['PATCH', { ...r.patch, version: 1 }], ['DELETE']] as const) {
        const res = await inject(method, `${base}/does-not-exist`, { body, headers: auth('editor') });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ error: 'not_found' });
      }
    });

    const badBodies: [string, Record<string, unknown>, string][] = [
      ['wrong type', setPath(r.valid, r.wrongType[0], r.wrongType[1]), r.wrongType[0]],
      ['missing field', setPath(r.valid, r.missing, undefined), r.missing],
      ['out of range', setPath(r.valid, r.outOfRange[0], r.outOfRange[1]), r.outOfRange[0]],
      ['unknown enum value', setPath(r.valid, r.badEnum[0], r.badEnum[1]), r.badEnum[0]],
      ['oversized string', setPath(r.valid, r.oversized, 'x'.repeat(100_000)), r.oversized],
      ['unknown field', { ...r.valid, surprise: 1 }, 'surprise'],
    ];
    it.each(badBodies)('answers 400 naming the field for a %s', async (label, body, field) => {
      const res = await inject('POST', base, { body, headers: auth('editor') });
      expect(res.statusCode).toBe(400);
      const json = res.json();
      expect(json.error).toBe('validation_failed');
      expect(json.details.map((d: { field: string }) => d.field)).toContain(`body.${field}`);
      expect(json.message).toContain(`body.${field}`);
      // "is required" only for a field that was not sent.
      const problem = json.details.find((d: { field: string }) => d.field === `body.${field}`);
      expect(problem.message === 'is required').toBe(label === 'missing field');
    });

    it('answers 400 for malformed JSON and 415 for a wrong content type', async () => {
      const malformed = await inject('POST', base, {
        payload: '{"title": ',
        headers: { ...auth('editor'), 'content-type': 'application/json' },
      });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ error: 'invalid_json', details: [{ field: 'body' }] });
      const wrongType = await inject('POST', base, {
        payload: 'title=x',
        headers: { ...auth('editor'), 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(wrongType.statusCode).toBe(415);
      expect(wrongType.json().details[0].field).toBe('content-type');
    });

    it('answers 400 naming the query parameter for bad list queries', async () => {
      for (const [qs, field] of [
        ['limit=0', 'query.limit'],
        ['limit=abc', 'query.limit'],
        ['from=yesterday', 'query.from'],
        ['cursor=garbage', 'query.cursor'],
        ['bogus=1', 'query.bogus'],
      ]) {
        const res = await inject('GET', `${base}?${qs}`, { headers: auth('viewer') });
        expect(res.statusCode).toBe(400);
        expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });
  });

  it('pages incidents by time with filters and a cursor, newest first', async () => {
    const starts = [
      '2026-01-01T00:00:00Z',
      '2026-01-05T00:00:00Z',
      '2026-01-10T00:00:00Z',
      '2026-02-01T00:00:00Z',
    ];
    for (const [i, startedAt] of starts.entries()) {
      const res = await inject('POST', '/api/v1/incidents', {
        body: { title: `paged ${i}`, severity: i % 2 ? 'S1' : 'S3', service: 'paging', startedAt },
        headers: auth('editor'),
      });
      expect(res.statusCode).toBe(201);
    }
    const q = '/api/v1/incidents?service=paging&from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z&limit=2';
    const first = (await inject('GET', q, { headers: auth('viewer') })).json();
    expect(first.items.map((i: { title: string }) => i.title)).toEqual(['paged 2', 'paged 1']);
    const second = (
      await inject('GET', `${q}&cursor=${first.nextCursor}`, { headers: auth('viewer') })
    ).json();
    expect(second.items.map((i: { title: string }) => i.title)).toEqual(['paged 0']);
    expect(second.nextCursor).toBeNull();
    const s1 = (
      await inject('GET', '/api/v1/incidents?service=paging&severity=S1', { headers: auth('viewer') })
    ).json();
    expect(s1.items.map((i: { title: string }) => i.title)).toEqual(['paged 3', 'paged 1']);
  });

  it("records X-Grafana-User from Grafana's proxy token as the actor, and the token beside it in the audit log", async () => {
    const created = await inject('POST', '/api/v1/incidents', {
      body: { title: 'audited', severity: 'S3', service: 'audit' },
      headers: { ...auth('grafana'), 'x-grafana-user': 'alice' },
    });
    const id = created.json().id;
    expect(created.json().createdBy).toBe('alice');
    await inject('PATCH', `/api/v1/incidents/${id}`, {
      body: { severity: 'S2', version: 1 },
      headers: auth('editor'),
    });
    const log = await inject('GET', `/api/v1/audit?entity=incident&entityId=${id}`, {
      headers: auth('admin'),
    });
    expect(log.statusCode).toBe(200);
    const items = log.json().items;
    expect(
      items.map((e: { action: string; actor: string; token: string }) => [e.action, e.actor, e.token]),
    ).toEqual([
      ['update', 'editor', 'editor'],
      ['create', 'alice', 'grafana'],
    ]);
    expect(items[0].before.severity).toBe('S3');
    expect(items[0].after.severity).toBe('S2');
    expect((await inject('GET', '/api/v1/audit', { headers: auth('editor') })).statusCode).toBe(403);
  });

  it('lets an admin create and revoke tokens without a restart', async () => {
    const created = await inject('POST', '/api/v1/tokens', {
      body: { name: 'ci-bot', role: 'editor' },
      headers: auth('admin'),
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json().secret;
    const use = await inject('POST', '/api/v1/changes', {
      body: { title: 'from ci', kind: 'deploy', risk: 'Low', service: 'api' },
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(use.statusCode).toBe(201);
    expect(use.json().owner).toBe('ci-bot');
    expect((await inject('DELETE', '/api/v1/tokens/ci-bot', { headers: auth('admin') })).statusCode).toBe(
      204,
    );
    expect(
      (await inject('GET', '/api/v1/changes', { headers: { authorization: `Bearer ${secret}` } })).statusCode,
    ).toBe(401);
    expect(
      (
        await inject('POST', '/api/v1/tokens', {
          body: { name: 'x', role: 'admin' },
          headers: auth('editor'),
        })
      ).statusCode,
    ).toBe(403);
  });

  // GET /runbooks/search answered instead of GET /runbooks/:id for a runbook whose id was "search".
  it.each([
    ['slos', ['import', 'rules', 'status']],
    ['maintenance-windows', []],
    ['runbooks', ['search']],
  ])('refuses /%s ids that its fixed routes answer, naming body.id', async (path, known) => {
    const paths = Object.keys((await inject('GET', '/api/v1/openapi.json')).json().paths);
    const fixed = paths
      .map((p) => new RegExp(`^/api/v1/${path}/([^/{]+)$`).exec(p)?.[1])
      .filter((segment): segment is string => segment !== undefined);
    expect(fixed).toEqual(expect.arrayContaining(known));
    const valid = RESOURCES.find((r) => r.path === path)!.valid;
    for (const id of fixed) {
      const res = await inject('POST', `/api/v1/${path}`, {
        body: { ...valid, id },
        headers: auth('editor'),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([
        { field: 'body.id', message: expect.stringContaining(`taken by the route /api/v1/${path}/${id}`) },
      ]);
    }
  });

  it('refuses a runbook whose title slugs to a fixed /runbooks route, naming body.id', async () => {
    const res = await inject('POST', '/api/v1/runbooks', {
      body: { title: 'Search!', body: '# How to search the logs' },
      headers: auth('editor'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      {
        field: 'body.id',
        message: expect.stringMatching(
          /^"search" is taken by the route \/api\/v1\/runbooks\/search; .*give one$/,
        ),
      },
    ]);
    const named = await inject('POST', '/api/v1/runbooks', {
      body: { id: 'log-search', title: 'Search!', body: '# How to search the logs' },
      headers: auth('editor'),
    });
    expect(named.statusCode).toBe(201);
  });

  // Fixed routes under /incidents and /changes cannot collide: the server chooses those ids.
  it.each(['incidents', 'changes'])('refuses a client-chosen id on /%s', async (path) => {
    const valid = RESOURCES.find((r) => r.path === path)!.valid;
    const res = await inject('POST', `/api/v1/${path}`, {
      body: { ...valid, id: 'search' },
      headers: auth('editor'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'body.id' })]);
  });

  it('refuses a second resource with the same id with 409', async () => {
    const body = { id: 'dup-runbook', title: 'Dup', body: 'x' };
    expect((await inject('POST', '/api/v1/runbooks', { body, headers: auth('editor') })).statusCode).toBe(
      201,
    );
    const again = await inject('POST', '/api/v1/runbooks', { body, headers: auth('editor') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_exists', details: [{ field: 'body.id' }] });
  });
});
