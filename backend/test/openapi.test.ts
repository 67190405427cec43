// The OpenAPI document is valid OpenAPI 3 and lists every route the app serves.
import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestApp, type TestApp } from './support/app';

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('is valid OpenAPI 3 and lists every /api/v1 route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();

    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const m of Object.keys(ops))
        documented.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
    const served = new Set(
      servedRoutes(t.app.printRoutes({ commonPrefix: false }))
        .filter(
          (r) =>
            r.url.startsWith('/api/v1/') &&
            r.url !== '/api/v1/openapi.json' &&
            !r.url.startsWith('/api/v1/docs'),
        )
        .filter((r) => r.method !== 'HEAD')
        .map((r) => `${r.method} ${r.url}`),
    );
    expect(served.size).toBeGreaterThan(20);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
  });

  it("documents both matcher forms of a window (op, and Alertmanager's isRegex/isEqual) and the postmortem's 428", async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const resolved = (await SwaggerParser.dereference(structuredClone(doc))) as typeof doc;
    const body =
      resolved.paths['/api/v1/maintenance-windows'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties.matchers.items.properties).sort()).toEqual([
      'isEqual',
      'isRegex',
      'name',
      'op',
      'value',
    ]);
    expect(Object.keys(resolved.paths['/api/v1/incidents/{id}/postmortem'].put.responses)).toContain('428');
  });

  it('serves a browsable docs page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});

/** Reads Fastify's printed route tree back into method and full path pairs. */
function servedRoutes(tree: string): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^(.*?)[├└]── (\S+) \(([^)]*)\)/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('');
    for (const method of m[3]!.split(',').map((x) => x.trim())) out.push({ method, url });
  }
  return out;
}
