// The local stack's rendering of the compose-oriented Prometheus and Alertmanager configs for
// loopback ports, checked by the real promtool and amtool.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ScrapeJob {
  job_name: string;
  static_configs: { targets: string[] }[];
}
import { findBinary, freePort, renderAlertmanagerConfig, renderPrometheusConfig } from '../../scripts/stack';

const root = join(__dirname, '..', '..');
const provisioning = join(root, 'provisioning');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-stack-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('renderPrometheusConfig', () => {
  const source = readFileSync(join(provisioning, 'prometheus/prometheus.yml'), 'utf8');
  const where = {
    demo: '127.0.0.1:19464',
    backend: '127.0.0.1:13001',
    prometheus: '127.0.0.1:19090',
    alertmanager: '127.0.0.1:19093',
    alertsFile: join(provisioning, 'prometheus/alerts.yml'),
    rulesDir: '',
    scrapeInterval: '5s',
  };

  it('targets loopback ports, loads the guide alerts and the generated rules, and passes promtool', () => {
    const rulesDir = join(dir, 'rules');
    const config = renderPrometheusConfig(source, { ...where, rulesDir });
    const parsed = parse(config);
    expect(
      Object.fromEntries(
        (parsed.scrape_configs as ScrapeJob[]).map((j) => [j.job_name, j.static_configs[0].targets]),
      ),
    ).toEqual({
      demo: ['127.0.0.1:19464'],
      'opsdeck-backend': ['127.0.0.1:13001'],
      prometheus: ['127.0.0.1:19090'],
      alertmanager: ['127.0.0.1:19093'],
    });
    expect(parsed.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['127.0.0.1:19093']);
    expect(parsed.global).toEqual({ scrape_interval: '5s', evaluation_interval: '5s' });
    expect(parsed.rule_files).toEqual([where.alertsFile, join(rulesDir, '*.yml')]);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    const output = execFileSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(output).toContain('SUCCESS');
  });

  it('without Alertmanager drops alerting and its scrape job', () => {
    const parsed = parse(
      renderPrometheusConfig(source, { ...where, alertmanager: undefined, rulesDir: dir }),
    );
    expect(parsed.alerting).toBeUndefined();
    expect((parsed.scrape_configs as ScrapeJob[]).map((j) => j.job_name)).toEqual([
      'demo',
      'opsdeck-backend',
      'prometheus',
    ]);
    expect(parsed.global.scrape_interval).toBe('5s');
  });
});

it('renderAlertmanagerConfig points the webhooks at the local demo and backend and stays valid', () => {
  const config = renderAlertmanagerConfig(
    readFileSync(join(provisioning, 'alertmanager/alertmanager.yml'), 'utf8'),
    '127.0.0.1:19464',
    { address: '127.0.0.1:13001', editorToken: 'local-editor-token' },
  );
  type Receiver = {
    name: string;
    webhook_configs?: { url: string; http_config?: { authorization?: { credentials?: string } } }[];
  };
  const receivers = parse(config).receivers as Receiver[];
  expect(receivers.find((r) => r.name === 'oncall')?.webhook_configs?.[0]?.url).toBe(
    'http://127.0.0.1:19464/alerts',
  );
  const opsdeck = receivers.find((r) => r.name === 'opsdeck-incidents')?.webhook_configs?.[0];
  expect(opsdeck?.url).toBe('http://127.0.0.1:13001/api/v1/integrations/alertmanager');
  expect(opsdeck?.http_config?.authorization?.credentials).toBe('local-editor-token');
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  expect(
    execFileSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' }),
  ).toContain('SUCCESS');
});

it('freePort keeps a free preferred port and replaces a taken one', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as { port: number }).port;
  try {
    const replacement = await freePort(port);
    expect(replacement).not.toBe(port);
    expect(await freePort(replacement)).toBe(replacement);
  } finally {
    taken.close();
  }
});

it('findBinary looks on PATH and in the standard folders', () => {
  expect(findBinary(['promtool'], '')).toBe('/usr/bin/promtool');
  expect(findBinary(['no-such-binary-opsdeck'])).toBeNull();
});
