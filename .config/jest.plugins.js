// Jest projects for the Grafana plugins, after create-plugin's jest config: jsdom, @swc/jest (also for
// the .mjs that d3 and friends ship), and the ESM-only packages Grafana depends on transformed.
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** Packages under node_modules that ship only ES modules and must go through swc. */
const ESM_PACKAGES = [
  'ol',
  'react-colorful',
  'd3-[a-z-]+',
  'internmap',
  'uuid',
  'marked',
  'rxjs',
  '@grafana/[a-z-]+',
  'ansicolor',
  'is-hotkey',
  'monaco-promql',
  'react-calendar',
  'get-user-locale',
  'memoize',
  'mimic-function',
  '@wojtekmaj/[a-z-]+',
  // @grafana/* 13.2
  '@react-hookz/[a-z-]+',
  '@ver0/[a-z-]+',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
      target: 'es2022',
    },
  },
];

/**
 * One jest project per plugin folder: its `src/**\/*.test.ts(x)` in jsdom, against the root's
 * @grafana/* 13.1 with React 18, or with `runtime: '13.2'` against @grafana/* 13.2 with React 19.
 */
function pluginProject(dir, runtime = '13.1') {
  const second = runtime === '13.2';
  return {
    displayName: second ? `${dir}@grafana-13.2` : dir,
    rootDir: ROOT,
    roots: [`<rootDir>/${dir}/src`],
    testEnvironment: 'jsdom',
    testMatch: ['**/*.test.ts', '**/*.test.tsx'],
    transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
    transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
    moduleNameMapper: {
      '^@opsdeck/common$': '<rootDir>/common/src/index.ts',
      '\\.(css|scss|sass)$': '<rootDir>/.config/jest-style-stub.js',
    },
    // The second runtime's own package (.config/grafana-13.2) provides what Grafana shares.
    ...(second ? { resolver: '<rootDir>/.config/jest-resolver-grafana-13.2.js' } : {}),
    setupFilesAfterEnv: ['<rootDir>/.config/jest-setup.js'],
    globals: { GRAFANA_RUNTIME: runtime },
  };
}

/** The plugin.json checks and route walk over every plugin folder, and the shared test support, in node. */
const pluginJsonProject = {
  displayName: 'plugin-json',
  rootDir: ROOT,
  roots: ['<rootDir>/.config'],
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/.config/plugin-json.test.ts',
    '<rootDir>/.config/plugin-routes.test.ts',
    '<rootDir>/.config/test-support/*.test.ts',
  ],
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@opsdeck/common$': '<rootDir>/common/src/index.ts' },
};

/** The browser check: built plugins in headless Chromium against a running backend (node side). */
const pluginBrowserProject = {
  displayName: 'plugin-browser',
  rootDir: ROOT,
  roots: ['<rootDir>/.config/browser'],
  testEnvironment: 'node',
  testMatch: ['**/*.browser.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // cookie 2 (under fastify's light-my-request) ships ESM only.
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleNameMapper: { '^@opsdeck/common$': '<rootDir>/common/src/index.ts' },
};

module.exports = { pluginProject, pluginJsonProject, pluginBrowserProject };
