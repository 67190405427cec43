// One jest setup for every workspace: swc transforms TypeScript, each workspace is a project.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' } }];
const { pluginProject, pluginJsonProject, pluginBrowserProject } = require('./.config/jest.plugins');
const node = (name, roots) => ({
  displayName: name,
  testEnvironment: 'node',
  roots,
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // cookie 2 (under fastify's light-my-request) ships ESM only; jest on Node 20 needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  moduleNameMapper: { '^@opsdeck/common$': '<rootDir>/common/src/index.ts' },
  rootDir: __dirname,
});

module.exports = {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/jest-summary-reporter.js'],
  projects: [
    node('common', ['<rootDir>/common/src']),
    node('backend', ['<rootDir>/backend/src', '<rootDir>/backend/test']),
    node('demo', ['<rootDir>/demo/src']),
    pluginProject('datasource-plugin'),
    pluginProject('panel-plugin'),
    pluginProject('app-plugin'),
    // The same plugin tests on Grafana 13.2 with React 19 (.config/grafana-13.2, installed by .ci/system-deps).
    pluginProject('datasource-plugin', '13.2'),
    pluginProject('panel-plugin', '13.2'),
    pluginProject('app-plugin', '13.2'),
    pluginJsonProject,
    pluginBrowserProject,
    { ...pluginBrowserProject, displayName: 'app-browser', roots: ['<rootDir>/app-plugin/browser'] },
  ],
};
