// Jest resolver of the grafana-13.2 projects: what Grafana hands a plugin at run time (the webpack
// externals: React, @grafana/*, rxjs, lodash, emotion) resolves as if required from .config/grafana-13.2,
// so package exports and nested imports all come from that runtime; everything else resolves as usual.
const fs = require('fs');
const path = require('path');

const RUNTIME_DIR = path.join(__dirname, 'grafana-13.2');
const SHARED_BY_GRAFANA =
  /^(react|react-dom|rxjs|lodash|@emotion\/css|@emotion\/react|@grafana\/[a-z0-9-]+)(\/|$)/;

module.exports = (request, options) => {
  if (!SHARED_BY_GRAFANA.test(request)) return options.defaultResolver(request, options);
  if (!fs.existsSync(path.join(RUNTIME_DIR, 'node_modules')))
    throw new Error('The Grafana 13.2 runtime is not installed: run `npm ci --prefix .config/grafana-13.2`');
  return options.defaultResolver(request, { ...options, basedir: RUNTIME_DIR });
};
