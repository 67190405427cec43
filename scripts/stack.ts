// The local opsdeck stack without Docker: the backend on SQLite with the provisioning loaded, the
// demo traffic, and Prometheus (with the generated SLO rules) and Alertmanager configured from
// provisioning/, installed from Debian when missing. `npm run stack` starts it; Ctrl-C stops it.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SLO_ALERT_NAME, SloCreate, sloRulesYaml } from '@opsdeck/common';
import { parse, stringify } from 'yaml';

export interface StackOptions {
  /** Repository root: provisioning/, backend/dist and demo/dist are found from here. */
  root: string;
  /** Where databases, TSDB, rendered configs and logs go; default <root>/data/stack. */
  dataDir?: string;
  /** Preferred ports; a taken port is replaced by a free one. */
  ports?: Partial<Record<ComponentName, number>>;
  /** Prometheus scrape and rule evaluation interval, e.g. `5s`; default: the provisioning file's. */
  scrapeInterval?: string;
  /** Binaries; default: looked up on PATH. `null` leaves the component out. */
  prometheusBin?: string | null;
  alertmanagerBin?: string | null;
  /** Extra environment for the backend (e.g. SILENCER_INTERVAL_SECONDS). */
  backendEnv?: Record<string, string>;
  log?: (line: string) => void;
  /** Aborting during start-up stops what already runs and rejects; afterwards use `stop()`. */
  signal?: AbortSignal;
}

export type ComponentName = 'backend' | 'demo' | 'prometheus' | 'alertmanager';

export interface Stack {
  urls: Partial<Record<ComponentName, string>>;
  /** Tokens the backend accepts: `admin` (admin role) and `grafana` (editor, for Grafana's data source). */
  /** admin; the app's Grafana proxy token (editor); the data source's viewer token */
  tokens: { admin: string; grafana: string; datasource: string };
  /**
   * How the SLO rules file came about: `cli` (`opsdeck rules`), `api` (`GET /api/v1/slos/rules`),
   * `slos` (the backend's SLO list through the shared rule generator), or `none`.
   */
  rulesSource: 'cli' | 'api' | 'slos' | 'none';
  dataDir: string;
  stop(): Promise<void>;
}

const DEFAULT_PORTS: Record<ComponentName, number> = {
  backend: 3001,
  demo: 9464,
  prometheus: 9090,
  alertmanager: 9093,
};
const READY_TIMEOUT_MS = 60_000;
const COMPONENT_TITLES: Record<ComponentName, string> = {
  backend: 'the opsdeck backend',
  demo: 'the demo traffic',
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
};

/**
 * The Debian packages the stack runs, each with the program that shows it is installed; Prometheus's
 * package also brings promtool, which the stack does not need.
 */
export const STACK_PACKAGES: { component: ComponentName; package: string; programs: string[] }[] = [
  { component: 'prometheus', package: 'prometheus', programs: ['prometheus'] },
  {
    component: 'alertmanager',
    package: 'prometheus-alertmanager',
    programs: ['prometheus-alertmanager', 'alertmanager'],
  },
];

const programsOf = (component: ComponentName) =>
  STACK_PACKAGES.find((p) => p.component === component)?.programs ?? [];

/** The line that installs what is missing, for the banner and for a user without root. */
export function installLine(components: ComponentName[]): string {
  const packages = STACK_PACKAGES.filter((p) => components.includes(p.component)).map((p) => p.package);
  return `sudo apt-get install -y ${packages.join(' ')}`;
}

/**
 * Installs the stack's missing Debian packages through the test suite's install step
 * (`.ci/debian-packages`): as root it installs them, otherwise it prints the install line and the
 * stack starts without them.
 */
export function installMissingPackages(root: string): void {
  const missing = STACK_PACKAGES.filter((p) => findBinary(programsOf(p.component)) === null);
  if (missing.length === 0) return;
  const script = join(root, '.ci', 'debian-packages');
  const pairs = missing.map((p) => `${p.package}:${p.programs[0]}`);
  const result = spawnSync('bash', [script, '--best-effort', ...pairs], { stdio: 'inherit' });
  if (result.status !== 0)
    process.stderr.write('stack: installing packages failed; starting what is there\n');
}

/** The generated SLO rule file, under the data dir. */
const RULES_FILE = join('prometheus', 'rules', 'slo-rules.yml');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function listenOnce(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => done(bound));
    });
  });
}

/** The preferred port if it is free on loopback, otherwise one the kernel picks. */
export async function freePort(preferred = 0): Promise<number> {
  try {
    return await listenOnce(preferred);
  } catch (err) {
    if (preferred === 0) throw err;
    return listenOnce(0);
  }
}

