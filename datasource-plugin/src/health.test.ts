import { GRAFANA_AUTH_FAILED, healthResult } from './health';

const URL = 'http://opsdeck:3001';

describe('healthResult', () => {
  it('is a success when /readyz answers 200', () => {
    expect(healthResult({ status: 200, data: { status: 'ready', checks: {} } }, URL)).toEqual({
      status: 'success',
      message: `Connected to the opsdeck API at ${URL}; store and Prometheus are ready.`,
    });
  });

  it('gives each failure its own message', () => {
    const cases = {
      noUrl: healthResult({ status: 0 }, undefined),
      unreachable: healthResult({ status: 502, data: { message: 'Bad Gateway' } }, URL),
      noAnswer: healthResult({ status: 0 }, URL),
      unauthorized: healthResult({ status: 200, data: { status: 'ready', checks: {} } }, URL, {
        status: 401,
        data: { error: 'unauthorized' },
      }),
      // What the browser gets through Grafana's data source proxy when the backend answers 401.
      rejectedThroughGrafana: healthResult({ status: 200, data: { status: 'ready', checks: {} } }, URL, {
        status: 400,
        data: GRAFANA_AUTH_FAILED,
      }),
      prometheusDown: healthResult(
        {
          status: 503,
          data: {
            status: 'not_ready',
            checks: {
              store: { ok: true },
              prometheus: {
                ok: false,
                error: 'Prometheus at http://prom:9090 is unreachable (ECONNREFUSED)',
              },
            },
          },
        },
        URL,
      ),
      storeDown: healthResult(
        {
          status: 503,
          data: {
            status: 'not_ready',
            checks: { store: { ok: false, error: 'store: disk I/O' }, prometheus: { ok: true } },
          },
        },
        URL,
      ),
      notOpsdeck: healthResult({ status: 404 }, URL),
    };
    for (const result of Object.values(cases)) expect(result.status).toBe('error');
    expect(cases.rejectedThroughGrafana.message).toMatch(
      /rejected the token \(Grafana reports "Authentication to data source failed"\)/,
    );
    expect(cases.noUrl.message).toMatch(/Set the opsdeck API URL/);
    expect(cases.unreachable.message).toMatch(/^Cannot reach the opsdeck API at http:\/\/opsdeck:3001/);
    expect(cases.noAnswer.message).toBe(cases.unreachable.message);
    expect(cases.unauthorized.message).toMatch(/rejected the token \(HTTP 401\)/);
    expect(cases.prometheusDown.message).toMatch(/Prometheus is down/);
    expect(cases.prometheusDown.details?.message).toContain('ECONNREFUSED');
    expect(cases.storeDown.message).toMatch(/not ready: store failing/);
    expect(cases.notOpsdeck.message).toMatch(/HTTP 404/);
    const distinct = new Set(
      [
        cases.noUrl,
        cases.unreachable,
        cases.unauthorized,
        cases.rejectedThroughGrafana,
        cases.prometheusDown,
        cases.storeDown,
        cases.notOpsdeck,
      ].map((r) => r.message),
    );
    expect(distinct.size).toBe(7);
  });
});
