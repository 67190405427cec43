// The rules and import surfaces: GET /api/v1/slos/rules, POST /api/v1/slos/import and the `opsdeck`
// CLI (`rules`, `import`), with the generated rule files checked by promtool.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { SloCreate, importSlos } from '@opsdeck/common';
import { runCli } from '../src/cli';
import type { CliIo } from '../src/cli-subcommand';
import { STORE_KINDS, auth, createTestApp, type TestApp } from './support/app';

const run = promisify(execFile);
const FIXTURES = join(__dirname, 'fixtures', 'import');
const PROVISIONING = join(__dirname, '..', '..', 'provisioning');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'opsdeck-slo-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function promtoolCheck(yaml: string): Promise<string> {
  const file = join(mkdtempSync(join(scratch, 'rules-')), 'rules.yml');
  writeFileSync(file, yaml);
  const { stdout } = await run('/usr/bin/promtool', ['check', 'rules', file]);
  return stdout;
}

function io(
  opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (t: string) => void (captured.out += t),
    stderr: (t: string) => void (captured.err += t),
    readStdin: async () => opts.stdin ?? '',
    env: opts.env ?? {},
    cwd: opts.cwd ?? FIXTURES,
  };
  return captured;
}

describe('opsdeck CLI', () => {
  test('rules: the guide SLOs in provisioning/ become a promtool-valid group each, plus one per rolling window', async () => {
    const cli = io();
    expect(await runCli(['rules', '--dir', PROVISIONING], cli)).toBe(0);
    expect(cli.err).toBe('');
    const slos = readdirSync(join(PROVISIONING, 'slos')).map(
      (f) => parse(readFileSync(join(PROVISIONING, 'slos', f), 'utf8')) as { id: string; window: string },
    );
    const file = parse(cli.out) as { groups: { name: string }[] };
    // calendar windows have no window group: their range grows from the period's start
    const expected = slos.flatMap(({ id, window }) =>
      ['week', 'month', 'quarter'].includes(window)
        ? [`opsdeck-slo-${id}`]
        : [`opsdeck-slo-${id}`, `opsdeck-slo-${id}:window`],
    );
    expect(file.groups.map((g) => g.name).sort()).toEqual(expected.sort());
    expect(await promtoolCheck(cli.out)).toMatch(/SUCCESS: \d+ rules found/);
  });

  test('rules: OPSDECK_PROVISIONING_DIR is the default directory', async () => {
    const cli = io({ env: { OPSDECK_PROVISIONING_DIR: PROVISIONING } });
    expect(await runCli(['rules'], cli)).toBe(0);
    expect(cli.out).toContain('name: opsdeck-slo-api-availability');
  });

  test('rules: OPSDECK_APP_URL is where an SLO without runbookUrl links its runbook search', async () => {
    const cli = io({
      env: {
        OPSDECK_PROVISIONING_DIR: PROVISIONING,
        OPSDECK_APP_URL: 'https://grafana.example/a/opsdeck-sre-app',
      },
    });
    expect(await runCli(['rules'], cli)).toBe(0);
    expect(cli.err).toBe('');
    // web-lcp.yaml has no runbookUrl of its own
    expect(cli.out).toContain(
      'runbook_url: https://grafana.example/a/opsdeck-sre-app/runbooks?rbService=web',
    );
  });

  test('rules: a bad file and a duplicate id stop generation, naming file, document and field', async () => {
    const dir = join(scratch, 'bad');
    mkdirSync(join(dir, 'slos'), { recursive: true });
    const good = readFileSync(join(PROVISIONING, 'slos', 'api-availability.yaml'), 'utf8');
    writeFileSync(join(dir, 'slos', 'a.yaml'), good);
    writeFileSync(join(dir, 'slos', 'b.yaml'), good);
    writeFileSync(
      join(dir, 'slos', 'c.yaml'),
      good.replace('objective: 99.9', 'objective: 120').replace('id: api-availability', 'id: other'),
    );
    const cli = io();
    expect(await runCli(['rules', '--dir', dir], cli)).toBe(1);
    expect(cli.out).toBe('');
    expect(cli.err).toContain(
      `${join(dir, 'slos', 'b.yaml')}: SLO id "api-availability" is also defined in ${join(dir, 'slos', 'a.yaml')}`,
    );
    expect(cli.err).toContain(
      `${join(dir, 'slos', 'c.yaml')}: opsdeck other (document 1): (opsdeck) objective:`,
    );
  });

  test('import: prints opsdeck SLO YAML that validates and equals the library conversion', async () => {
    const cli = io();
    expect(await runCli(['import', 'sloth-getting-started.yaml', '--format', 'sloth'], cli)).toBe(0);
    const printed = parseAllDocuments(cli.out).map((d) => SloCreate.parse(d.toJS()));
    expect(printed).toEqual(importSlos(fixture('sloth-getting-started.yaml')).slos);
    expect(printed).toHaveLength(2);
  });

  test('import: takes absolute paths too', async () => {
    const cli = io({ cwd: scratch });
    expect(await runCli(['import', join(FIXTURES, 'pyrra-slos.yaml')], cli)).toBe(0);
    expect(cli.out).toContain('id: api-response-errors');
  });

  test('import: reads standard input for -', async () => {
    const cli = io({ stdin: fixture('pyrra-slos.yaml') });
    expect(await runCli(['import', '-'], cli)).toBe(0);
    expect(parseAllDocuments(cli.out).map((d) => (d.toJS() as { id: string }).id)).toEqual([
      'api-response-errors',
      'api-read-request-latency',
    ]);
  });

  test.each([
    [
      ['import', 'openslo-unmappable.yaml'],
      1,
      /openslo-unmappable\.yaml: openslo SLO foo-slo \(document 1\): spec\.indicator/,
    ],
    [['import', 'pyrra-slos.yaml', '--format', 'nagios'], 2, /--format must be one of/],
    [['import'], 2, /usage: opsdeck import/],
    [['import', 'missing.yaml'], 1, /ENOENT/],
    [['rules', '--bogus'], 2, /Unknown option '--bogus'/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [[], 2, /usage:\n {2}opsdeck rules/],
  ])('%j exits %d', async (argv, code, message) => {
    const cli = io();
    expect(await runCli(argv, cli)).toBe(code);
    expect(cli.err).toMatch(message);
    expect(cli.out).toBe('');
  });
});

describe.each(STORE_KINDS)('HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  test('POST /slos/import converts without storing, then stores with apply=true, then updates', async () => {
    const payload = { format: 'pyrra', yaml: fixture('pyrra-slos.yaml') };
    const dry = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import',
      headers: auth('editor'),
      payload,
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({ slos: importSlos(payload.yaml).slos, created: [], updated: [] });
    expect(
      (await t.app.inject({ url: '/api/v1/slos/api-response-errors', headers: auth('viewer') })).statusCode,
    ).toBe(404);

    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import?apply=true',
      headers: auth('editor'),
      payload,
    });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({
      created: ['api-response-errors', 'api-read-request-latency'],
      updated: [],
    });
    const stored = await t.app.inject({ url: '/api/v1/slos/api-response-errors', headers: auth('viewer') });
    expect(stored.json()).toMatchObject({
      source: 'import',
      objective: 99.5,
      groupBy: ['route'],
      version: 1,
      createdBy: 'editor',
    });

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import?apply=true',
      headers: auth('editor'),
      payload: { yaml: payload.yaml.replace("target: '99.5'", "target: '99.9'") },
    });
    expect(again.json()).toMatchObject({
      created: [],
      updated: ['api-response-errors', 'api-read-request-latency'],
    });
    const after = await t.app.inject({ url: '/api/v1/slos/api-response-errors', headers: auth('viewer') });
    expect(after.json()).toMatchObject({ objective: 99.9, version: 2 });
  });

  test('GET /slos/rules answers the rule file of the stored SLOs as YAML that promtool accepts', async () => {
    const res = await t.app.inject({ url: '/api/v1/slos/rules', headers: auth('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/yaml; charset=utf-8');
    const groups = (parse(res.body) as { groups: { name: string }[] }).groups.map((g) => g.name);
    // both imported windows are rolling (4w, 2w), so each SLO also has its window group
    expect(groups).toEqual([
      'opsdeck-slo-api-read-request-latency',
      'opsdeck-slo-api-read-request-latency:window',
      'opsdeck-slo-api-response-errors',
      'opsdeck-slo-api-response-errors:window',
    ]);
    expect(await promtoolCheck(res.body)).toMatch(/SUCCESS/);
    expect((await t.app.inject({ url: '/api/v1/slos/rules' })).statusCode).toBe(401);
  });

  test('unmappable definitions answer 422 naming document and field, and nothing is stored', async () => {
    const yaml = `${fixture('sloth-getting-started.yaml')}\n---\n${fixture('sloth-unmappable.yaml')}`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import?apply=true',
      headers: auth('editor'),
      payload: { yaml },
    });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error).toBe('import_failed');
    expect(body.details).toEqual([
      expect.objectContaining({
        field: 'yaml: sloth home-wifi/wifi-client-satisfaction (document 2): slos.0.sli.raw',
      }),
      expect.objectContaining({
        field: 'yaml: sloth home-wifi/divided (document 2): slos.1.sli.events.error_query',
      }),
    ]);
    expect(
      (await t.app.inject({ url: '/api/v1/slos/api-requests-availability', headers: auth('viewer') }))
        .statusCode,
    ).toBe(404);
  });

  test('bad requests name the field; importing needs an editor', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import',
      headers: auth('editor'),
      payload: { format: 'nagios', yaml: 'x: 1' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.format');
    const viewer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos/import',
      headers: auth('viewer'),
      payload: { yaml: 'x: 1' },
    });
    expect(viewer.statusCode).toBe(403);
  });
});