export function findBinary(names: string[], path = process.env.PATH ?? ''): string | null {
  for (const dir of [...path.split(delimiter), '/usr/bin', '/usr/local/bin']) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Rewrites the compose-oriented Prometheus config for loopback ports and absolute rule paths. */
export function renderPrometheusConfig(
  text: string,
  where: {
    demo: string;
    backend: string;
    prometheus: string;
    alertmanager?: string;
    alertsFile: string;
    rulesDir: string;
    scrapeInterval?: string;
  },
): string {
  const config = parse(text) as {
    global?: Record<string, unknown>;
    alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    rule_files?: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  if (where.scrapeInterval)
    config.global = {
      ...config.global,
      scrape_interval: where.scrapeInterval,
      evaluation_interval: where.scrapeInterval,
    };
  const targets: Record<string, string | undefined> = {
    demo: where.demo,
    'opsdeck-backend': where.backend,
    prometheus: where.prometheus,
    alertmanager: where.alertmanager,
  };
  config.scrape_configs = config.scrape_configs
    .filter((job) => targets[job.job_name] !== undefined)
    .map((job) => ({ ...job, static_configs: [{ targets: [targets[job.job_name]!] }] }));
  if (where.alertmanager)
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: [where.alertmanager] }] }] };
  else delete config.alerting;
  config.rule_files = [where.alertsFile, join(where.rulesDir, '*.yml')];
  return stringify(config);
}

/**
 * Points the webhooks, which name the compose demo and backend hosts, at the local ones; opsdeck's
 * webhook then authenticates with the local backend's editor token.
 */
export function renderAlertmanagerConfig(
  text: string,
  demoAddress: string,
  backend?: { address: string; editorToken: string },
): string {
  const local = text.replaceAll('http://demo:9464/', `http://${demoAddress}/`);
  if (!backend) return local;
  return local
    .replaceAll('http://backend:3001/', `http://${backend.address}/`)
    .replaceAll('credentials: alertmanager-demo-token', `credentials: ${backend.editorToken}`);
}

