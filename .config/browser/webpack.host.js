// Builds the browser check's host script: Grafana's shared modules plus a tiny AMD loader, so the
// plugins' dist/module.js load exactly as they would in Grafana. Output goes to .tmp/browser-host.
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

module.exports = () => ({
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { host: './host.tsx' },
  output: {
    path: path.join(ROOT, '.tmp', 'browser-host'),
    publicPath: '/',
    filename: '[name].js',
    clean: true,
  },
  cache: {
    type: 'filesystem',
    cacheDirectory: path.join(ROOT, 'node_modules', '.cache', 'webpack', 'browser-host'),
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
  resolve: { extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'] },
  performance: { hints: false },
});
