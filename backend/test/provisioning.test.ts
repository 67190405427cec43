// Provisioning loads the repository's files and the guide's content, twice without duplicates,
// and reports a bad file by path and line while the rest still loads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProvisioning } from '../src/provisioning/loader';
import { STORE_KINDS, auth, createTestApp, type TestApp } from './support/app';

const REPO_PROVISIONING = path.resolve(__dirname, '../../provisioning');

function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsdeck-prov-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const GOOD_SLO = `id: checkout-availability
name: Checkout availability
service: checkout
objective: 99.9
window: month
indicator:
  kind: ratio
  errors: http_requests_total{service="checkout",code=~"5.."}
  total: http_requests_total{service="checkout"}
`;

describe.each(STORE_KINDS)('provisioning on %s', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(kind);
  });
  afterEach(async () => t.close());

  it("loads the repository's provisioning without problems, and a second load changes nothing", async () => {
    const first = await loadProvisioning(t.app, REPO_PROVISIONING);
    expect(first.problems).toEqual([]);
    expect(first.created.length).toBeGreaterThan(0);
    const second = await loadProvisioning(t.app, REPO_PROVISIONING);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged.sort()).toEqual(first.created.sort());
    const runbooks = await t.app.inject({
      method: 'GET',
      url: '/api/v1/runbooks?limit=500',
      headers: auth('viewer'),
    });
    const ids = runbooks.json().items.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('updates a changed file in place and keeps one copy', async () => {
    const dir = writeTree({ 'slos/a.yaml': GOOD_SLO });
    expect((await loadProvisioning(t.app, dir)).created).toEqual(['slo checkout-availability']);
    fs.writeFileSync(path.join(dir, 'slos/a.yaml'), GOOD_SLO.replace('99.9', '99.5'));
    const again = await loadProvisioning(t.app, dir);
    expect(again.updated).toEqual(['slo checkout-availability']);
    const slo = await t.app.inject({
      method: 'GET',
      url: '/api/v1/slos/checkout-availability',
      headers: auth('viewer'),
    });
    expect(slo.json()).toMatchObject({ objective: 99.5, version: 2, source: 'provisioning' });
  });

  it('names the file and line of each bad document and still loads the good ones', async () => {
    const dir = writeTree({
      'slos/good.yaml': GOOD_SLO,
      'slos/bad-value.yaml': GOOD_SLO.replace('id: checkout-availability', 'id: other').replace(
        'objective: 99.9',
        'objective: 140',
      ),
      'slos/bad-yaml.yaml': 'id: broken\nid: twice\n',
      'maintenance-windows/w.yaml':
        'id: w1\nname: Weekly\nschedule:\n  kind: weekly\n  days: [XX]\n  startTime: "02:00"\n  durationMinutes: 60\nmatchers:\n  - {name: a, value: b}\n',
      'runbooks/rb.md': '---\nid: good-runbook\ntitle: Good\nalerts: [A]\n---\n# Steps\n- [ ] one\n',
      'runbooks/bad.md': '---\nid: Bad Id\ntitle: Bad\n---\nbody\n',
    });
    const result = await loadProvisioning(t.app, dir);
    expect(result.created.sort()).toEqual(['runbook good-runbook', 'slo checkout-availability']);
    const byFile = Object.fromEntries(result.problems.map((p) => [path.basename(p.file), p]));
    expect(byFile['bad-value.yaml']).toMatchObject({ line: 4 });
    expect(byFile['bad-value.yaml']!.message).toMatch(/^objective: /);
    expect(byFile['bad-yaml.yaml']!.line).toBe(2);
    expect(byFile['w.yaml']).toMatchObject({ line: 5 });
    expect(byFile['w.yaml']!.message).toMatch(/^schedule\.days\.0/);
    expect(byFile['bad.md']).toMatchObject({ line: 2 });
    expect(byFile['bad.md']!.message).toMatch(/^id: /);
  });

  it('refuses an SLO file whose id a fixed /slos route answers, naming id and its line', async () => {
    const dir = writeTree({
      'slos/rules.yaml': `description: shadows GET /slos/rules\n${GOOD_SLO.replace('id: checkout-availability', 'id: rules')}`,
    });
    const result = await loadProvisioning(t.app, dir);
    expect(result.created).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/^id: "rules" is taken by the route \/api\/v1\/slos\/rules/),
      }),
    ]);
  });

  it('refuses a runbook whose id a fixed /runbooks route answers, naming id and its line', async () => {
    const dir = writeTree({
      'runbooks/search.md': '---\ntitle: Searching logs\nid: search\n---\n# Searching logs\n',
    });
    const result = await loadProvisioning(t.app, dir);
    expect(result.created).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringMatching(/^id: "search" is taken by the route \/api\/v1\/runbooks\/search/),
      }),
    ]);
  });
});