async function waitUntilReady(
  name: string,
  url: string,
  child: ChildProcess,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error(`start-up interrupted while ${name} was starting`);
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see its log`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready at ${url} after ${READY_TIMEOUT_MS / 1000}s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const root = resolve(options.root);
  const dataDir = resolve(options.dataDir ?? join(root, 'data', 'stack'));
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const provisioning = join(root, 'provisioning');
  const logs = join(dataDir, 'logs');
  for (const dir of [dataDir, logs, join(dataDir, 'prometheus', 'rules'), join(dataDir, 'alertmanager')])
    mkdirSync(dir, { recursive: true });

  const prometheusBin =
    options.prometheusBin === undefined ? findBinary(programsOf('prometheus')) : options.prometheusBin;
  const alertmanagerBin =
    options.alertmanagerBin === undefined ? findBinary(programsOf('alertmanager')) : options.alertmanagerBin;
  const port = async (name: ComponentName) => freePort(options.ports?.[name] ?? DEFAULT_PORTS[name]);
  const ports = {
    backend: await port('backend'),
    demo: await port('demo'),
    prometheus: prometheusBin ? await port('prometheus') : undefined,
    alertmanager: alertmanagerBin ? await port('alertmanager') : undefined,
  };
  const address = (p: number | undefined) => (p === undefined ? undefined : `127.0.0.1:${p}`);
  const urls: Stack['urls'] = {};
  const secret = () => randomBytes(12).toString('hex');
  const tokens = { admin: secret(), grafana: secret(), datasource: secret() };
  const children: ChildProcess[] = [];

  const start = async (
    name: ComponentName,
    command: string,
    args: string[],
    readyPath: string,
    env: Record<string, string> = {},
  ) => {
    if (options.signal?.aborted) throw new Error(`start-up interrupted before ${name}`);
    const out = createWriteStream(join(logs, `${name}.log`), { flags: 'a' });
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    children.push(child);
    const url = `http://${address(ports[name])}`;
    const began = Date.now();
    log(`starting ${COMPONENT_TITLES[name]}…`);
    await waitUntilReady(name, `${url}${readyPath}`, child, options.signal);
    log(`  ${COMPONENT_TITLES[name]} ready at ${url} (${seconds(Date.now() - began)})`);
    urls[name] = url;
  };
  const stop = async () => {
    for (const child of [...children].reverse()) await stopChild(child);
  };

  try {
    await start(
      'demo',
      process.execPath,
      [join(root, 'demo/dist/cli.js'), 'serve', '--port', String(ports.demo)],
      '/healthz',
    );
    await start('backend', process.execPath, [join(root, 'backend/dist/main.js')], '/healthz', {
      HOST: '127.0.0.1',
      PORT: String(ports.backend),
      DATABASE_URL: `sqlite:${join(dataDir, 'opsdeck.db')}`,
      OPSDECK_PROVISIONING_DIR: provisioning,
      OPSDECK_TOKENS: `admin:admin:${tokens.admin},grafana:editor:${tokens.grafana}:grafana-proxy,grafana-datasource:viewer:${tokens.datasource}`,
      PROMETHEUS_URL: ports.prometheus ? `http://${address(ports.prometheus)}` : 'http://127.0.0.1:9090',
      ALERTMANAGER_URLS: ports.alertmanager ? `http://${address(ports.alertmanager)}` : '',
      ...options.backendEnv,
    });

    const rulesFile = join(dataDir, RULES_FILE);
    const rulesSource = await generateRules(root, urls.backend!, tokens.admin, provisioning, rulesFile);
    if (rulesSource === 'none') log('note: no SLO rules generated: the backend returned no SLOs');

    if (alertmanagerBin && ports.alertmanager) {
      const config = join(dataDir, 'alertmanager', 'alertmanager.yml');
      writeFileSync(
        config,
        renderAlertmanagerConfig(
          readFileSync(join(provisioning, 'alertmanager/alertmanager.yml'), 'utf8'),
          address(ports.demo)!,
          { address: address(ports.backend)!, editorToken: tokens.grafana },
        ),
      );
      await start(
        'alertmanager',
        alertmanagerBin,
        [
          `--config.file=${config}`,
          `--storage.path=${join(dataDir, 'alertmanager', 'data')}`,
          `--web.listen-address=${address(ports.alertmanager)}`,
          '--cluster.listen-address=',
        ],
        '/-/ready',
      );
    }
    if (prometheusBin && ports.prometheus) {
      const config = join(dataDir, 'prometheus', 'prometheus.yml');
      const rendered = renderPrometheusConfig(
        readFileSync(join(provisioning, 'prometheus/prometheus.yml'), 'utf8'),
        {
          demo: address(ports.demo)!,
          backend: address(ports.backend)!,
          prometheus: address(ports.prometheus)!,
          alertmanager: address(ports.alertmanager),
          alertsFile: join(provisioning, 'prometheus', 'alerts.yml'),
          rulesDir: join(dataDir, 'prometheus', 'rules'),
          scrapeInterval: options.scrapeInterval,
        },
      );
      writeFileSync(config, rendered);
      await start(
        'prometheus',
        prometheusBin,
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dataDir, 'prometheus', 'data')}`,
          '--storage.tsdb.retention.time=90d',
          `--web.listen-address=${address(ports.prometheus)}`,
          '--web.enable-lifecycle',
        ],
        '/-/ready',
      );
    }
    if (options.signal?.aborted) throw new Error('start-up interrupted');
    return { urls, tokens, rulesSource, dataDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Writes the SLO rule file: from the backend's CLI when built, else from the running backend's rules
 * endpoint, else from the SLOs the backend loaded, through the same generator the CLI uses.
 */
async function generateRules(
  root: string,
  backendUrl: string,
  token: string,
  provisioning: string,
  file: string,
): Promise<Stack['rulesSource']> {
  const cli = join(root, 'backend/dist/cli.js');
  if (existsSync(cli)) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [cli, 'rules'], {
        cwd: root,
        env: { ...process.env, OPSDECK_PROVISIONING_DIR: provisioning },
        maxBuffer: 64 * 1024 * 1024,
      });
      if (stdout.includes('groups:')) {
        writeFileSync(file, stdout);
        return 'cli';
      }
    } catch {
      // fall back to the API below
    }
  }
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${backendUrl}/api/v1/slos/rules`, { headers }).catch(() => null);
  if (res?.ok) {
    writeFileSync(file, await res.text());
    return 'api';
  }
  const list = await fetch(`${backendUrl}/api/v1/slos?limit=500`, { headers }).catch(() => null);
  if (!list?.ok) return 'none';
  const { items } = (await list.json()) as { items: Record<string, unknown>[] };
  const specs = items.map(
    ({ version: _v, createdAt: _c, updatedAt: _u, createdBy: _b, source: _s, ...spec }) =>
      SloCreate.parse(spec),
  );
  writeFileSync(file, sloRulesYaml(specs));
  return 'slos';
}

