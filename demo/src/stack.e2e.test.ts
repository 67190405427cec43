// The whole local stack from the built checkout: errors injected through the demo burn the api
// availability SLO's budget, the page alert goes pending then firing in Prometheus and reaches
// Alertmanager, and a maintenance window created in opsdeck silences it. Real processes throughout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLO_ALERT_NAME, SLO_STATUS_FIELDS } from '@opsdeck/common';
import { startStack, type Stack } from '../../scripts/stack';
import { opsdeckTargets, provisionedDashboards } from '../../backend/test/support/dashboard-queries';

const root = join(__dirname, '..', '..');
const MINUTE = 60_000;
let stack: Stack;
let dataDir: string;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Answers of the opsdeck API as this test reads them; each use checks the fields it relies on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const api = async (path: string, init: RequestInit = {}): Promise<Json> => {
  const res = await fetch(`${stack.urls.backend}/api/v1${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${stack.tokens.admin}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
};

/** Remaining budget of one SLO as the SLO panel reads it: the slo-status frame of POST /query. */
async function remainingBudget(sloId: string): Promise<number | undefined> {
  const { results } = await api('/query', {
    method: 'POST',
    body: JSON.stringify({
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
      queries: [{ refId: 'A', kind: 'slo-status', slo: sloId }],
    }),
  });
  const frame = results.A.frames[0];
  const index = frame?.schema.fields.findIndex(
    (f: { name: string }) => f.name === SLO_STATUS_FIELDS.budgetRemaining,
  );
  const value = frame?.data.values[index]?.[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

beforeAll(async () => {
  // `npm test` builds common and backend first; the demo is this test's own to build.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'demo'], { cwd: root, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'opsdeck-stack-e2e-'));
  stack = await startStack({
    root,
    dataDir,
    ports: { backend: 0, demo: 0, prometheus: 0, alertmanager: 0 },
    scrapeInterval: '2s',
    backendEnv: { SILENCER_INTERVAL_SECONDS: '1', LOG_LEVEL: 'warn' },
    log: () => undefined,
  });
}, 2 * MINUTE);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it(
  'burns the budget, pages through Alertmanager, and a maintenance window silences the page',
  async () => {
    expect(stack.urls.prometheus).toBeDefined();
    expect(stack.urls.alertmanager).toBeDefined();
    expect(stack.rulesSource).not.toBe('none');

    // The guide's availability SLO, provisioned from provisioning/slos/api-availability.yaml.
    const sloId = 'api-availability';
    expect((await api(`/slos/${sloId}`)).indicator.kind).toBe('ratio');

    // Healthy traffic first, so the budget has a baseline the errors then eat into.
    const before = await until('a first SLO status with traffic', () => remainingBudget(sloId), 2 * MINUTE);

    const inject = await fetch(`${stack.urls.demo}/inject`, {
      method: 'POST',
      body: JSON.stringify({ service: 'api', errorRate: 0.5, durationSeconds: 900 }),
    });
    expect(inject.status).toBe(201);

    await until(
      'the api availability budget to drop',
      async () => ((await remainingBudget(sloId)) ?? Infinity) < before - 0.05,
      2 * MINUTE,
    );

    // The status endpoint agrees: budget below where it was, the 1-hour burn above the fast-page factor.
    const status = await api(`/slos/${sloId}/status`);
    expect(status.errorBudget.remaining).toBeLessThan(before - 0.05);
    expect(status.burnRates['1h']).toBeGreaterThan(14.4);

    // Every opsdeck query of the provisioned dashboards answers against the live stack, SLO kinds included.
    for (const { file, json } of provisionedDashboards()) {
      const queries = opsdeckTargets(json);
      const { results } = await api('/query', {
        method: 'POST',
        body: JSON.stringify({
          from: new Date(Date.now() - 3_600_000).toISOString(),
          to: new Date().toISOString(),
          queries,
        }),
      });
      const errors = Object.entries(results as Record<string, { error?: string }>).filter(([, r]) => r.error);
      expect([file, errors]).toEqual([file, []]);
    }

    // Two page alerts per SLO (1h/5m and 6h/30m windows): the fast pair pages first.
    const pageStates = async () => {
      const body = (await (await fetch(`${stack.urls.prometheus}/api/v1/alerts`)).json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      return body.data.alerts
        .filter(
          (a) =>
            a.labels.alertname === SLO_ALERT_NAME && a.labels.slo === sloId && a.labels.slo_tier === 'page',
        )
        .map((a) => a.state);
    };
    const states = new Set<string>();
    await until(
      'the page alert to go pending',
      async () => {
        const seen = await pageStates();
        seen.forEach((s) => states.add(s));
        return seen.length > 0;
      },
      4 * MINUTE,
    );
    await until(
      'the page alert to fire',
      async () => {
        const seen = await pageStates();
        seen.forEach((s) => states.add(s));
        return seen.includes('firing');
      },
      5 * MINUTE,
    );
    expect([...states].sort()).toEqual(['firing', 'pending']);

    const alertmanagerAlert = async () => {
      const filter = `filter=${encodeURIComponent(`alertname="${SLO_ALERT_NAME}"`)}&filter=${encodeURIComponent(`slo="${sloId}"`)}&filter=${encodeURIComponent('slo_tier="page"')}`;
      const alerts = (await (await fetch(`${stack.urls.alertmanager}/api/v2/alerts?${filter}`)).json()) as {
        status: { state: string; silencedBy: string[] };
      }[];
      return alerts[0];
    };
    const active = await until('the page to reach Alertmanager', alertmanagerAlert, 2 * MINUTE);
    expect(active.status).toMatchObject({ state: 'active', silencedBy: [] });
    await until(
      'the page to reach the on-call webhook',
      async () => {
        const { notifications } = (await (await fetch(`${stack.urls.demo}/alerts`)).json()) as {
          notifications: { notification: { alerts?: { labels: Record<string, string> }[] } }[];
        };
        return notifications.some((n) =>
          n.notification.alerts?.some((a) => a.labels.alertname === SLO_ALERT_NAME),
        );
      },
      2 * MINUTE,
    );

    // The on-call finds the runbook the alert links to.
    const runbooks = (await api(`/runbooks/search?alert=${SLO_ALERT_NAME}&service=api`)).items as {
      id: string;
    }[];
    expect(runbooks.map((r) => r.id)).toContain('api-elevated-errors');

    const now = Date.now();
    await api('/maintenance-windows', {
      method: 'POST',
      body: JSON.stringify({
        name: 'e2e: api maintenance',
        schedule: {
          kind: 'once',
          start: new Date(now - MINUTE).toISOString(),
          end: new Date(now + 30 * MINUTE).toISOString(),
        },
        matchers: [
          { name: 'alertname', op: '=', value: SLO_ALERT_NAME },
          { name: 'slo', op: '=', value: sloId },
        ],
      }),
    });
    const silenced = await until(
      'the silencer to silence the page',
      async () => {
        const alert = await alertmanagerAlert();
        return alert?.status.state === 'suppressed' && alert.status.silencedBy.length > 0 ? alert : undefined;
      },
      MINUTE,
    );
    expect(silenced.status.silencedBy).toHaveLength(1);
  },
  15 * MINUTE,
);
