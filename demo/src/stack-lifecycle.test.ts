// The local stack's lifecycle with real processes (backend and demo; Prometheus and Alertmanager
// left out to keep it quick): it starts and reports its URLs, stop() leaves nothing listening, and
// an abort during start-up stops what already runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { banner, freePort, startStack, waitForSlos } from '../../scripts/stack';

const root = join(__dirname, '..', '..');
let dataDir: string;

beforeAll(() => {
  // `npm test` builds common and backend first; the demo is this test's own to build.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'demo'], { cwd: root, stdio: 'inherit' });
});
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-stack-life-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const listening = (url: string) =>
  fetch(`${url}/healthz`).then(
    (r) => r.ok,
    () => false,
  );

it('starts backend and demo with the provisioning and SLO rules, says what to install, and stop() ends them', async () => {
  const stack = await startStack({
    root,
    dataDir,
    ports: { backend: 0, demo: 0 },
    prometheusBin: null,
    alertmanagerBin: null,
    log: () => undefined,
  });
  try {
    expect(Object.keys(stack.urls).sort()).toEqual(['backend', 'demo']);
    expect(await listening(stack.urls.backend!)).toBe(true);
    const runbooks = await fetch(`${stack.urls.backend}/api/v1/runbooks`, {
      headers: { authorization: `Bearer ${stack.tokens.admin}` },
    }).then((r) => r.json() as Promise<{ items: { id: string }[] }>);
    expect(runbooks.items.map((r) => r.id)).toContain('tls-cert-expiry');
    expect(stack.rulesSource).toBe('cli');
    expect(readFileSync(join(dataDir, 'prometheus/rules/slo-rules.yml'), 'utf8')).toContain(
      'opsdeck-slo-api-availability',
    );
    // without Prometheus nothing is waited for, and both the wait and the banner say what to install
    const said: string[] = [];
    const readiness = await waitForSlos(stack, { log: (line) => said.push(line) });
    expect(readiness).toMatchObject({ rulesLoaded: false, numeric: [] });
    expect(said).toEqual([
      'SLO status needs Prometheus, which is not installed: sudo apt-get install -y prometheus',
    ]);
    const text = banner(stack, readiness);
    expect(text).toContain('not installed, so SLO status answers 503: sudo apt-get install -y prometheus\n');
    expect(text).toContain(
      'not installed, so the silencer has nothing to manage: sudo apt-get install -y prometheus-alertmanager',
    );
  } finally {
    await stack.stop();
  }
  expect(await listening(stack.urls.backend!)).toBe(false);
  expect(await listening(stack.urls.demo!)).toBe(false);
});

it('an abort during start-up stops what already runs and rejects', async () => {
  const ports = { demo: await freePort(0), backend: await freePort(0) };
  const controller = new AbortController();
  const demoUrl = `http://127.0.0.1:${ports.demo}`;
  const starting = startStack({
    root,
    dataDir,
    ports,
    prometheusBin: null,
    alertmanagerBin: null,
    log: () => undefined,
    signal: controller.signal,
  });
  while (!(await listening(demoUrl))) await new Promise((r) => setTimeout(r, 50));
  controller.abort();
  await expect(starting).rejects.toThrow(/interrupted/);
  expect(await listening(demoUrl)).toBe(false);
  expect(await listening(`http://127.0.0.1:${ports.backend}`)).toBe(false);
});
