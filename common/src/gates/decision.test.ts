import { type GateIncident, type GateInput, type GateSloStatus, decideGate } from './decision';

const now = new Date('2026-12-04T12:00:00Z');
const slo = (over: Partial<GateSloStatus> & { id: string }): GateSloStatus => ({
  sli: 0.9995,
  errorBudget: { remaining: 0.5 },
  alerts: { page: false, ticket: false },
  burnRates: { '5m': 0.2, '1h': 0.4 },
  ...over,
});
const incident = (over: Partial<GateIncident> & { id: string }): GateIncident => ({
  title: 'checkout errors',
  severity: 'S1',
  status: 'investigating',
  service: 'checkout',
  services: [],
  ...over,
});
const input = (over: Partial<GateInput>): GateInput => ({
  service: 'checkout',
  statuses: [],
  openIncidents: [],
  minBudget: 0.1,
  now,
  ...over,
});

describe('decideGate', () => {
  it.each<[string, Partial<GateInput>, ReturnType<typeof decideGate>['reasons']]>([
    ['no SLOs and no incidents', {}, []],
    ['a healthy SLO', { statuses: [slo({ id: 'avail' })] }, []],
    [
      'a paging SLO',
      {
        statuses: [
          slo({ id: 'avail', alerts: { page: true, ticket: true }, burnRates: { '5m': 16.04, '1h': 14.46 } }),
        ],
      },
      [
        {
          code: 'slo_paging',
          slo: 'avail',
          message: 'SLO avail is paging: burn rate 14.5x over 1h, 16.0x over 5m',
        },
      ],
    ],
    [
      'a paging SLO whose burn rates are unknown',
      { statuses: [slo({ id: 'avail', alerts: { page: true, ticket: false }, burnRates: { '1h': null } })] },
      [
        {
          code: 'slo_paging',
          slo: 'avail',
          message: 'SLO avail is paging: burn rate ?x over 1h, ?x over 5m',
        },
      ],
    ],
    [
      'a budget below the floor',
      { statuses: [slo({ id: 'latency', errorBudget: { remaining: 0.0449 } })] },
      [
        {
          code: 'budget_below_floor',
          slo: 'latency',
          message: 'SLO latency has 4.5% of its error budget left, below the 10% floor',
        },
      ],
    ],
    [
      'a budget exactly at the floor',
      { statuses: [slo({ id: 'latency', errorBudget: { remaining: 0.1 } })] },
      [],
    ],
    ['an unknown budget', { statuses: [slo({ id: 'latency', errorBudget: { remaining: null } })] }, []],
    [
      'a spent budget under a floor of 0',
      { minBudget: 0, statuses: [slo({ id: 'latency', errorBudget: { remaining: -0.2 } })] },
      [
        {
          code: 'budget_below_floor',
          slo: 'latency',
          message: 'SLO latency has -20% of its error budget left, below the 0% floor',
        },
      ],
    ],
    [
      'an open S1 on the service',
      { openIncidents: [incident({ id: 'i1' })] },
      [
        {
          code: 'incident_open',
          incident: 'i1',
          message: 'S1 incident "checkout errors" (investigating) is open on checkout',
        },
      ],
    ],
    [
      'an open S2 naming the service among its services',
      {
        openIncidents: [
          incident({ id: 'i2', severity: 'S2', status: 'monitoring', service: 'db', services: ['checkout'] }),
        ],
      },
      [
        {
          code: 'incident_open',
          incident: 'i2',
          message: 'S2 incident "checkout errors" (monitoring) is open on checkout',
        },
      ],
    ],
    ['an open S3 on the service', { openIncidents: [incident({ id: 'i3', severity: 'S3' })] }, []],
    ['an open S1 on another service', { openIncidents: [incident({ id: 'i4', service: 'search' })] }, []],
    ['a resolved S1 on the service', { openIncidents: [incident({ id: 'i5', status: 'resolved' })] }, []],
  ])('%s', (_name, over, reasons) => {
    const answer = decideGate(input(over));
    expect(answer.reasons).toEqual(reasons);
    expect(answer.decision).toBe(reasons.length > 0 ? 'halt' : 'proceed');
  });

  it('answers every reason in order (SLOs first, then incidents) with the SLO summary', () => {
    expect(
      decideGate(
        input({
          minBudget: 0.25,
          statuses: [
            slo({
              id: 'a',
              alerts: { page: true, ticket: true },
              errorBudget: { remaining: 0.2 },
              burnRates: { '5m': 20, '1h': 15 },
            }),
            slo({ id: 'b', sli: null, errorBudget: { remaining: null }, burnRates: {} }),
          ],
          openIncidents: [incident({ id: 'i1', severity: 'S2' })],
        }),
      ),
    ).toEqual({
      service: 'checkout',
      decision: 'halt',
      reasons: [
        { code: 'slo_paging', slo: 'a', message: 'SLO a is paging: burn rate 15.0x over 1h, 20.0x over 5m' },
        {
          code: 'budget_below_floor',
          slo: 'a',
          message: 'SLO a has 20% of its error budget left, below the 25% floor',
        },
        {
          code: 'incident_open',
          incident: 'i1',
          message: 'S2 incident "checkout errors" (investigating) is open on checkout',
        },
      ],
      slos: [
        { id: 'a', sli: 0.9995, budgetRemaining: 0.2, page: true, ticket: true, burnRate1h: 15 },
        { id: 'b', sli: null, budgetRemaining: null, page: false, ticket: false, burnRate1h: null },
      ],
      minBudget: 0.25,
      evaluatedAt: '2026-12-04T12:00:00.000Z',
    });
  });
});
