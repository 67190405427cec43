// Serves the app's browser check: the host page at every /a/opsdeck-sre-app/… URL, the host script,
// the built app under /public/plugins/opsdeck-sre-app/ (and under /grafana/…, as a Grafana served from a
// sub-path serves it), and Grafana's plugin proxy route to the backend.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { APP_BASE, PLUGIN_ID } from '../src/constants';
import { type AppSettings, proxyAppRequest } from '../src/test-support/app-proxy';
import { hostDir } from '../../.config/browser/webpack.host.js';

const ROOT = path.resolve(__dirname, '..', '..');
const APP_DIST = path.join(ROOT, 'app-plugin', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** A second place the built app is served from, as Grafana behind `root_url = …/grafana/` serves it. */
export const SUB_PATH = '/grafana';

export interface AppHost {
  url: string;
  close(): Promise<void>;
}

function sendFile(res: import('node:http').ServerResponse, file: string) {
  if (!existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/** Serves the host page built for `runtime` (see webpack.app-host.js). */
export async function startAppHost(
  settings: AppSettings,
  runtime: '13.1' | '13.2' = '13.1',
): Promise<AppHost> {
  const HOST_DIR = hostDir('browser-app-host', runtime);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname.startsWith(`/api/plugin-proxy/${PLUGIN_ID}/`))
      return proxyAppRequest(req, res, settings);
    const pluginBase = [`/public/plugins/${PLUGIN_ID}/`, `${SUB_PATH}/public/plugins/${PLUGIN_ID}/`].find(
      (base) => url.pathname.startsWith(base),
    );
    if (pluginBase) {
      const file = path.join(APP_DIST, path.normalize(url.pathname.slice(pluginBase.length)));
      return file.startsWith(APP_DIST) ? sendFile(res, file) : void res.writeHead(403).end();
    }
    if (url.pathname === '/' || url.pathname.startsWith(APP_BASE))
      return sendFile(res, path.join(__dirname, 'index.html'));
    const file = path.join(HOST_DIR, path.normalize(url.pathname));
    return file.startsWith(HOST_DIR) ? sendFile(res, file) : void res.writeHead(403).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
