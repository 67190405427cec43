// Validates what Docker and Grafana would load, without running either: docker-compose.yml, the
// Dockerfiles, and every provisioning file (Prometheus and Alertmanager configs checked by the real
// promtool and amtool, runbooks against the wire schema, dashboards against the plugins and the
// opsdeck data source's query schema, their PromQL through Prometheus's own parser).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import matter from 'gray-matter';
import { parse } from 'yaml';
import { DEFAULT_ALERT_SEVERITIES, OpsdeckQuery, RunbookCreate, SLO_ALERT_NAME } from '@opsdeck/common';
import { DEFAULT_OPTIONS as SLO_PANEL_DEFAULTS } from '../../panel-plugin/src/options';
import { COMMANDS } from '../src/cli';
import { loadConfig } from '../src/config';
import {
  dashboardQueries,
  provisionedDashboards,
  withoutDataSource,
  type Dashboard,
} from './support/dashboard-queries';

const root = join(__dirname, '..', '..');
const provisioning = join(root, 'provisioning');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
/** Parsed YAML is navigated freely here: each assertion checks the shape it relies on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;
const yamlFile = (path: string) => parse(read(path)) as Yaml;
/** Compose's `${VAR:-default}` with nothing set: the defaults the stack runs with. */
const expandDefaults = (v: string) => v.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every plugin the repository builds: id, type and Grafana dependency from its src/plugin.json. */
const plugins = ['datasource-plugin', 'panel-plugin', 'app-plugin']
  .filter((dir) => existsSync(join(root, dir, 'src', 'plugin.json')))
  .map((dir) => ({
    dir,
    ...(JSON.parse(read(`${dir}/src/plugin.json`)) as {
      id: string;
      type: string;
      dependencies: { grafanaDependency: string };
    }),
  }));
const pluginIds = new Set(plugins.map((p) => p.id));

const CORE_PANELS = new Set([
  'timeseries',
  'stat',
  'table',
  'text',
  'gauge',
  'bargauge',
  'barchart',
  'piechart',
  'state-timeline',
  'logs',
  'row',
]);
const CORE_DATASOURCES = new Set(['prometheus', 'grafana', 'datasource']);

const compose = yamlFile('docker-compose.yml');
const services = compose.services as Record<string, Yaml>;
const grafanaDatasources = yamlFile('provisioning/grafana/datasources/opsdeck.yml').datasources as {
  uid: string;
  type: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}[];
const dashboards = provisionedDashboards();
const dashboardDir = join(provisioning, 'grafana', 'dashboards', 'opsdeck');

