// One webpack build for every opsdeck Grafana plugin, after the config @grafana/create-plugin generates:
// AMD output, Grafana's shared packages as externals, plugin.json/img/README copied with %VERSION% and
// %TODAY% filled in. Run from a plugin folder (`npm run build -w panel-plugin`) or pass `--env plugin=DIR`.
const fs = require('fs');
const path = require('path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const { DefinePlugin } = require('webpack');

const ROOT = path.resolve(__dirname, '..');

/** What Grafana provides to plugins at run time (create-plugin's list); never bundled. */
const EXTERNALS = [
  { 'amd-module': 'module' },
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
  // Legacy SDK imports ("grafana/app/...") resolve to Grafana's own modules.
  ({ request }, callback) =>
    request && request.startsWith('grafana/')
      ? callback(undefined, request.slice('grafana/'.length))
      : callback(),
];

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Fills create-plugin's placeholders in plugin.json and README.md. */
const placeholders = (pluginJson, version) => (content) =>
  content
    .toString()
    .replace(/%VERSION%/g, version)
    .replace(/%TODAY%/g, new Date().toISOString().slice(0, 10))
    .replace(/%PLUGIN_ID%/g, pluginJson.id);

module.exports = (env = {}) => {
  const pluginDir = env.plugin ? path.resolve(ROOT, env.plugin) : process.cwd();
  const srcDir = path.join(pluginDir, 'src');
  const pluginJson = readJson(path.join(srcDir, 'plugin.json'));
  const fill = placeholders(pluginJson, readJson(path.join(pluginDir, 'package.json')).version);
  const production = Boolean(env.production);
  const entry = ['module.tsx', 'module.ts'].find((f) => fs.existsSync(path.join(srcDir, f)));

  return {
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(ROOT, 'node_modules', '.cache', 'webpack', pluginJson.id),
      buildDependencies: { config: [__filename] },
    },
    context: srcDir,
    devtool: production ? 'source-map' : 'eval-source-map',
    // public-path.js first, so chunks load from wherever Grafana serves the plugin.
    entry: { module: [path.join(__dirname, 'public-path.js'), `./${entry}`] },
    externals: EXTERNALS,
    mode: production ? 'production' : 'development',
    module: {
      rules: [
        {
          exclude: /node_modules/,
          test: /\.[tj]sx?$/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2015',
                loose: false,
                parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
              },
            },
          },
        },
        // @opsdeck/common is source shared with the backend; only what a plugin imports is bundled.
        { test: /[\\/]common[\\/]src[\\/]/, sideEffects: false },
        {
          test: /\.(png|jpe?g|gif|svg)$/,
          type: 'asset/resource',
          generator: {
            publicPath: `public/plugins/${pluginJson.id}/img/`,
            outputPath: 'img/',
            filename: production ? '[hash][ext]' : '[file]',
          },
        },
      ],
    },
    output: {
      clean: true,
      filename: '[name].js',
      // Lazy chunks carry their content hash: a new plugin version never meets a cached old chunk.
      chunkFilename: production ? '[name].[contenthash:8].js' : '[name].js',
      library: { type: 'amd' },
      path: path.join(pluginDir, 'dist'),
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
    },
    performance: { hints: false },
    plugins: [
      new DefinePlugin({ __OPSDECK_PLUGIN_ID__: JSON.stringify(pluginJson.id) }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'plugin.json', to: '.', transform: fill },
          {
            from: fs.existsSync(path.join(srcDir, 'README.md')) ? 'README.md' : '../README.md',
            to: '.',
            transform: fill,
          },
          { from: path.join(ROOT, 'LICENSE'), to: '.', noErrorOnMissing: true },
          { from: 'img/**/*', to: '.', noErrorOnMissing: true },
        ],
      }),
    ],
    resolve: {
      extensions: ['.js', '.jsx', '.ts', '.tsx'],
      alias: { '@opsdeck/common$': path.join(ROOT, 'common', 'src', 'index.ts') },
      modules: [srcDir, 'node_modules'],
      unsafeCache: true,
    },
  };
};
