// Hostile SLO definitions (issue 14: PromQL injection, one SLO breaking all alerting, cost; issue 19:
// severities and runbook links) against the real components: the API on SQLite and PostgreSQL, a real
// Prometheus loading and evaluating what opsdeck generates, and promtool checking and replaying it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { SLO_ALERT_NAME, SloCreate, type SloSpec, sloRuleGroup, sloRulesYaml } from '@opsdeck/common';
import { auth, createTestApp, STORE_KINDS, type TestApp } from './support/app';
import { startPrometheus, type PrometheusServer } from './support/prometheus';

jest.setTimeout(120_000);
const run = promisify(execFile);
const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

const good = {
  id: 'good',
  name: 'Good availability',
  service: 'api',
  objective: 99.9,
  window: '30d',
  indicator: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
};
const ratio = (errors: string, total = 'x_total') => ({ kind: 'ratio', errors, total });
const latency = (metric: string, matchers: string) => ({ kind: 'latency', metric, matchers, le: 0.5 });

/** Definitions refused at write time: [what, fields replaced in `good`, the field the 400 names]. */
const REFUSED: [string, Record<string, unknown>, string][] = [
  [
    'the injection of issue 14 in total',
    { indicator: ratio('x', 'foo_total[1m])) or on() count(count_over_time({__name__=~".+"}') },
    'body.indicator.total',
  ],
  ['a function in errors', { indicator: ratio('rate(x[5m])') }, 'body.indicator.errors'],
  ['a range', { indicator: ratio('x[5m]') }, 'body.indicator.errors'],
  ['an offset', { indicator: ratio('x offset 1h') }, 'body.indicator.errors'],
  ['an @ modifier', { indicator: ratio('x @ 0') }, 'body.indicator.errors'],
  ['a binary operator', { indicator: ratio('x or vector(1)') }, 'body.indicator.errors'],
  ['a subquery', { indicator: ratio('x[5m:1m]') }, 'body.indicator.errors'],
  ['a trailing comment', { indicator: ratio('x # and more') }, 'body.indicator.errors'],
  ['every metric by a __name__ regex', { indicator: ratio('x', '{__name__=~".+"}') }, 'body.indicator.total'],
  ['no metric name', { indicator: ratio('x', '{job="api"}') }, 'body.indicator.total'],
  [
    'a JavaScript-only regex (backreference)',
    { indicator: ratio('x{code=~"(5)\\\\1"}') },
    'body.indicator.errors',
  ],
  ['a lookahead', { indicator: ratio('x{code=~"(?=5)"}') }, 'body.indicator.errors'],
  ['an unknown escape', { indicator: ratio('x{code="\\q"}') }, 'body.indicator.errors'],
  ['a byte escape that is no character', { indicator: ratio('x{code="\\xff"}') }, 'body.indicator.errors'],
  [
    'latency matchers closing their braces',
    { indicator: latency('h', 'a="b"} or vector(1) or {c="d"') },
    'body.indicator.matchers',
  ],
  ['latency matchers setting le', { indicator: latency('h', 'le="1"') }, 'body.indicator.matchers'],
  ['a latency metric with an expression', { indicator: latency('h) or (x', '') }, 'body.indicator.metric'],
  [
    'a threshold gauge with a comparison',
    { indicator: { kind: 'threshold', selector: 'lag > 5', bound: 1 } },
    'body.indicator.selector',
  ],
  ['groupBy __name__', { groupBy: ['__name__'] }, 'body.groupBy.0'],
  ['groupBy le', { groupBy: ['le'] }, 'body.groupBy.0'],
  ['groupBy slo', { groupBy: ['route', 'slo'] }, 'body.groupBy.1'],
  ['groupBy severity', { groupBy: ['severity'] }, 'body.groupBy.0'],
  ['groupBy an expression', { groupBy: ['a) or vector(1'] }, 'body.groupBy.0'],
  ['groupBy a label twice', { groupBy: ['route', 'route'] }, 'body.groupBy'],
  ['labels setting severity', { labels: { severity: 'S1' } }, 'body.labels'],
  ['groupBy a label that labels set', { groupBy: ['team'], labels: { team: 'core' } }, 'body.groupBy'],
  ['a page severity off the S-levels', { alerting: { pageSeverity: 'page' } }, 'body.alerting.pageSeverity'],
];

