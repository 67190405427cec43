// POST /api/v1/slos/import with the YAML itself as the body (application/yaml, application/x-yaml,
// text/yaml), as curl sends it, beside the JSON `{yaml}` form: same answers, 400 naming the line for
// YAML that does not parse, the body limit, and both forms in the OpenAPI document.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { importSlos } from '@opsdeck/common';
import { YAML_MEDIA_TYPES } from '../src/http/media-types';
import { STORE_KINDS, TOKENS, auth, createTestApp, type TestApp } from './support/app';

const run = promisify(execFile);
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'import', name), 'utf8');
const PYRRA = fixture('pyrra-slos.yaml');
const SLOTH = fixture('sloth-getting-started.yaml');

const postYaml = (t: TestApp, yaml: string, contentType = 'application/yaml', query = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/slos/import${query}`,
    headers: { ...auth('editor'), 'content-type': contentType },
    payload: yaml,
  });

describe.each(STORE_KINDS)('raw YAML import (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it.each([...YAML_MEDIA_TYPES, 'application/yaml; charset=utf-8', 'Text/YAML'])(
    'converts a body sent as %s exactly as the JSON form does',
    async (contentType) => {
      const raw = await postYaml(t, PYRRA, contentType);
      expect(raw.statusCode).toBe(200);
      const json = await t.app.inject({
        method: 'POST',
        url: '/api/v1/slos/import',
        headers: auth('editor'),
        payload: { yaml: PYRRA },
      });
      expect(json.statusCode).toBe(200);
      expect(raw.json()).toEqual(json.json());
      expect(raw.json()).toEqual({ slos: importSlos(PYRRA).slos, created: [], updated: [] });
    },
  );

  it('stores with apply=true, the format given in the query', async () => {
    const res = await postYaml(t, SLOTH, 'application/yaml', '?apply=true&format=sloth');
    expect(res.statusCode).toBe(200);
    const ids = importSlos(SLOTH).slos.map((s) => s.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ created: ids, updated: [] });
    const stored = await t.app.inject({ url: `/api/v1/slos/${ids[0]}`, headers: auth('viewer') });
    expect(stored.json()).toMatchObject({ source: 'import', version: 1, createdBy: 'editor' });
  });

  it('refuses documents of another format than the query names, storing nothing', async () => {
    const res = await postYaml(t, PYRRA, 'text/yaml', '?apply=true&format=sloth');
    expect(res.statusCode).toBe(422);
    expect(res.json().details[0]).toMatchObject({ document: 'document 1', sourceField: '(format)' });
    const first = importSlos(PYRRA).slos[0]!.id;
    expect((await t.app.inject({ url: `/api/v1/slos/${first}`, headers: auth('viewer') })).statusCode).toBe(
      404,
    );
  });
});

describe('raw YAML import: bad requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { BODY_LIMIT_BYTES: '4096' } });
  });
  afterAll(async () => t?.close());

  // line 5 opens a flow sequence that never closes; the parser reports where it gave up
  const broken = `${SLOTH.split('\n').slice(0, 4).join('\n')}\nlabels: [a,\n  b\n`;

  it('answers 400 invalid_yaml naming the body and the line, for raw YAML', async () => {
    const res = await postYaml(t, broken);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('invalid_yaml');
    expect(body.message).toMatch(/^body is not valid YAML: document 1: .* at line \d+, column \d+/);
    expect(body.details).toHaveLength(1);
    expect(body.details[0]).toMatchObject({ field: 'body', line: expect.any(Number) });
    expect(body.details[0].line).toBeGreaterThanOrEqual(5);
  });

  it('answers 400 naming body.yaml for the same text in the JSON form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import',
      headers: auth('editor'),
      payload: { yaml: broken },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_yaml', details: [{ field: 'body.yaml' }] });
  });

  it('names the document of a second document that does not parse', async () => {
    const res = await postYaml(t, `${SLOTH}\n---\nfoo: [1,\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { message: string }) => d.message.split(':')[0])).toContain(
      'document 2',
    );
  });

  it('answers 400 naming body for an empty body', async () => {
    const res = await postYaml(t, '');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'empty_body', details: [{ field: 'body' }] });
  });

  it('answers 400 naming query.format when it contradicts body.format', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import?format=sloth',
      headers: auth('editor'),
      payload: { format: 'pyrra', yaml: PYRRA },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('query.format');
    const unknown = await postYaml(t, PYRRA, 'application/yaml', '?format=nagios');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details[0].field).toBe('query.format');
  });

  it('answers 413 for a YAML body over BODY_LIMIT_BYTES', async () => {
    const res = await postYaml(t, `# ${'x'.repeat(5000)}\n${PYRRA}`);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('payload_too_large');
  });

  it('answers 415 naming the accepted types for another content type, and needs an editor', async () => {
    // what curl sends with --data-binary and no Content-Type header
    const res = await postYaml(t, PYRRA, 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toContain('application/json, application/yaml, application/x-yaml, text/yaml');
    // routes without a YAML form keep naming JSON alone
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { ...auth('editor'), 'content-type': 'application/yaml' },
      payload: 'title: x',
    });
    expect(other.statusCode).toBe(415);
    expect(other.json().message).toMatch(/send application\/json$/);
    const viewer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import',
      headers: { ...auth('viewer'), 'content-type': 'application/yaml' },
      payload: PYRRA,
    });
    expect(viewer.statusCode).toBe(403);
  });

  it('documents the JSON and the YAML bodies in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    const content = doc.paths['/api/v1/slos/import'].post.requestBody.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', ...YAML_MEDIA_TYPES].sort());
    expect(content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['yaml'],
      properties: { yaml: { type: 'string' } },
    });
    for (const type of YAML_MEDIA_TYPES) expect(content[type].schema.type).toBe('string');
    const params = doc.paths['/api/v1/slos/import'].post.parameters.map((p: { name: string }) => p.name);
    expect(params.sort()).toEqual(['apply', 'format']);
  });
});

describe('raw YAML import over HTTP with curl', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-import-curl-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes `curl --data-binary @slo.yaml -H 'Content-Type: application/yaml'`", async () => {
    const file = join(dir, 'slo.yaml');
    writeFileSync(file, PYRRA);
    const { port } = t.app.server.address() as { port: number };
    const { stdout } = await run('curl', [
      '-sS',
      '-w',
      '\n%{http_code}',
      '--data-binary',
      `@${file}`,
      '-H',
      'Content-Type: application/yaml',
      '-H',
      `Authorization: Bearer ${TOKENS.editor}`,
      `http://127.0.0.1:${port}/api/v1/slos/import?apply=true`,
    ]);
    const [body, code] = [
      stdout.slice(0, stdout.lastIndexOf('\n')),
      stdout.slice(stdout.lastIndexOf('\n') + 1),
    ];
    expect(code).toBe('200');
    expect(JSON.parse(body).created).toEqual(importSlos(PYRRA).slos.map((s) => s.id));
  });
});
