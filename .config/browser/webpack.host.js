// Builds the browser check's host script: Grafana's shared modules plus a tiny AMD loader, so the
// plugins' dist/module.js load exactly as they would in Grafana. Output goes to .tmp/browser-host; with
// `{ runtime: '13.2' }` Grafana's modules come from .config/grafana-13.2 (React 19) into .tmp/browser-host-13.2.
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const GRAFANA_13_2_MODULES = path.join(ROOT, '.config', 'grafana-13.2', 'node_modules');

/** Where the host build `name` for a Grafana runtime goes. */
const hostDir = (name, runtime = '13.1') =>
  path.join(ROOT, '.tmp', runtime === '13.2' ? `${name}-13.2` : name);

module.exports = ({ runtime = '13.1' } = {}) => ({
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { host: './host.tsx' },
  output: {
    path: hostDir('browser-host', runtime),
    publicPath: '/',
    filename: '[name].js',
    clean: true,
  },
  cache: {
    type: 'filesystem',
    cacheDirectory: path.join(
      ROOT,
      'node_modules',
      '.cache',
      'webpack',
      path.basename(hostDir('browser-host', runtime)),
    ),
  },
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  resolve: {
    extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'],
    // The second runtime's packages first: React, @grafana/* and what they need come from there.
    ...(runtime === '13.2' ? { modules: [GRAFANA_13_2_MODULES, 'node_modules'] } : {}),
  },
  performance: { hints: false },
});
module.exports.hostDir = hostDir;
