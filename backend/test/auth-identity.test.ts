// Who acts and who may: only Grafana's proxy token names another actor (X-Grafana-User or the login in
// X-Grafana-Context), the Grafana user's org role caps it, both names land in the audit entry; tokens
// created at once under one name end in one 201 and 409s; open mode ends with the first token; a
// non-loopback HOST without tokens does not start. On SQLite and PostgreSQL.
import { ConfigError, loadConfig } from '../src/config';
import { STORE_KINDS, TOKENS, type TestApp, auth, createTestApp } from './support/app';

const context = (login: string, role: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ UserID: 7, OrgID: 1, OrgRole: role, Login: login, IsAnonymous: false, ...extra });

describe.each(STORE_KINDS)('identity and tokens (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  const declare = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'who', severity: 'S3', service: 'identity' },
      headers,
    });
  const auditOf = async (id: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/audit?entity=incident&entityId=${id}`,
        headers: auth('admin'),
      })
    ).json().items as { actor: string; token: string | null }[];

  it('lets any other token act as itself, whatever Grafana headers it sends', async () => {
    const res = await declare({
      ...auth('editor'),
      'x-grafana-user': 'mallory',
      'x-grafana-context': context('mallory', 'Admin'),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().createdBy).toBe('editor');
    expect(await auditOf(res.json().id)).toMatchObject([{ actor: 'editor', token: 'editor' }]);
  });

  it.each([
    [
      'X-Grafana-User',
      { 'x-grafana-user': 'alice', 'x-grafana-context': context('ignored', 'Editor') },
      'alice',
    ],
    ['the login in X-Grafana-Context', { 'x-grafana-context': context('bob', 'Editor') }, 'bob'],
    ['nothing (no Grafana user)', {}, 'grafana'],
    [
      'an anonymous context',
      { 'x-grafana-context': context('', 'Editor', { IsAnonymous: true }) },
      'grafana',
    ],
    ['an unreadable context', { 'x-grafana-context': '{not json' }, 'grafana'],
  ])("takes the actor of Grafana's proxy token from %s", async (_from, headers, actor) => {
    const res = await declare({ ...auth('grafana'), ...(headers as Record<string, string>) });
    expect(res.statusCode).toBe(201);
    expect(res.json().createdBy).toBe(actor);
    expect(await auditOf(res.json().id)).toMatchObject([{ actor, token: 'grafana' }]);
  });

  it("caps the proxy token's role at the Grafana user's org role", async () => {
    const res = await declare({ ...auth('grafana'), 'x-grafana-context': context('vera', 'Viewer') });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      'this needs the editor role; Grafana user "vera" is viewer (token "grafana" has editor)',
    );
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { ...auth('grafana'), 'x-grafana-context': context('vera', 'Viewer') },
    });
    expect(read.statusCode).toBe(200);
  });

  it('creates a proxy token through the API, lists it as one, and treats it as one', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: `grafana-api-${kind}`, role: 'editor', grafanaProxy: true },
      headers: auth('admin'),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ grafanaProxy: true, role: 'editor' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth('admin') });
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ name: `grafana-api-${kind}`, grafanaProxy: true }),
    );
    const res = await declare({
      authorization: `Bearer ${created.json().secret}`,
      'x-grafana-user': 'carol',
    });
    expect(res.json().createdBy).toBe('carol');
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: `plain-${kind}`, role: 'editor' },
      headers: auth('admin'),
    });
    expect(plain.json().grafanaProxy).toBe(false);
    const asPlain = await declare({
      authorization: `Bearer ${plain.json().secret}`,
      'x-grafana-user': 'carol',
    });
    expect(asPlain.json().createdBy).toBe(`plain-${kind}`);
  });

  it('refuses a grafanaProxy that is not a boolean, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', role: 'editor', grafanaProxy: 'yes' },
      headers: auth('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().details)).toContain('grafanaProxy');
  });

  it('ends concurrent creates of one token name in one 201 and 409s, never a 500', async () => {
    const name = `race-${kind}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name, role: 'viewer' },
          headers: auth('admin'),
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json()).toEqual({
      error: 'already_exists',
      message: `token "${name}" already exists`,
      details: [{ field: 'body.name', message: 'already exists' }],
    });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth('admin') });
    expect(list.json().items.filter((i: { name: string }) => i.name === name)).toHaveLength(1);
  });
});

describe.each(STORE_KINDS)('open mode (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { env: { OPSDECK_TOKENS: '' } });
  });
  afterAll(() => t.close());

  it('serves anonymous admins, who cannot name another actor, until a token is created through the API', async () => {
    const before = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'open', severity: 'S4', service: 'open' },
      headers: { 'x-grafana-user': 'mallory' },
    });
    expect([before.statusCode, before.json().createdBy]).toEqual([201, 'anonymous']);
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'first', role: 'admin' },
    });
    expect(token.statusCode).toBe(201);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/incidents' });
    expect(anonymous.statusCode).toBe(401);
    const withToken = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token.json().secret}` },
    });
    expect(withToken.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('OPSDECK_TOKENS and HOST at start-up', () => {
  const config = (env: Record<string, string>) => () => loadConfig(env);

  it.each(['0.0.0.0', '::', '10.1.2.3', 'opsdeck.example.com'])(
    'refuses HOST=%s without tokens in one line naming OPSDECK_TOKENS',
    (host) => {
      expect(config({ HOST: host })).toThrow(ConfigError);
      expect(config({ HOST: host })).toThrow(
        new RegExp(
          `^invalid configuration: OPSDECK_TOKENS: is empty while HOST=${host.replace(/\./g, '\\.')} .*OPSDECK_ALLOW_ANONYMOUS=true`,
        ),
      );
    },
  );

  it.each([
    [{ HOST: '127.0.0.1' }],
    [{ HOST: '127.0.0.53' }],
    [{ HOST: 'localhost' }],
    [{ HOST: '::1' }],
    [{ HOST: '0.0.0.0', OPSDECK_ALLOW_ANONYMOUS: 'true' }],
    [{ HOST: '0.0.0.0', OPSDECK_TOKENS: `ci:viewer:${TOKENS.viewer}` }],
  ])('starts with %p', (env) => {
    expect(config(env)).not.toThrow();
  });

  it('names OPSDECK_ALLOW_ANONYMOUS when it is not a boolean', () => {
    expect(config({ OPSDECK_ALLOW_ANONYMOUS: 'sure' })).toThrow(
      'invalid configuration: OPSDECK_ALLOW_ANONYMOUS: must be true or false',
    );
  });

  it('reads the grafana-proxy mark as the last field only; a secret may hold colons', () => {
    expect(
      loadConfig({ OPSDECK_TOKENS: 'g:editor:s3cret:with:colons:grafana-proxy,c:viewer:plain:secret' })
        .OPSDECK_TOKENS,
    ).toEqual([
      { name: 'g', role: 'editor', secret: 's3cret:with:colons', grafanaProxy: true },
      { name: 'c', role: 'viewer', secret: 'plain:secret', grafanaProxy: false },
    ]);
  });
});
