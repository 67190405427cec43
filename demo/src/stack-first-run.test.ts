// The first run of the local stack as `npm run stack` does it, with real processes: start everything,
// wait as the stack waits until Prometheus has the SLO rules and an SLO status is numeric, then run
// the banner's commands: the SLO status answers a number, the maintenance window becomes a silence.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SLO_ALERT_NAME } from '@opsdeck/common';
import { banner, startStack, waitForSlos, type SloReadiness, type Stack } from '../../scripts/stack';

const root = join(__dirname, '..', '..');
const MINUTE = 60_000;
const run = promisify(execFile);
let stack: Stack;
let dataDir: string;
let readiness: SloReadiness;
const progress: string[] = [];

beforeAll(async () => {
  // `npm test` builds common and backend first; the demo is this test's own to build.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'demo'], { cwd: root, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-stack-first-'));
  stack = await startStack({
    root,
    dataDir,
    ports: { backend: 0, demo: 0, prometheus: 0, alertmanager: 0 },
    scrapeInterval: '2s',
    backendEnv: { SILENCER_INTERVAL_SECONDS: '1', LOG_LEVEL: 'warn' },
    log: (line) => progress.push(line),
  });
  readiness = await waitForSlos(stack, { log: (line) => progress.push(line), timeoutMs: 3 * MINUTE });
}, 4 * MINUTE);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('reports each component, the rules loading and the first numeric SLO status as it waits', () => {
  expect(Object.keys(stack.urls).sort()).toEqual(['alertmanager', 'backend', 'demo', 'prometheus']);
  expect(readiness.rulesLoaded).toBe(true);
  expect(readiness.numeric.length).toBeGreaterThan(0);
  for (const expected of [
    /^starting Prometheus…$/,
    /^ {2}Prometheus ready at http:\/\/127\.0\.0\.1:\d+ \(\d+\.\d s\)$/,
    /^waiting for Prometheus to load the \d+ SLO rule groups…$/,
    /^ {2}rules loaded/,
    /^waiting for the first SLO status to be numeric/,
    /^ {2}[1-9]\d* of \d+ SLOs numeric \(\d+\.\d s\)$/,
  ])
    expect(progress).toContainEqual(expect.stringMatching(expected));
});

it('ends with URLs, tokens and a first command that answers a numeric SLO status', async () => {
  const text = banner(stack, readiness);
  for (const url of Object.values(stack.urls)) expect(text).toContain(url);
  expect(text).toContain(stack.tokens.admin);
  expect(text).toContain(stack.tokens.grafana);
  expect(text).toContain(`inject --url ${stack.urls.demo} --service api`);
  const curl = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('curl -s') && l.includes('/status'));
  expect(curl).toBeDefined();
  const { stdout } = await run('bash', ['-c', curl!], { cwd: root });
  const status = JSON.parse(stdout) as { id: string; sli: unknown };
  expect(readiness.numeric).toContain(status.id);
  expect(typeof status.sli).toBe('number');
});

it("the banner's maintenance-window command becomes a silence in Alertmanager", async () => {
  const window = banner(stack, readiness)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('curl') && l.includes('/maintenance-windows'));
  expect(window).toBeDefined();
  const { stdout } = await run('bash', ['-c', window!], { cwd: root });
  expect(JSON.parse(stdout)).toMatchObject({ id: expect.any(String), version: 1 });
  type Silence = {
    status: { state: string };
    matchers: { name: string; value: string; isRegex: boolean }[];
  };
  const deadline = Date.now() + MINUTE;
  let active: Silence[] = [];
  while (Date.now() < deadline && active.length === 0) {
    const silences = (await (await fetch(`${stack.urls.alertmanager}/api/v2/silences`)).json()) as Silence[];
    active = silences.filter((s) => s.status.state === 'active');
    if (active.length === 0) await new Promise((r) => setTimeout(r, 500));
  }
  expect(active).toHaveLength(1);
  expect(active[0]!.matchers).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'alertname', value: SLO_ALERT_NAME, isRegex: false }),
      expect.objectContaining({ name: 'slo', value: 'api-availability', isRegex: false }),
    ]),
  );
});
