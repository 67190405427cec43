// Every plugin's src/plugin.json checked against the rules of Grafana's plugin.json schema
// (docs/sources/developers/plugins/plugin.schema.json): required fields, id pattern, info and
// dependencies shapes, and no keys the schema does not know (additionalProperties: false).
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..');
const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)|(%VERSION%)$/;
const UPDATED = /^(\d{4}-\d{2}-\d{2}|%TODAY%)$/;
const GRAFANA_DEPENDENCY =
  /^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x*]+)(\.[0-9x*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$/;

const Link = z.strictObject({ name: z.string(), url: z.url() });
const Info = z.strictObject({
  author: z.strictObject({ name: z.string(), email: z.email(), url: z.url() }).partial().optional(),
  build: z
    .strictObject({})
    .catchall(z.union([z.string(), z.number()]))
    .optional(),
  description: z.string().optional(),
  keywords: z.array(z.string()).min(1),
  links: z.array(Link).optional(),
  logos: z.strictObject({ small: z.string().endsWith('.svg'), large: z.string().endsWith('.svg') }),
  screenshots: z.array(z.strictObject({ name: z.string(), path: z.string() })).optional(),
  updated: z.string().regex(UPDATED),
  version: z.string().regex(VERSION),
});
const Dependencies = z.strictObject({
  grafanaVersion: z.string().optional(),
  grafanaDependency: z.string().regex(GRAFANA_DEPENDENCY),
  plugins: z
    .array(
      z.object({
        id: z.string().regex(PLUGIN_ID),
        type: z.enum(['app', 'datasource', 'panel', 'secretsmanager']),
        name: z.string(),
        version: z.string(),
      }),
    )
    .optional(),
  extensions: z
    .strictObject({ exposedComponents: z.array(z.string()) })
    .partial()
    .optional(),
});
const Include = z.strictObject({
  uid: z.string().optional(),
  type: z.enum(['dashboard', 'page', 'panel', 'datasource', 'secretsmanager']),
  name: z.string().optional(),
  component: z.string().optional(),
  role: z.enum(['Admin', 'Editor', 'Viewer']).optional(),
  action: z.string().optional(),
  path: z.string().optional(),
  addToNav: z.boolean().optional(),
  defaultNav: z.boolean().optional(),
  icon: z.string().optional(),
});
const Route = z.strictObject({
  path: z.string().optional(),
  method: z.string().optional(),
  url: z.string().optional(),
  reqSignedIn: z.boolean().optional(),
  reqRole: z.string().optional(),
  reqAction: z.string().optional(),
  headers: z.array(z.strictObject({ name: z.string(), content: z.string() })).optional(),
  body: z.record(z.string(), z.unknown()).optional(),
  tokenAuth: z.record(z.string(), z.unknown()).optional(),
  jwtTokenAuth: z.record(z.string(), z.unknown()).optional(),
  urlParams: z.array(z.strictObject({ name: z.string(), content: z.string() })).optional(),
});
const Described = z.strictObject({
  id: z.string().optional(),
  title: z.string(),
  description: z.string().optional(),
});
const Extensions = z.strictObject({
  addedLinks: z
    .array(Described.omit({ id: true }).extend({ targets: z.array(z.string()).min(1) }))
    .optional(),
  addedComponents: z
    .array(Described.omit({ id: true }).extend({ targets: z.array(z.string()).min(1) }))
    .optional(),
  addedFunctions: z
    .array(Described.omit({ id: true }).extend({ targets: z.array(z.string()).min(1) }))
    .optional(),
  exposedComponents: z.array(Described.required({ id: true })).optional(),
  extensionPoints: z.array(Described.required({ id: true })).optional(),
});

/** The top level of plugin.json: required type/name/id/info/dependencies, nothing unknown. */
export const PluginJson = z.strictObject({
  $schema: z.string().optional(),
  id: z.string().regex(PLUGIN_ID),
  type: z.enum(['app', 'datasource', 'panel']),
  name: z.string().min(1),
  info: Info,
  dependencies: Dependencies,
  alerting: z.boolean().optional(),
  annotations: z.boolean().optional(),
  autoEnabled: z.boolean().optional(),
  backend: z.boolean().optional(),
  category: z
    .enum(['tsdb', 'logging', 'cloud', 'tracing', 'profiling', 'sql', 'enterprise', 'iot', 'other'])
    .optional(),
  executable: z.string().optional(),
  includes: z.array(Include).optional(),
  logs: z.boolean().optional(),
  metrics: z.boolean().optional(),
  preload: z.boolean().optional(),
  queryOptions: z
    .strictObject({ maxDataPoints: z.boolean(), minInterval: z.boolean(), cacheTimeout: z.boolean() })
    .partial()
    .optional(),
  routes: z.array(Route).optional(),
  skipDataQuery: z.boolean().optional(),
  state: z.enum(['alpha', 'beta']).optional(),
  streaming: z.boolean().optional(),
  tracing: z.boolean().optional(),
  extensions: Extensions.optional(),
  roles: z.array(z.record(z.string(), z.unknown())).optional(),
  languages: z.array(z.string()).optional(),
});

const pluginDirs = readdirSync(ROOT).filter(
  (d) => d.endsWith('-plugin') && existsSync(path.join(ROOT, d, 'src', 'plugin.json')),
);

describe('plugin.json schema rules', () => {
  it('finds the data source and panel plugins', () => {
    expect(pluginDirs).toEqual(expect.arrayContaining(['datasource-plugin', 'panel-plugin']));
  });

  describe.each(pluginDirs)('%s/src/plugin.json', (dir) => {
    const json = JSON.parse(readFileSync(path.join(ROOT, dir, 'src', 'plugin.json'), 'utf8'));

    it('passes the schema rules', () => {
      const result = PluginJson.safeParse(json);
      expect(
        result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ).toEqual([]);
    });

    it('ends its id in its type and needs Grafana >= 12.3.0', () => {
      expect(json.id.endsWith(`-${json.type}`)).toBe(true);
      expect(json.dependencies.grafanaDependency).toBe('>=12.3.0');
    });

    it('ships the logos it names', () => {
      for (const logo of [json.info.logos.small, json.info.logos.large]) {
        expect(existsSync(path.join(ROOT, dir, 'src', logo))).toBe(true);
      }
    });
  });

  // The rules must reject what Grafana's validator rejects, or the checks above prove nothing.
  it.each([
    ['an unknown top-level key', { colour: 'red' }],
    ['an id without a type suffix', { id: 'opsdeck-slo' }],
    ['an upper-case id', { id: 'Opsdeck-slo-panel' }],
    ['a missing grafanaDependency', { dependencies: {} }],
    ['no keywords', { info: { ...validInfo(), keywords: [] } }],
    ['an unknown info key', { info: { ...validInfo(), website: 'x' } }],
    ['a malformed updated date', { info: { ...validInfo(), updated: 'yesterday' } }],
  ])('rejects %s', (_what, change) => {
    const base = {
      type: 'panel',
      name: 'x',
      id: 'opsdeck-slo-panel',
      info: validInfo(),
      dependencies: { grafanaDependency: '>=12.3.0' },
    };
    expect(PluginJson.safeParse(base).success).toBe(true);
    expect(PluginJson.safeParse({ ...base, ...change }).success).toBe(false);
  });
});

function validInfo() {
  return {
    keywords: ['slo'],
    logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
    version: '%VERSION%',
    updated: '%TODAY%',
  };
}