/** `>=12.3.0` style constraints against an image tag like `12.3.0`. */
function satisfies(version: string, constraint: string): boolean {
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(constraint.trim());
  if (!match) throw new Error(`unsupported constraint ${constraint}`);
  const have = version.split('.').map(Number);
  const want = match.slice(1).map(Number);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

describe('docker-compose.yml', () => {
  it('runs the whole stack, PostgreSQL only in its optional profile', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['alertmanager', 'backend', 'demo', 'grafana', 'postgres', 'prometheus', 'slo-rules'].sort(),
    );
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.profiles]).toEqual([name, name === 'postgres' ? ['postgres'] : undefined]);
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(Object.keys(services)).toContain(dependency);
    }
    expect(services.backend.depends_on.postgres).toEqual({ condition: 'service_healthy', required: false });
  });

  it('pins a Grafana version that satisfies every plugin’s grafanaDependency', () => {
    const [, tag] = /^grafana\/grafana:(\d+\.\d+\.\d+)$/.exec(services.grafana.image) ?? [];
    expect(tag).toBeDefined();
    expect(plugins.length).toBeGreaterThanOrEqual(2);
    for (const plugin of plugins)
      expect([plugin.id, satisfies(tag!, plugin.dependencies.grafanaDependency)]).toEqual([plugin.id, true]);
    expect(satisfies('12.2.9', '>=12.3.0')).toBe(false);
  });

  it('mounts only paths that exist, plugin dist folders of real plugins that Grafana allows unsigned', () => {
    const unsigned = String(services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(
      ',',
    );
    const named = Object.keys(compose.volumes);
    for (const [name, service] of Object.entries(services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const [source, target] = volume.split(':') as [string, string];
        if (!source.startsWith('.')) {
          expect([name, named]).toEqual([name, expect.arrayContaining([source])]);
          continue;
        }
        const path = join(root, source);
        if (basename(source) === 'dist') {
          // Built output: the plugin it comes from must exist and be mounted under its own id.
          const plugin = plugins.find((p) => join(root, p.dir, 'dist') === path);
          expect([source, plugin?.id]).toEqual([source, basename(target)]);
          expect(unsigned).toContain(plugin!.id);
        } else {
          expect([source, existsSync(path)]).toEqual([source, true]);
        }
      }
      if (service.build)
        expect(existsSync(join(root, service.build.context, service.build.dockerfile))).toBe(true);
    }
  });

  it('generates the SLO rules with the opsdeck CLI into the volume Prometheus loads rules/*.yml from', () => {
    const [, script, subcommand, output] =
      /node backend\/dist\/(\w+)\.js (\w+) > (\S+)$/.exec(services['slo-rules'].entrypoint.at(-1)) ?? [];
    expect([script, subcommand]).toEqual(['cli', 'rules']);
    expect(COMMANDS).toHaveProperty(subcommand!);
    const mountOf = (service: string, volume: string) =>
      (services[service].volumes as string[]).find((v) => v.startsWith(`${volume}:`))!.split(':')[1]!;
    expect(dirname(output!)).toBe(mountOf('slo-rules', 'slo-rules'));
    const configDir = dirname(
      services.prometheus.command.find((c: string) => c.startsWith('--config.file=')).split('=')[1],
    );
    const ruleGlob = (yamlFile('provisioning/prometheus/prometheus.yml').rule_files as string[]).find((f) =>
      f.includes('*'),
    )!;
    expect(join(configDir, dirname(ruleGlob))).toBe(mountOf('prometheus', 'slo-rules'));
    expect(read('backend/Dockerfile')).toContain(`chown node:node /data ${dirname(output!)}`);
  });

  it('mounts the app, whose build nests the data source and the panel, so Grafana loads all three', () => {
    const mounts = (services.grafana.volumes as string[]).filter((v) =>
      v.includes('/var/lib/grafana/plugins/'),
    );
    expect(mounts).toEqual(['./app-plugin/dist:/var/lib/grafana/plugins/opsdeck-sre-app:ro']);
    const app = JSON.parse(read('app-plugin/src/plugin.json')) as {
      includes: { type: string; name: string }[];
    };
    const nested = plugins.filter((p) => p.type !== 'app');
    for (const plugin of nested) {
      const name = (JSON.parse(read(`${plugin.dir}/src/plugin.json`)) as { name: string }).name;
      expect(app.includes).toContainEqual({ type: plugin.type, name });
      expect(read('app-plugin/nest-plugins.js')).toContain(`'${plugin.dir}'`);
    }
    expect(read('package.json')).toMatch(/"build:plugins": ".*opsdeck-sre-app/);
  });

  it("gives Grafana the app's proxy token (editor) and the data source's viewer token, and the user header", () => {
    const env = services.grafana.environment;
    const backendEnv = services.backend.environment;
    const tokens = loadConfig({
      ...Object.fromEntries(Object.entries(backendEnv).map(([k, v]) => [k, expandDefaults(String(v))])),
      DATABASE_URL: 'sqlite:/tmp/x.db',
    }).OPSDECK_TOKENS;
    expect(tokens.find((t) => t.secret === expandDefaults(env.OPSDECK_GRAFANA_TOKEN))).toMatchObject({
      role: 'editor',
      grafanaProxy: true,
    });
    expect(tokens.find((t) => t.secret === expandDefaults(env.OPSDECK_DATASOURCE_TOKEN))).toMatchObject({
      role: 'viewer',
      grafanaProxy: false,
    });
    expect(env.GF_DATAPROXY_SEND_USER_HEADER).toBe('true');
    expect(env.OPSDECK_URL).toBe(`http://backend:${backendEnv.PORT}`);
  });
});

describe.each(['backend/Dockerfile', 'demo/Dockerfile'])('%s', (path) => {
  const text = read(path);
  it('is multi-stage, runs as a non-root user and checks its health', () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const user = /^USER (\S+)$/m.exec(text)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(text).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
  });
});

