import {
  budgetLevel,
  formatBurnRate,
  formatDuration,
  formatExhaustion,
  formatPercent,
  sloLink,
} from './slo-format';

describe('slo-format', () => {
  it.each([
    [0.9995, 2, '99.95%'],
    [0.999, 3, '99.900%'],
    [-0.25, 1, '-25.0%'],
    [null, 2, 'no data'],
  ])('formatPercent(%p, %p) = %p', (v, d, out) => expect(formatPercent(v, d)).toBe(out));

  it.each([
    [0.5, '0.50×'],
    [14.4, '14.4×'],
    [250.4, '250×'],
    [null, '–'],
  ])('formatBurnRate(%p) = %p', (v, out) => expect(formatBurnRate(v)).toBe(out));

  it.each([
    [30, '< 1m'],
    [45 * 60, '45m'],
    [3 * 86_400 + 4 * 3600 + 59, '3d 4h'],
    [86_400 + 30 * 60, '1d 30m'],
  ])('formatDuration(%p) = %p', (s, out) => expect(formatDuration(s)).toBe(out));

  it('writes time to exhaustion for burning, idle and spent budgets', () => {
    expect(formatExhaustion({ exhaustionSeconds: 7200, budgetRemaining: 0.3 })).toBe('exhausted in 2h');
    expect(formatExhaustion({ exhaustionSeconds: null, budgetRemaining: 0.3 })).toBe('not burning');
    expect(formatExhaustion({ exhaustionSeconds: 0, budgetRemaining: -0.1 })).toBe('budget exhausted');
  });

  it.each([
    [0.5, 'ok'],
    [0.2, 'warning'],
    [0.05, 'critical'],
    [-1, 'critical'],
    [null, 'unknown'],
  ] as const)('budgetLevel(%p) with 25%/10% thresholds = %p', (v, level) =>
    expect(budgetLevel(v, 0.25, 0.1)).toBe(level),
  );

  it('links to the app’s SLO page, escaping the id', () => {
    expect(sloLink('/a/opsdeck-sre-app/', 'api avail')).toBe('/a/opsdeck-sre-app/slos/api%20avail');
    expect(sloLink('https://grafana.example.com/a/opsdeck-sre-app', 'x')).toBe(
      'https://grafana.example.com/a/opsdeck-sre-app/slos/x',
    );
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)//',
    'data:text/html,x',
    '//evil.example.com',
    '/\\evil.example.com',
  ])('gives no link for the app path %s', (appPath) => {
    expect(sloLink(appPath, 'x')).toBeNull();
  });
});
