// First module of every plugin bundle: chunks load from beside module.js, wherever Grafana served it
// (a sub-path, a CDN), read from the AMD `module` Grafana's loader hands the bundle, as create-plugin's
// publicPath.ts does; else from Grafana's public path (window.__grafana_public_path__) + plugins/<id>/.
import amdModule from 'amd-module';

const uri = amdModule && amdModule.uri;
__webpack_public_path__ = uri
  ? uri.slice(0, uri.lastIndexOf('/') + 1)
  : `${window.__grafana_public_path__ || 'public/'}plugins/${__OPSDECK_PLUGIN_ID__}/`;
