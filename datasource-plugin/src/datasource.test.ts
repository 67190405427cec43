// The data source against the real backend process through an emulation of Grafana's proxy route:
// what the browser sends, what the proxy adds, how frames and failures come back.
import {
  dateTime,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  LoadingState,
} from '@grafana/data';
import { setBackendSrv } from '@grafana/runtime';
import { FRAME_NAMES } from '@opsdeck/common';
import { lastValueFrom } from 'rxjs';
import { DataSource } from './datasource';
import { grafanaProxy, type ProxiedCall } from '../../.config/test-support/grafana-proxy';
import pluginJson from './plugin.json';
import {
  EDITOR_TOKEN,
  freePort,
  type Running,
  startBackend,
  startPrometheus,
  VIEWER_TOKEN,
} from './test-support/opsdeck-stack';
import type { OpsdeckOptions, OpsdeckQuery } from './types';
import { OpsdeckVariableSupport } from './variables';

jest.setTimeout(120_000);

const INSTANCE_URL = '/api/datasources/proxy/uid/opsdeck';
const noVariables = { replace: (s?: string) => s ?? '' };

let prometheus: Running;
let backend: Running;
let backendWithoutPrometheus: Running;

function dataSource(backendUrl: string | undefined, token: string, calls: ProxiedCall[] = []): DataSource {
  setBackendSrv(
    grafanaProxy(
      {
        kind: 'datasource',
        uid: 'opsdeck',
        routes: pluginJson.routes,
        jsonData: { url: backendUrl },
        secureJsonData: { token },
        user: { login: 'viewer', role: 'Viewer' },
      },
      calls,
    ),
  );
  const settings = {
    id: 1,
    uid: 'opsdeck',
    type: 'opsdeck-api-datasource',
    name: 'opsdeck',
    url: INSTANCE_URL,
    access: 'proxy',
    jsonData: { url: backendUrl },
    meta: {} as DataSourceInstanceSettings['meta'],
    readOnly: false,
  } as DataSourceInstanceSettings<OpsdeckOptions>;
  return new DataSource(settings, noVariables);
}

function request(targets: OpsdeckQuery[]): DataQueryRequest<OpsdeckQuery> {
  const to = dateTime();
  const from = dateTime(to.valueOf() - 86_400_000);
  return {
    requestId: 'q1',
    interval: '1m',
    intervalMs: 60_000,
    maxDataPoints: 500,
    range: { from, to, raw: { from: 'now-24h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  };
}

beforeAll(async () => {
  prometheus = await startPrometheus();
  [backend, backendWithoutPrometheus] = await Promise.all([
    startBackend(prometheus.url),
    startBackend(`http://127.0.0.1:${await freePort()}`),
  ]);
  const res = await fetchJson(`${backend.url}/api/v1/incidents`, {
    title: 'Checkout 5xx',
    severity: 'S1',
    service: 'checkout',
  });
  expect(res).toBe(201);
});

afterAll(async () => {
  await Promise.all([backend?.stop(), backendWithoutPrometheus?.stop()]);
  await prometheus?.stop();
});

/** Creates a document with the editor token, as a deploy tool would; returns the status. */
async function fetchJson(url: string, body: object): Promise<number> {
  const { request: httpRequest } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${EDITOR_TOKEN}` },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('query', () => {
  it('posts the targets through the proxy route, which adds the token, and gets frames back', async () => {
    const calls: ProxiedCall[] = [];
    const ds = dataSource(backend.url, VIEWER_TOKEN, calls);
    const res = await lastValueFrom(
      ds.query(
        request([
          { refId: 'A', kind: 'incidents', severity: 'S1,S2' },
          { refId: 'B', kind: 'variable-values', variable: 'severities' },
        ]),
      ),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${backend.url}/api/v1/query`);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${VIEWER_TOKEN}`);
    expect((calls[0]!.body as { queries: unknown[] }).queries).toEqual([
      { refId: 'A', kind: 'incidents', severity: 'S1,S2', maxDataPoints: 500, intervalMs: 60_000 },
      { refId: 'B', kind: 'variable-values', variable: 'severities', maxDataPoints: 500, intervalMs: 60_000 },
    ]);
    expect(res.state).toBe(LoadingState.Done);
    const incidents = res.data.find((f) => f.refId === 'A')!;
    expect(incidents.name).toBe(FRAME_NAMES.incidents);
    expect(incidents.fields.find((f: { name: string }) => f.name === 'title').values).toEqual([
      'Checkout 5xx',
    ]);
  });

  it('reports the API’s field-naming message when the backend refuses a target', async () => {
    const ds = dataSource(backend.url, VIEWER_TOKEN);
    const res = await lastValueFrom(ds.query(request([{ refId: 'A', kind: 'incidents', severity: 'S9' }])));
    expect(res.state).toBe(LoadingState.Error);
    expect(res.error?.message).toMatch(/body\.queries\.0\.severity/);
    expect(res.error?.status).toBe(400);
  });

  it('offers template variable values through variable support', async () => {
    const ds = dataSource(backend.url, VIEWER_TOKEN);
    const variables = ds.variables as OpsdeckVariableSupport;
    expect(variables).toBeInstanceOf(OpsdeckVariableSupport);
    const res = await lastValueFrom(
      variables.query(request([{ refId: 'V', kind: 'variable-values', variable: 'services' }])),
    );
    const frame = res.data[0]!;
    expect(frame.fields.map((f: { name: string }) => f.name)).toEqual(['text', 'value']);
    expect(frame.fields[1].values).toEqual(['checkout']);
  });

  it('sends nothing when every target is hidden', async () => {
    const calls: ProxiedCall[] = [];
    const res = await lastValueFrom(
      dataSource(backend.url, VIEWER_TOKEN, calls).query(
        request([{ refId: 'A', kind: 'incidents', hide: true }]),
      ),
    );
    expect(calls).toHaveLength(0);
    expect(res.data).toEqual([]);
  });
});

describe('testDatasource', () => {
  it('succeeds when the backend, its store and Prometheus answer', async () => {
    expect(await dataSource(backend.url, VIEWER_TOKEN).testDatasource()).toMatchObject({ status: 'success' });
  });

  it("says the token was rejected when Grafana turns the backend's 401 into its 400", async () => {
    const result = await dataSource(backend.url, 'not-a-token').testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      `The opsdeck API at ${backend.url} rejected the token (Grafana reports "Authentication to data source failed"): enter a valid viewer token under Authentication.`,
    );
  });

  it('says Prometheus is down when the backend cannot reach it', async () => {
    const result = await dataSource(backendWithoutPrometheus.url, VIEWER_TOKEN).testDatasource();
    expect(result.message).toMatch(/Prometheus is down/);
    expect(result.details?.message).toMatch(/Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
  });

  it('says the backend is unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await dataSource(url, VIEWER_TOKEN).testDatasource();
    expect(result.message).toBe(
      `Cannot reach the opsdeck API at ${url}: check the URL and that Grafana's server can connect to it.`,
    );
  });

  it('asks for a URL before calling anything', async () => {
    const calls: ProxiedCall[] = [];
    const result = await dataSource(undefined, VIEWER_TOKEN, calls).testDatasource();
    expect(result.message).toMatch(/Set the opsdeck API URL/);
    expect(calls).toHaveLength(0);
  });
});
