// Serves the browser check: the host page and script, each plugin's dist/ under Grafana's
// /public/plugins/<id>/ path, and the data source proxy route (/api/datasources/proxy/uid/<uid>/<route>/…)
// through the plugins' shared Grafana proxy emulation, which forwards to the backend with the token added.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import datasourcePlugin from '../../datasource-plugin/src/plugin.json';
import { type ProxySettings, prefixOf, proxyRequest } from '../test-support/grafana-proxy';
import { hostDir } from './webpack.host.js';

const ROOT = path.resolve(__dirname, '..', '..');
const PLUGIN_DIRS: Record<string, string> = {
  'opsdeck-api-datasource': path.join(ROOT, 'datasource-plugin', 'dist'),
  'opsdeck-slo-panel': path.join(ROOT, 'panel-plugin', 'dist'),
};
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export interface HostOptions {
  /** the data source instance's uid in proxy paths */
  uid: string;
  jsonData: { url: string };
  secureJsonData: { token: string };
  /** which host build to serve (webpack.host.js): Grafana 13.1 with React 18, or 13.2 with React 19 */
  runtime?: '13.1' | '13.2';
}

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

function sendFile(res: ServerResponse, file: string) {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

export async function startHostServer(opts: HostOptions): Promise<HostServer> {
  const HOST_DIR = hostDir('browser-host', opts.runtime);
  // Data source routes declare no reqRole: a Viewer may use every one of them.
  const proxy: ProxySettings = {
    kind: 'datasource',
    uid: opts.uid,
    routes: datasourcePlugin.routes,
    jsonData: opts.jsonData,
    secureJsonData: opts.secureJsonData,
    user: { login: 'viewer', role: 'Viewer' },
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/') return sendFile(res, path.join(__dirname, 'index.html'));
    if (url.pathname.startsWith(`${prefixOf(proxy)}/`)) return proxyRequest(req, res, proxy);
    const plugin = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (plugin && PLUGIN_DIRS[plugin[1]!]) {
      const dir = PLUGIN_DIRS[plugin[1]!]!;
      const file = path.join(dir, path.normalize(plugin[2]!));
      return file.startsWith(dir) ? sendFile(res, file) : res.writeHead(403).end();
    }
    const file = path.join(HOST_DIR, path.normalize(url.pathname));
    return file.startsWith(HOST_DIR) ? sendFile(res, file) : res.writeHead(403).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
