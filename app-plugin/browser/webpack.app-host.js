// Builds the app's host page script on top of the plugins' browser host build (.config/browser), for
// either Grafana runtime (`{ runtime: '13.2' }` takes Grafana's modules from .config/grafana-13.2).
const path = require('path');
const hostConfig = require('../../.config/browser/webpack.host.js');

module.exports = (options = {}) => {
  const base = hostConfig(options);
  const out = hostConfig.hostDir('browser-app-host', options.runtime);
  return {
    ...base,
    context: __dirname,
    entry: { 'app-host': './app-host.tsx' },
    output: { ...base.output, path: out },
    cache: {
      ...base.cache,
      cacheDirectory: path.join(path.dirname(base.cache.cacheDirectory), path.basename(out)),
    },
  };
};
