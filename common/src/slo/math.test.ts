import {
  BURN_RATE_ALERTS,
  BURN_RATE_WINDOWS,
  alertState,
  burnRate,
  burnRateFactor,
  errorBudget,
  errorBudgetRatio,
  objectiveFraction,
  secondsToExhaustion,
  sli,
} from './math';

describe('objective and budget ratios', () => {
  test.each([
    [99.9, 0.999, 0.001],
    [99, 0.99, 0.01],
    [95, 0.95, 0.05],
    [75, 0.75, 0.25],
    [99.95, 0.9995, 0.0005],
    [99.999, 0.99999, 0.00001],
  ])('%p %% -> objective %p, budget %p', (percent, objective, budget) => {
    expect(objectiveFraction(percent)).toBe(objective);
    expect(errorBudgetRatio(percent)).toBe(budget);
  });
});

describe('burn-rate factors scale with the window', () => {
  test.each([
    ['30d', [14.4, 6, 3, 1]],
    ['month', [14.4, 6, 3, 1]],
    ['28d', [13.44, 5.6, 2.8, 0.933333333333]],
    ['7d', [3.36, 1.4, 0.7, 0.233333333333]],
    ['week', [3.36, 1.4, 0.7, 0.233333333333]],
    ['quarter', [43.2, 18, 9, 3]],
  ])('%s', (window, factors) => {
    expect(BURN_RATE_ALERTS.map((a) => burnRateFactor(a, window))).toEqual(factors);
  });
  test('windows reported, shortest first', () => {
    expect(BURN_RATE_WINDOWS).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
  });
});

describe('SLI, burn rate and budget', () => {
  test.each([
    // errorRatio, objective, sli, burnRate, consumed, remaining
    [0, 99.9, 1, 0, 0, 1],
    [0.0005, 99.9, 0.9995, 0.5, 0.5, 0.5],
    [0.001, 99.9, 0.999, 1, 1, 0],
    [0.0144, 99.9, 0.9856, 14.4, 14.4, -13.4],
    [0.02, 99, 0.98, 2, 2, -1],
    [0.0125, 95, 0.9875, 0.25, 0.25, 0.75],
  ])('error ratio %p at %p %%', (ratio, objective, expectedSli, rate, consumed, remaining) => {
    expect(sli(ratio)).toBeCloseTo(expectedSli, 12);
    expect(burnRate(ratio, objective)).toBeCloseTo(rate, 12);
    const budget = errorBudget(ratio, objective);
    expect(budget.total).toBe(errorBudgetRatio(objective));
    expect(budget.consumed).toBeCloseTo(consumed, 12);
    expect(budget.remaining).toBeCloseTo(remaining, 12);
  });
  test('no traffic is no answer, not a perfect SLI', () => {
    expect(sli(NaN)).toBeNaN();
    expect(errorBudget(NaN, 99.9).remaining).toBeNaN();
  });
});

describe('alertState', () => {
  const steady = {
    '5m': 0.0005,
    '30m': 0.0005,
    '1h': 0.0005,
    '2h': 0.0005,
    '6h': 0.0005,
    '1d': 0.0005,
    '3d': 0.0005,
  };
  const base = { objectivePercent: 99.9, window: '30d', minEvents: 0 };
  test.each([
    ['budget-neutral traffic stays quiet', steady, false, false, []],
    [
      'fast burn pages on 1h and 5m',
      { ...steady, '5m': 0.2, '30m': 0.05, '1h': 0.02 },
      true,
      false,
      [{ severity: 'page', long: '1h', short: '5m', factor: 14.4 }],
    ],
    [
      'fast burn that stopped: 1h high, 5m recovered, no page',
      { ...steady, '1h': 0.02, '30m': 0.005 },
      false,
      false,
      [],
    ],
    [
      'slow burn opens a ticket only',
      {
        ...steady,
        '5m': 0.004,
        '30m': 0.004,
        '1h': 0.004,
        '2h': 0.004,
        '6h': 0.004,
        '1d': 0.004,
        '3d': 0.002,
      },
      false,
      true,
      [
        { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
        { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
      ],
    ],
    ['exactly at the factor does not fire', { ...steady, '1h': 0.0144, '5m': 0.0144 }, false, false, []],
    ['missing data never fires', { '1h': 0.5 }, false, false, []],
  ] as const)('%s', (_name, errorRatios, page, ticket, firing) => {
    const state = alertState({ ...base, errorRatios });
    expect(state.page).toBe(page);
    expect(state.ticket).toBe(ticket);
    expect(state.firing).toEqual(firing);
  });

  test('minimum-traffic guard holds a page back but not a ticket', () => {
    const burning = { '5m': 0.5, '30m': 0.5, '1h': 0.5, '2h': 0.5, '6h': 0.5, '1d': 0.5, '3d': 0.5 };
    const quiet = alertState({
      ...base,
      minEvents: 100,
      errorRatios: burning,
      events: { '5m': 12, '30m': 99 },
    });
    expect(quiet.page).toBe(false);
    expect(quiet.ticket).toBe(true);
    expect(quiet.heldBack).toEqual([
      { long: '1h', short: '5m' },
      { long: '6h', short: '30m' },
    ]);
    const busy = alertState({
      ...base,
      minEvents: 100,
      errorRatios: burning,
      events: { '5m': 12, '30m': 100 },
    });
    expect(busy.page).toBe(true);
    expect(busy.firing.map((f) => f.long)).toEqual(['6h', '1d', '3d']);
  });
});

describe('secondsToExhaustion', () => {
  test.each([
    [1, 14.4, '30d', 180_000],
    [0.5, 1, '30d', 1_296_000],
    [0.25, 2, 'week', 75_600],
    [1, 0, '30d', Infinity],
    [0, 3, '30d', 0],
    [-0.2, 3, '30d', 0],
  ])('remaining %p at %p× over %s', (remaining, rate, window, seconds) => {
    expect(secondsToExhaustion(remaining, rate, window)).toBeCloseTo(seconds, 6);
  });
});