/** Accepted on purpose, and what Prometheus then answers or loads: [what, fields replaced in `good`]. */
const ACCEPTED: [string, Record<string, unknown>][] = [
  ['a case-insensitive RE2 regex, valid in Prometheus', { indicator: ratio('x{code=~"(?i)5XX|5.."}') }],
  ['the metric named by __name__', { indicator: ratio('{__name__="x_total",code="500"}') }],
  [
    "single-quoted and raw strings, Prometheus 3's quoted label name",
    { indicator: ratio("x{'code'=`5..`}") },
  ],
  ['a name that is a Prometheus template', { name: '{{ query "up" }}' }],
  ['a name with quotes, a newline and unicode', { name: 'Ünïcødé "quoted"\nsecond line ✓ 𝄞' }],
  ['a label value that is a template', { labels: { team: '{{ $labels.slo }} {{' } }],
  ['groupBy service', { groupBy: ['service', 'route'] }],
  ['its own severities', { alerting: { pageSeverity: 'S1', ticketSeverity: 'S4' } }],
];

/** Stored before the grammar was enforced (written to the store directly), each with its field. */
const STORED: [string, Record<string, unknown>, string][] = [
  ['injected', { indicator: ratio('x', 'x_total[1m])) or vector(1) or (x_total') }, 'indicator.total'],
  ['name-scan', { groupBy: ['__name__'] }, 'groupBy.0'],
  ['js-regex', { indicator: ratio('x{code=~"(5)\\\\1"}') }, 'indicator.errors'],
];

