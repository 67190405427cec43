import { ApiError, toApiError } from './client';

describe('toApiError', () => {
  it('keeps the backend error body: code, message and field details', () => {
    const err = toApiError({
      status: 422,
      data: {
        error: 'rule_refused',
        message: 'a Med risk change needs peer + on-call',
        details: [{ field: 'body.role', message: 'not required', extra: 1 }],
      },
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      code: 'rule_refused',
      message: 'a Med risk change needs peer + on-call',
      details: [{ field: 'body.role', message: 'not required' }],
    });
  });

  it('explains Grafana proxy answers that did not come from the backend', () => {
    expect(toApiError({ status: 502, data: { message: 'Bad Gateway' } })).toMatchObject({
      code: 'backend_unreachable',
      message: expect.stringContaining('backend URL'),
    });
    // The bodies Grafana answers with itself (docs/grafana-contract.md).
    expect(toApiError({ status: 403, data: { message: 'plugin proxy route access denied' } }).message).toBe(
      'Grafana refused the request (HTTP 403): your role may not change this — plugin proxy route access denied.',
    );
    expect(toApiError({ status: 404, data: { message: 'plugin route match not found' } }).message).toMatch(
      /^Grafana has no app proxy route for this call/,
    );
    expect(
      toApiError({ status: 404, data: { message: 'Plugin not found, no installed plugin with that id' } })
        .message,
    ).toMatch(/does not know the opsdeck app/);
    // A backend 404 keeps the backend's own words.
    expect(
      toApiError({ status: 404, data: { error: 'not_found', message: 'incident "x" not found' } }).message,
    ).toBe('incident "x" not found');
    expect(toApiError({ status: 500, data: 'boom' })).toMatchObject({
      code: 'http_500',
      message: 'HTTP 500: boom',
    });
  });

  it('reports a request that never reached Grafana', () => {
    expect(toApiError(new TypeError('Failed to fetch'))).toMatchObject({
      status: 0,
      code: 'network',
      message: expect.stringContaining('Failed to fetch'),
    });
  });
});