/** What the stack's SLOs looked like when waiting for them ended. */
export interface SloReadiness {
  /** Prometheus has every group of the generated rule file loaded. */
  rulesLoaded: boolean;
  /** SLO ids whose status has a numeric SLI, and the others. */
  numeric: string[];
  pending: string[];
  elapsedMs: number;
}

/**
 * Waits, reporting progress, until Prometheus has loaded the SLO rules and the first SLO status (or,
 * with `until: 'all'`, every one) is numeric, or until the timeout. Prometheus needs two scrapes of a
 * counter before an increase exists, and the recording rules one evaluation of their group (1m, and
 * 2m30s for the window group) before their series do.
 */
export async function waitForSlos(
  stack: Stack,
  options: {
    log?: (line: string) => void;
    until?: 'first' | 'all';
    timeoutMs?: number;
    signal?: AbortSignal;
  } = {},
): Promise<SloReadiness> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const enough = (r: SloReadiness) =>
    r.numeric.length > 0 && (options.until !== 'all' || r.pending.length === 0);
  const began = Date.now();
  const deadline = began + (options.timeoutMs ?? 300_000);
  const pause = () => new Promise((r) => setTimeout(r, 1000));
  const live = () => Date.now() < deadline && !options.signal?.aborted;
  const readiness: SloReadiness = { rulesLoaded: false, numeric: [], pending: [], elapsedMs: 0 };
  const prometheus = stack.urls.prometheus;
  if (!prometheus) {
    log(`SLO status needs Prometheus, which is not installed: ${installLine(['prometheus'])}`);
    return readiness;
  }

  const rulesFile = join(stack.dataDir, RULES_FILE);
  const wanted = existsSync(rulesFile)
    ? ((parse(readFileSync(rulesFile, 'utf8')) as { groups?: { name: string }[] } | null)?.groups ?? []).map(
        (g) => g.name,
      )
    : [];
  log(`waiting for Prometheus to load the ${wanted.length} SLO rule groups…`);
  while (live()) {
    const body = await fetch(`${prometheus}/api/v1/rules`)
      .then((r) => r.json() as Promise<{ data?: { groups?: { name: string }[] } }>)
      .catch(() => null);
    const loaded = new Set((body?.data?.groups ?? []).map((g) => g.name));
    if (wanted.every((name) => loaded.has(name))) {
      readiness.rulesLoaded = true;
      log(`  rules loaded (${seconds(Date.now() - began)})`);
      break;
    }
    await pause();
  }

  log(
    `waiting for ${options.until === 'all' ? 'every SLO status' : 'the first SLO status'} to be numeric (Prometheus scrapes, then the recording rules evaluate; about a minute)…`,
  );
  let reported = -1;
  let lastReport = 0;
  while (live()) {
    const res = await fetch(`${stack.urls.backend}/api/v1/slos/status`, {
      headers: { authorization: `Bearer ${stack.tokens.admin}` },
    }).catch(() => null);
    const body = res?.ok
      ? ((await res.json()) as { items: { id: string; sli: number | null }[]; errors: { id: string }[] })
      : { items: [], errors: [] };
    readiness.numeric = body.items.filter((i) => typeof i.sli === 'number').map((i) => i.id);
    readiness.pending = [
      ...body.items.filter((i) => typeof i.sli !== 'number').map((i) => i.id),
      ...body.errors.map((e) => e.id),
    ];
    const total = readiness.numeric.length + readiness.pending.length;
    if (enough(readiness)) break;
    if (readiness.numeric.length !== reported || Date.now() - lastReport > 10_000) {
      log(`  ${readiness.numeric.length} of ${total} SLOs numeric (${seconds(Date.now() - began)})`);
      reported = readiness.numeric.length;
      lastReport = Date.now();
    }
    await pause();
  }
  readiness.elapsedMs = Date.now() - began;
  const total = readiness.numeric.length + readiness.pending.length;
  if (enough(readiness))
    log(`  ${readiness.numeric.length} of ${total} SLOs numeric (${seconds(readiness.elapsedMs)})`);
  else if (!options.signal?.aborted)
    log(
      `note: still no numeric status for ${readiness.pending.join(', ') || 'any SLO'}; see ${join(stack.dataDir, 'logs')}`,
    );
  return readiness;
}