describe('provisioning files', () => {
  const files = walk(provisioning);

  it('all parse: YAML, JSON and runbook front matter', () => {
    const parsed = files.filter((f) => /\.(ya?ml|json|md)$/.test(f));
    expect(parsed.length).toBeGreaterThan(10);
    const failures = parsed.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      try {
        if (file.endsWith('.json')) JSON.parse(text);
        else if (file.endsWith('.md')) matter(text);
        else parse(text);
        return [];
      } catch (err) {
        return [`${relative(root, file)}: ${(err as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('Prometheus config and alert rules pass promtool', () => {
    const output = execFileSync(
      'promtool',
      ['check', 'config', join(provisioning, 'prometheus', 'prometheus.yml')],
      { encoding: 'utf8' },
    );
    expect(output).toContain('is valid prometheus config file syntax');
    const rules = execFileSync(
      'promtool',
      ['check', 'rules', join(provisioning, 'prometheus', 'alerts.yml')],
      { encoding: 'utf8' },
    );
    expect(rules).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('Prometheus scrapes the demo and the backend and sends to Alertmanager', () => {
    const config = yamlFile('provisioning/prometheus/prometheus.yml');
    const targets = Object.fromEntries(
      (config.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[]).map((j) => [
        j.job_name,
        j.static_configs[0]!.targets[0],
      ]),
    );
    expect(targets.demo).toBe(`demo:${services.demo.environment.DEMO_PORT}`);
    expect(targets['opsdeck-backend']).toBe(`backend:${services.backend.environment.PORT}`);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(config.rule_files).toEqual(expect.arrayContaining(['alerts.yml', 'rules/*.yml']));
  });

  it('Alertmanager config passes amtool and routes pages to opsdeck and the on-call webhook on the demo', () => {
    const path = join(provisioning, 'alertmanager', 'alertmanager.yml');
    expect(execFileSync('amtool', ['check-config', path], { encoding: 'utf8' })).toContain('SUCCESS');
    const config = yamlFile('provisioning/alertmanager/alertmanager.yml');
    const receivers = (config.receivers as { name: string; webhook_configs?: { url: string }[] }[]).map(
      (r) => r.name,
    );
    expect(receivers).toContain(config.route.receiver);
    // the receiver amtool routes a generated SLO alert of this tier to, with its default severity
    const receiverOf = (tier: 'page' | 'ticket', severity: string) =>
      execFileSync(
        'amtool',
        [
          'config',
          'routes',
          'test',
          `--config.file=${path}`,
          `alertname=${SLO_ALERT_NAME}`,
          `severity=${severity}`,
          `slo_tier=${tier}`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(receiverOf('page', DEFAULT_ALERT_SEVERITIES.pageSeverity)).toBe('opsdeck-incidents,oncall');
    expect(receiverOf('ticket', DEFAULT_ALERT_SEVERITIES.ticketSeverity)).toBe(config.route.receiver);
  });

  it.each([
    [['alertname=OpsdeckIncidentAckOverdue', 'escalation=L1'], 'escalation-l1-oncall'],
    [['alertname=OpsdeckIncidentAckOverdue', 'escalation=L2'], 'escalation-l2-platform'],
    [['alertname=OpsdeckIncidentAckOverdue', 'escalation=EM'], 'escalation-em'],
    [['alertname=OpsdeckIncidentAckOverdue', 'escalation=Director'], 'escalation-director'],
    [['alertname=OpsdeckIncidentCommsDue'], 'incident-commander'],
    [['alertname=OpsdeckIncidentRtoBreached'], 'incident-commander'],
    [['alertname=OpsdeckPostmortemOverdue'], 'postmortem-owners'],
    [['alertname=OpsdeckActionItemOverdue'], 'postmortem-owners'],
  ])('Alertmanager routes the S1 escalation %j to %s only, never back to opsdeck', (labels, receiver) => {
    const path = join(provisioning, 'alertmanager', 'alertmanager.yml');
    const routed = execFileSync(
      'amtool',
      ['config', 'routes', 'test', `--config.file=${path}`, ...labels, 'severity=S1', 'incident=i-1'],
      { encoding: 'utf8' },
    );
    expect(routed.trim()).toBe(receiver);
  });

  it("Alertmanager's webhook to opsdeck carries a token the compose backend accepts as an editor", () => {
    const config = yamlFile('provisioning/alertmanager/alertmanager.yml');
    const hook = (
      config.receivers as {
        name: string;
        webhook_configs?: { url: string; http_config?: { authorization?: { credentials?: string } } }[];
      }[]
    ).find((r) => r.name === 'opsdeck-incidents')?.webhook_configs?.[0];
    expect(hook?.url).toBe(
      `http://backend:${services.backend.environment.PORT}/api/v1/integrations/alertmanager`,
    );
    const tokens = String(services.backend.environment.OPSDECK_TOKENS).replace(
      /\$\{[A-Z_]+:-([^}]+)\}/g,
      '$1',
    );
    expect(tokens.split(',')).toContain(
      `alertmanager:editor:${hook?.http_config?.authorization?.credentials}`,
    );
  });
});

