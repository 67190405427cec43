// Regressions found by the generated hostile input: each once answered 5xx.
import { auth, createTestApp, STORE_KINDS, type TestApp } from './support/app';

describe.each(STORE_KINDS)('NUL characters on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t.close());

  // PostgreSQL text cannot hold U+0000: these reached a query and failed there with HTTP 500.
  it.each([
    ['GET', '/api/v1/incidents/a%00b', 'params.id', undefined],
    ['GET', '/api/v1/incidents/%00/status-page.md', 'params.id', undefined],
    ['GET', '/api/v1/maintenance-windows/%00/silences', 'params.id', undefined],
    ['GET', '/api/v1/incidents?cursor=%00', 'query.cursor', undefined],
    ['POST', '/api/v1/incidents', 'body.title', { title: 'a\u0000b', severity: 'S3', service: 'api' }],
    ['POST', '/api/v1/incidents', 'body.tags.1', { title: 'x', severity: 'S3', service: 'api', tags: ['ok', 'n\u0000'] }],
  ])('%s %s answers 400 naming %s', async (method, url, field, payload) => {
    const res = await t.app.inject({ method: method as 'GET', url, payload, headers: auth('editor') });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'validation_failed',
      message: expect.stringContaining(field),
      details: [{ field, message: expect.stringContaining('NUL') }],
    });
  });

  it('still stores text without NUL characters', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'null \\u0000 spelled out', severity: 'S3', service: 'api' },
      headers: auth('editor'),
    });
    expect(res.statusCode).toBe(201);
  });
});