describe.each(STORE_KINDS)('hostile SLO definitions on %s', (kind) => {
  let prom: PrometheusServer;
  let t: TestApp;
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      payload: payload as object,
      headers: auth(method === 'GET' ? 'viewer' : 'editor'),
    });

  beforeAll(async () => {
    prom = await startPrometheus();
    t = await createTestApp(kind, { env: { PROMETHEUS_URL: prom.url, QUERY_MAX_POINTS: '2000' } });
    expect((await send('POST', '/api/v1/slos', good)).statusCode).toBe(201);
    for (const [id, fields] of STORED) {
      await t.app.repos.slos.insert(
        {
          ...SloCreate.parse(good),
          id,
          service: 'legacy',
          ...fields,
          source: 'api',
        } as Parameters<typeof t.app.repos.slos.insert>[0],
        { actor: 'before-the-grammar', at: new Date() },
      );
    }
  });
  afterAll(async () => {
    await t?.close();
    await prom?.remove();
  });

  it.each(REFUSED)('refuses %s on create and on patch, naming the field', async (_what, fields, field) => {
    const created = await send('POST', '/api/v1/slos', { ...good, id: 'hostile', ...fields });
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({
      error: 'validation_failed',
      details: [expect.objectContaining({ field })],
    });
    const { version } = (await send('GET', '/api/v1/slos/good')).json();
    const patched = await send('PATCH', '/api/v1/slos/good', { ...fields, version });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().details[0].field).toBe(field);
    expect((await send('GET', '/api/v1/slos/hostile')).statusCode).toBe(404);
    expect((await send('GET', '/api/v1/slos/good')).json().indicator).toEqual(good.indicator);
  });

  it.each(ACCEPTED)('accepts %s, and its status comes from Prometheus', async (_what, fields) => {
    const id = `accepted-${ACCEPTED.findIndex(([, f]) => f === fields)}`;
    const created = await send('POST', '/api/v1/slos', { ...good, id, ...fields });
    expect(created.statusCode).toBe(201);
    const status = await send('GET', `/api/v1/slos/${id}/status`);
    expect(status.statusCode).toBe(200);
    // no traffic in this Prometheus: a number-free but valid answer, not a refusal
    expect(status.json()).toMatchObject({ id, sli: null });
  });

  describe('definitions stored before the grammar was enforced', () => {
    it.each(STORED)(
      '%s reads back as stored, and its status and budget are 422s naming the field',
      async (id, _fields, field) => {
        const read = await send('GET', `/api/v1/slos/${id}`);
        expect(read.statusCode).toBe(200);
        const status = await send('GET', `/api/v1/slos/${id}/status`);
        expect(status.statusCode).toBe(422);
        expect(status.json()).toEqual({
          error: 'invalid_definition',
          message: expect.stringContaining(`SLO ${id} cannot be evaluated: ${field}: `),
          details: [{ field, message: expect.any(String) }],
        });
        const budget = await send('GET', `/api/v1/slos/${id}/budget`);
        expect(budget.statusCode).toBe(422);
        expect(budget.json().details[0].field).toBe(field);
      },
    );

    it('leave every other SLO evaluated: batch status, the data source and the gate', async () => {
      const batch = (await send('GET', '/api/v1/slos/status')).json();
      expect(batch.items.map((i: { id: string }) => i.id)).toContain('good');
      expect(batch.errors).toEqual(
        expect.arrayContaining(
          STORED.map(([id]) => expect.objectContaining({ id, error: 'invalid_definition' })),
        ),
      );
      const query = await send('POST', '/api/v1/query', {
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date().toISOString(),
        queries: [{ refId: 'A', kind: 'slo-status', slo: 'good,injected', burndownPoints: 0 }],
      });
      expect(query.statusCode).toBe(200);
      const a = query.json().results.A;
      expect(a.frames[0].data.values[0]).toEqual(['good']);
      expect(a.error).toContain('injected (SLO injected cannot be evaluated: indicator.total');
      expect((await send('GET', '/api/v1/gates/api')).statusCode).toBe(200);
      // the gate of the service they belong to fails closed, saying which definition to correct
      const closed = await send('GET', '/api/v1/gates/legacy');
      expect(closed.statusCode).toBe(422);
      expect(closed.json()).toMatchObject({
        error: 'invalid_definition',
        details: [{ field: expect.any(String) }],
      });
    });

    it("are left out of the rule file, named in a comment; Prometheus loads the others' rules", async () => {
      const res = await send('GET', '/api/v1/slos/rules');
      expect(res.statusCode).toBe(200);
      const yaml = res.body;
      for (const [id, , field] of STORED) expect(yaml).toContain(`# skipped SLO ${id}: ${field}: `);
      expect(yaml).not.toContain('vector(1) or (x_total');
      const dir = mkdtempSync(join(tmpdir(), 'opsdeck-hostile-'));
      try {
        writeFileSync(join(dir, 'rules.yml'), yaml);
        const { stdout } = await run(PROMTOOL, ['check', 'rules', join(dir, 'rules.yml')]);
        expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const loaded = await startPrometheus({ rules: [yaml] });
      try {
        const body = (await (await fetch(`${loaded.url}/api/v1/rules`)).json()) as {
          data: { groups: { name: string; rules: { health: string }[] }[] };
        };
        const names = body.data.groups.map((g) => g.name);
        expect(names).toContain('opsdeck-slo-good');
        for (const [id] of STORED) expect(names).not.toContain(`opsdeck-slo-${id}`);
        expect(body.data.groups.every((g) => g.rules.every((r) => r.health !== 'err'))).toBe(true);
      } finally {
        await loaded.remove();
      }
    });
  });

  describe('the cost of one POST /query', () => {
    const range = { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' };
    it('answers 400 naming body.queries, the limit and the heaviest target when over budget', async () => {
      const queries = Array.from({ length: 50 }, (_, i) => ({ refId: `Q${i}`, kind: 'slo-status' }));
      queries[7] = { refId: 'Q7', kind: 'slo-budget', maxDataPoints: 1000 } as (typeof queries)[number];
      const res = await send('POST', '/api/v1/query', { ...range, queries });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({
        error: 'query_budget_exceeded',
        details: [{ field: 'body.queries', limit: 2000, heaviest: 'body.queries.7' }],
      });
      expect(body.message).toContain('over the limit of 2000 per request (QUERY_MAX_POINTS)');
    });

    it('runs a request within budget, and tables cost nothing', async () => {
      const res = await send('POST', '/api/v1/query', {
        ...range,
        queries: [
          { refId: 'A', kind: 'slo-status', slo: 'good', burndownPoints: 10 },
          { refId: 'B', kind: 'slo-budget', slo: 'good', maxDataPoints: 100 },
          ...Array.from({ length: 40 }, (_, i) => ({ refId: `T${i}`, kind: 'incidents' })),
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().results.A.frames[0].data.values[0]).toEqual(['good']);
    });
  });
});

// Issue 14: a viewer's heavy queries filled the Prometheus slots the deploy gates wait on.
describe('a deploy gate while dashboards hold every shared Prometheus slot', () => {
  let prom: PrometheusServer;
  let t: TestApp;
  beforeAll(async () => {
    prom = await startPrometheus();
    t = await createTestApp('sqlite', {
      env: { PROMETHEUS_URL: prom.url, PROMETHEUS_CONCURRENCY: '1', PROMETHEUS_GATE_CONCURRENCY: '1' },
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/slos',
      payload: good,
      headers: auth('editor'),
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await prom?.remove();
  });

  it('answers on the slots kept for gates, before the queued dashboard queries', async () => {
    const settled: string[] = [];
    // each makes Prometheus evaluate over a million points, queued on the one shared slot
    const heavy = [1, 2, 3].map((i) =>
      t.app.prometheus
        .instant(`count_over_time(vector(${i})[20d:1s])`, new Date())
        .then(() => settled.push(`dashboard ${i}`)),
    );
    await new Promise((r) => setTimeout(r, 50));
    const gate = await t.app.inject({ method: 'GET', url: '/api/v1/gates/api', headers: auth('viewer') });
    settled.push('gate');
    expect(gate.statusCode).toBe(200);
    expect(gate.json()).toMatchObject({ service: 'api', decision: 'proceed' });
    await Promise.all(heavy);
    expect(settled).toEqual(['gate', 'dashboard 1', 'dashboard 2', 'dashboard 3']);
  });
});

describe('generated rules of hostile but valid SLOs under promtool and vmalert', () => {
  const base = SloCreate.parse({ ...good, id: 'hostile', service: 'api' });
  const slos: SloSpec[] = ACCEPTED.map(([, fields], i) =>
    SloCreate.parse({ ...good, id: `accepted-${i}`, ...fields }),
  );
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsdeck-hostile-promtool-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool check rules accepts the rules of every accepted definition together', async () => {
    writeFileSync(join(dir, 'all.yml'), sloRulesYaml(slos));
    const { stdout } = await run(PROMTOOL, ['check', 'rules', join(dir, 'all.yml')]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  // VictoriaMetrics's vmalert parses the same templates (Go's text/template) and PromQL (MetricsQL)
  it('vmalert -dryRun accepts them too, and refuses a broken template, so the check means something', async () => {
    const VMALERT = process.env.VMALERT ?? '/usr/bin/vmalert';
    writeFileSync(join(dir, 'vm.yml'), sloRulesYaml(slos));
    await expect(run(VMALERT, [`-rule=${join(dir, 'vm.yml')}`, '-dryRun'])).resolves.toBeDefined();
    writeFileSync(join(dir, 'vm-broken.yml'), sloRulesYaml(slos).replaceAll('{{ "{" }}', '{{ "{" '));
    await expect(run(VMALERT, [`-rule=${join(dir, 'vm-broken.yml')}`, '-dryRun'])).rejects.toThrow();
  });

  // Prometheus expands alert labels and annotations as Go templates: the escaped name must come out as
  // written, never run (`{{ query "up" }}` would query Prometheus from inside every alert).
  it('Prometheus expands the escaped name and labels back to exactly what was written', async () => {
    const name = '{{ query "up" }} "quoted"\nÜnïcødé ✓ {';
    const slo = SloCreate.parse({
      ...base,
      name,
      labels: { team: '{{ $labels.slo }}' },
      alerting: { pageSeverity: 'S1', ticketSeverity: 'S3' },
    });
    writeFileSync(join(dir, 'templated.rules.yml'), sloRulesYaml([slo]));
    const page = sloRuleGroup(slo).rules.find((r) => 'alert' in r && r.labels.long === '1h');
    const description = (page as { annotations: Record<string, string> }).annotations.description!.replace(
      '{{ $value | humanizePercentage }}',
      '100%',
    );
    // at minute 10 only the fastest page has fired (the others wait out their `for`)
    const fast = {
      exp_labels: {
        team: '{{ $labels.slo }}',
        slo: 'hostile',
        service: 'api',
        severity: 'S1',
        slo_tier: 'page',
        long: '1h',
        short: '5m',
      },
      exp_annotations: {
        summary: `${name}: error budget burning 14.4x too fast`,
        description,
        runbook_url: 'http://localhost:3000/a/opsdeck-sre-app/runbooks?rbService=api',
      },
    };
    const test = {
      interval: '1m',
      input_series: [{ series: 'http_requests_total{code="500"}', values: '0+60x40' }],
      alert_rule_test: [{ eval_time: '10m', alertname: SLO_ALERT_NAME, exp_alerts: [fast] }],
    };
    writeFileSync(
      join(dir, 'templated.test.yml'),
      stringify({ rule_files: ['templated.rules.yml'], evaluation_interval: '1m', tests: [test] }),
    );
    await expect(
      run(PROMTOOL, ['test', 'rules', join(dir, 'templated.test.yml')], { cwd: dir }),
    ).resolves.toMatchObject({ stdout: expect.stringContaining('SUCCESS') });
  });
});
