// Builds the app's host page script on top of the plugins' browser host build (.config/browser).
const path = require('path');
const hostConfig = require('../../.config/browser/webpack.host.js');

const ROOT = path.resolve(__dirname, '..', '..');

module.exports = () => {
  const base = hostConfig();
  return {
    ...base,
    context: __dirname,
    entry: { 'app-host': './app-host.tsx' },
    output: { ...base.output, path: path.join(ROOT, '.tmp', 'browser-app-host') },
    cache: {
      ...base.cache,
      cacheDirectory: path.join(ROOT, 'node_modules', '.cache', 'webpack', 'browser-app-host'),
    },
  };
};
