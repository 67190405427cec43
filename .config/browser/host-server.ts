// Serves the browser check: the host page and script, each plugin's dist/ under Grafana's
// /public/plugins/<id>/ path, and the data source proxy route (/api/datasources/proxy/uid/<uid>/<route>/…)
// that forwards to the backend with the token added, as Grafana's server does from plugin.json.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const HOST_DIR = path.join(ROOT, '.tmp', 'browser-host');
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
}

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

interface Route {
  path: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

const datasourceRoutes = (): Route[] =>
  JSON.parse(readFileSync(path.join(ROOT, 'datasource-plugin', 'src', 'plugin.json'), 'utf8')).routes;

function fill(template: string, opts: HostOptions): string {
  return template
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((opts.jsonData as Record<string, string>)[k] ?? ''),
    )
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_m, k: string) =>
      String((opts.secureJsonData as Record<string, string>)[k] ?? ''),
    );
}

function sendFile(res: ServerResponse, file: string) {
  if (!existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

function proxy(req: IncomingMessage, res: ServerResponse, route: Route, rest: string, opts: HostOptions) {
  const target = new URL(fill(route.url, opts).replace(/\/+$/, '') + rest);
  const headers: Record<string, string> = {
    'content-type': req.headers['content-type'] ?? 'application/json',
  };
  for (const h of route.headers ?? []) headers[h.name.toLowerCase()] = fill(h.content, opts);
  const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, {
      'content-type': answer.headers['content-type'] ?? 'application/json',
    });
    answer.pipe(res);
  });
  upstream.on('error', () =>
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}'),
  );
  req.pipe(upstream);
}

export async function startHostServer(opts: HostOptions): Promise<HostServer> {
  const routes = datasourceRoutes();
  const proxyPrefix = `/api/datasources/proxy/uid/${opts.uid}/`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname === '/') return sendFile(res, path.join(__dirname, 'index.html'));
    if (url.pathname.startsWith(proxyPrefix)) {
      const after = url.pathname.slice(proxyPrefix.length);
      const route = routes.find((r) => after === r.path || after.startsWith(`${r.path}/`));
      if (!route) return res.writeHead(404).end('no such route');
      return proxy(req, res, route, after.slice(route.path.length) + url.search, opts);
    }
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