describe('runbooks', () => {
  const dir = join(provisioning, 'runbooks');
  const runbooks = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((file) => ({ file, ...matter(readFileSync(join(dir, file), 'utf8')) }));
  const alertRules = (
    yamlFile('provisioning/prometheus/alerts.yml').groups as {
      rules: { alert: string; annotations: Record<string, string> }[];
    }[]
  ).flatMap((g) => g.rules);

  it('ship the guide’s five, each valid for the runbook API and named after its id', () => {
    expect(runbooks.map((r) => r.data.id).sort()).toEqual([
      'api-elevated-errors',
      'cache-miss-storm',
      'database-cpu-high',
      'queue-backlog',
      'tls-cert-expiry',
    ]);
    for (const runbook of runbooks) {
      const result = RunbookCreate.safeParse({ ...runbook.data, body: runbook.content });
      expect([runbook.file, result.success ? 'valid' : result.error.message]).toEqual([
        runbook.file,
        'valid',
      ]);
      expect(runbook.file).toBe(`${runbook.data.id}.md`);
    }
  });

  it('are tickable checklists with the guide’s escalation ladder and comms channels', () => {
    for (const { file, content } of runbooks) {
      expect([file, (content.match(/^\s*- \[ \] /gm) ?? []).length >= 8]).toEqual([file, true]);
      expect([file, /L1 On-call.*L2 Platform.*(Engineering Manager|EM).*Director/s.test(content)]).toEqual([
        file,
        true,
      ]);
      expect([file, content.includes('#ops-alerts') || content.includes('#incidents')]).toEqual([file, true]);
    }
  });

  it('link both ways with the alerts: runbook_url points at a runbook that lists the alert', () => {
    const byId = new Map(runbooks.map((r) => [r.data.id as string, r.data.alerts as string[]]));
    for (const rule of alertRules) {
      const id = rule.annotations.runbook_id!;
      expect([rule.alert, byId.get(id)]).toEqual([rule.alert, expect.arrayContaining([rule.alert])]);
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`/runbooks/${id}$`));
    }
    const known = new Set([...alertRules.map((r) => r.alert), SLO_ALERT_NAME]);
    for (const { data } of runbooks)
      for (const alert of data.alerts as string[])
        expect([data.id, alert, known.has(alert)]).toEqual([data.id, alert, true]);
  });
});

