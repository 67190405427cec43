// Every opsdeck query of the provisioned dashboards, sent as Grafana's data source would send it to
// a backend that loaded the provisioning: the backend accepts each one (no 400) and the kinds that
// need no Prometheus answer with frames. Prometheus is unreachable here on purpose: SLO kinds must
// then fail alone, per target, naming the outage.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryResponse } from '@opsdeck/common';
import { loadProvisioning } from '../src/provisioning/loader';
import { auth, createTestApp, type TestApp } from './support/app';
import { opsdeckTargets, provisionedDashboards } from './support/dashboard-queries';

const provisioning = join(__dirname, '..', '..', 'provisioning');
const dashboards = provisionedDashboards();
const SLO_KINDS = new Set(['slo-status', 'slo-budget']);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('sqlite');
  const loaded = await loadProvisioning(t.app, provisioning);
  expect(loaded.problems).toEqual([]);
});
afterAll(() => t.close());

it.each(dashboards.map((d) => [d.file, d.json]))(
  '%s: the backend accepts every opsdeck query',
  async (_file, dashboard) => {
    const queries = opsdeckTargets(dashboard);
    expect(queries.length).toBeGreaterThan(0);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: auth('viewer'),
      payload: {
        from: new Date(Date.now() - 86_400_000).toISOString(),
        to: new Date().toISOString(),
        queries,
      },
    });
    expect([res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([200, '']);
    const { results } = res.json() as QueryResponse;
    for (const query of queries) {
      const result = results[query.refId as string];
      if (SLO_KINDS.has(query.kind as string)) {
        expect([query.refId, result?.error]).toEqual([query.refId, expect.any(String)]);
      } else {
        expect([query.refId, result?.error]).toEqual([query.refId, undefined]);
        expect(result?.frames.length).toBeGreaterThan(0);
      }
    }
  },
);

it('the provisioned SLOs and the guide window are what the SLO variable and the windows table list', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/query',
    headers: auth('viewer'),
    payload: {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
      queries: [
        { refId: 'slos', kind: 'variable-values', variable: 'slos' },
        { refId: 'windows', kind: 'maintenance-windows' },
      ],
    },
  });
  const { results } = res.json() as QueryResponse;
  const values = (refId: string, field: string) => {
    const frame = results[refId]!.frames[0]!;
    const index = frame.schema.fields.findIndex((f) => f.name === field);
    return frame.data.values[index] as string[];
  };
  const sloFiles = readdirSync(join(provisioning, 'slos')).length;
  expect(values('slos', 'value')).toHaveLength(sloFiles);
  expect(values('slos', 'value')).toContain('api-availability');
  expect(values('windows', 'id')).toContain('guide-default');
});