/** The closing lines: where everything is, the tokens, and first commands to try. */
export function banner(stack: Stack, readiness?: SloReadiness, now = new Date()): string {
  const { urls, tokens } = stack;
  const auth = `-H 'Authorization: Bearer ${tokens.admin}'`;
  const sloId = readiness?.numeric.includes('api-availability')
    ? 'api-availability'
    : (readiness?.numeric[0] ?? 'api-availability');
  const window = JSON.stringify({
    name: 'silence the api page',
    schedule: {
      kind: 'once',
      start: now.toISOString(),
      end: new Date(now.getTime() + 3_600_000).toISOString(),
    },
    matchers: [
      { name: 'alertname', op: '=', value: SLO_ALERT_NAME },
      { name: 'slo', op: '=', value: 'api-availability' },
    ],
  });
  const lines = [
    '',
    'opsdeck stack is up:',
    `  backend       ${urls.backend}  (API docs: ${urls.backend}/api/v1/docs)`,
    `  demo traffic  ${urls.demo}/metrics`,
    urls.prometheus
      ? `  Prometheus    ${urls.prometheus}  (alerts: ${urls.prometheus}/alerts)`
      : `  Prometheus    not installed, so SLO status answers 503: ${installLine(['prometheus'])}`,
    urls.alertmanager
      ? `  Alertmanager  ${urls.alertmanager}  (silences: ${urls.alertmanager}/#/silences)`
      : `  Alertmanager  not installed, so the silencer has nothing to manage: ${installLine(['alertmanager'])}`,
    `  SLO rules     ${stack.rulesSource === 'none' ? 'none generated' : `generated (${stack.rulesSource}) into ${join(stack.dataDir, RULES_FILE)}`}`,
    ...(readiness && urls.prometheus
      ? [
          `  SLO status    ${readiness.numeric.length} of ${readiness.numeric.length + readiness.pending.length} numeric after ${seconds(readiness.elapsedMs)}`,
        ]
      : []),
    `  admin token   ${tokens.admin}`,
    `  app token     ${tokens.grafana}  (editor, Grafana's proxy token; for the opsdeck app in your Grafana)`,
    `  data source   ${tokens.datasource}  (viewer; for the opsdeck data source in your Grafana)`,
    '',
    'Try:',
    `  curl -s ${auth} ${urls.backend}/api/v1/slos/${sloId}/status`,
    '  # burn the api error budget: SloErrorBudgetBurn pages in Prometheus, then in Alertmanager',
    `  node demo/dist/cli.js inject --url ${urls.demo} --service api --error-rate 0.2 --for 10m`,
    '  # a maintenance window for the next hour silences it in Alertmanager within seconds',
    `  curl -s ${auth} -H 'Content-Type: application/json' ${urls.backend}/api/v1/maintenance-windows -d '${window}'`,
    `Logs and data: ${stack.dataDir}. Ctrl-C stops everything.`,
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const env = process.env;
  const num = (v: string | undefined) => (v ? Number(v) : undefined);
  // Signals are handled from the first moment: Ctrl-C during start-up stops what already runs.
  const startup = new AbortController();
  let running: Stack | undefined;
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping the stack…\n');
    startup.abort();
    if (running) void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const root = resolve(__dirname, '..', '..');
  const began = Date.now();
  installMissingPackages(root);
  startStack({
    root,
    dataDir: env.STACK_DATA_DIR,
    scrapeInterval: env.STACK_SCRAPE_INTERVAL,
    ports: {
      backend: num(env.STACK_BACKEND_PORT),
      demo: num(env.STACK_DEMO_PORT),
      prometheus: num(env.STACK_PROMETHEUS_PORT),
      alertmanager: num(env.STACK_ALERTMANAGER_PORT),
    },
    signal: startup.signal,
  })
    .then(async (stack) => {
      running = stack;
      const first = await waitForSlos(stack, { signal: startup.signal });
      if (stopping) return;
      process.stdout.write(`${banner(stack, first)}\nUp in ${seconds(Date.now() - began)}.\n`);
      if (first.pending.length === 0) return;
      // the other SLOs follow as their recording rules first evaluate: one line when all have
      const all = await waitForSlos(stack, { until: 'all', log: () => undefined, signal: startup.signal });
      if (stopping) return;
      process.stdout.write(
        all.pending.length === 0
          ? `every SLO status is numeric, ${seconds(Date.now() - began)} after the start\n`
          : `note: still no numeric status for ${all.pending.join(', ')}; see ${join(stack.dataDir, 'logs')}\n`,
      );
    })
    .catch((err: unknown) => {
      process.stderr.write(`stack: ${(err as Error).message}\n`);
      process.exit(stopping ? 0 : 1);
    });
}