describe('Grafana provisioning', () => {
  const uids = new Map(grafanaDatasources.map((d) => [d.uid, d.type]));

  it('enables the app with the backend URL and token in the settings the app reads', () => {
    const apps = yamlFile('provisioning/grafana/plugins/opsdeck.yml').apps as Yaml[];
    expect(apps).toHaveLength(1);
    const app = plugins.find((p) => p.id === apps[0]!.type);
    expect(app?.type).toBe('app');
    expect(apps[0]).toMatchObject({
      disabled: false,
      jsonData: { backendUrl: '${OPSDECK_URL}' },
      secureJsonData: { token: '${OPSDECK_GRAFANA_TOKEN}' },
    });
    const settings = read('app-plugin/src/types.ts');
    expect(settings).toMatch(/interface AppJsonData \{[^}]*backendUrl\?: string/);
    expect(settings).toMatch(/interface AppSecureJsonData \{[^}]*token\?: string/);
  });

  it('data sources are core types or plugins of this repository; opsdeck gets its URL and token', () => {
    for (const ds of grafanaDatasources)
      expect([ds.type, CORE_DATASOURCES.has(ds.type) || pluginIds.has(ds.type)]).toEqual([ds.type, true]);
    const opsdeck = grafanaDatasources.find((d) => d.type === 'opsdeck-api-datasource');
    expect(opsdeck?.jsonData?.url).toBe('${OPSDECK_URL}');
    expect(opsdeck?.secureJsonData?.token).toBe('${OPSDECK_DATASOURCE_TOKEN}');
    // No URL of its own: paths the data source's routes do not match are not sent to the backend.
    expect(opsdeck).not.toHaveProperty('url');
    for (const variable of [
      'OPSDECK_URL',
      'OPSDECK_GRAFANA_TOKEN',
      'OPSDECK_DATASOURCE_TOKEN',
      'PROMETHEUS_URL',
    ])
      expect(services.grafana.environment).toHaveProperty(variable);
  });

  it('the dashboard provider reads the folder that holds the dashboards, as mounted in Grafana', () => {
    const provider = yamlFile('provisioning/grafana/dashboards/opsdeck.yml').providers[0];
    const mount = (services.grafana.volumes as string[]).find((v) =>
      v.startsWith('./provisioning/grafana:'),
    )!;
    const containerRoot = mount.split(':')[1]!;
    expect(join(root, 'provisioning/grafana', relative(containerRoot, provider.options.path))).toBe(
      dashboardDir,
    );
  });

  it('ships the SLO overview, service and incidents & changes dashboards with unique uids', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual([
      'opsdeck-incidents-changes',
      'opsdeck-service',
      'opsdeck-slo-overview',
    ]);
    expect(
      dashboards.find((d) => d.json.uid === 'opsdeck-slo-overview')!.json.panels.map((p) => p.type),
    ).toContain('opsdeck-slo-panel');
  });

  it.each(dashboards.map((d) => [d.file, d.json] as const))(
    '%s references existing panels and data sources with queries they accept',
    (_file, dashboard: Dashboard) => {
      for (const panel of dashboard.panels) {
        expect([panel.title, CORE_PANELS.has(panel.type) || pluginIds.has(panel.type)]).toEqual([
          panel.title,
          true,
        ]);
      }
      for (const { where, ds, query } of dashboardQueries(dashboard)) {
        expect([where, ds && uids.get(ds.uid)]).toEqual([where, ds?.type]);
        if (ds?.type === 'opsdeck-api-datasource') {
          const result = OpsdeckQuery.safeParse(withoutDataSource(query));
          expect([where, result.success ? 'ok' : result.error.message]).toEqual([where, 'ok']);
        }
      }
    },
  );

  it('dashboard PromQL parses in Prometheus (promtool), with Grafana variables filled in', () => {
    const exprs = dashboards.flatMap((d) =>
      dashboardQueries(d.json).flatMap((q) =>
        q.ds?.type === 'prometheus' && q.query.expr ? [q.query.expr] : [],
      ),
    );
    expect(exprs.length).toBeGreaterThanOrEqual(6);
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-dash-'));
    try {
      const rules = exprs.map((expr, i) => ({
        record: `dashboard:query_${i}`,
        expr: expr.replaceAll('$__rate_interval', '1m').replaceAll('$service', 'api'),
      }));
      writeFileSync(join(dir, 'rules.json'), JSON.stringify({ groups: [{ name: 'dashboards', rules }] }));
      const output = execFileSync('promtool', ['check', 'rules', join(dir, 'rules.json')], {
        encoding: 'utf8',
      });
      expect(output).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SLO panels set only options the panel defines, with the types it expects, and name SLOs that exist', () => {
    const sloIds = readdirSync(join(provisioning, 'slos')).map(
      (f) => (parse(readFileSync(join(provisioning, 'slos', f), 'utf8')) as { id: string }).id,
    );
    const panels = dashboards.flatMap((d) => d.json.panels.filter((p) => p.type === 'opsdeck-slo-panel'));
    expect(panels.length).toBeGreaterThanOrEqual(1);
    for (const panel of panels) {
      for (const [key, value] of Object.entries(panel.options ?? {})) {
        expect([panel.title, key, typeof value]).toEqual([
          panel.title,
          key,
          typeof (SLO_PANEL_DEFAULTS as Record<string, unknown>)[key],
        ]);
      }
      if (panel.options?.sloId) expect(sloIds).toContain(panel.options.sloId);
      for (const target of panel.targets) {
        for (const id of String(target.slo ?? '')
          .split(',')
          .filter((s) => s && !s.startsWith('$')))
          expect(sloIds).toContain(id);
      }
    }
  });

  it('service dashboard graphs carry opsdeck annotations for the selected service', () => {
    const service = dashboards.find((d) => d.json.uid === 'opsdeck-service')!.json;
    const annotation = service.annotations.list.find((a) => a.datasource?.type === 'opsdeck-api-datasource');
    expect(annotation).toMatchObject({ enable: true, target: { kind: 'annotations', service: '$service' } });
    expect([...(annotation?.target?.annotationSources as string[])].sort()).toEqual([
      'change',
      'incident',
      'maintenance',
    ]);
  });
});
