import type { MaintenanceWindow } from '../api/maintenance-window';
import { eligibleWindows, plannedWindowCheck } from './windows';

const window = (id: string, over: Partial<MaintenanceWindow> = {}): MaintenanceWindow => ({
  id,
  version: 1,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  createdBy: 'ana',
  name: id,
  description: '',
  service: null,
  timeZone: 'UTC',
  // Mondays 09:00–11:00 UTC: never inside the guide's default (Tue/Thu 02:00–04:00 UTC).
  schedule: { kind: 'weekly', days: ['MO'], startTime: '09:00', durationMinutes: 120 },
  matchers: [{ name: 'service', op: '=', value: 'x' }],
  targets: [],
  changeId: null,
  enabled: true,
  source: 'api',
  ...over,
});

const stored = [
  window('all-services'),
  window('checkout', { service: 'checkout' }),
  window('search', { service: 'search' }),
  window('checkout-off', { service: 'checkout', enabled: false }),
];

describe('eligibleWindows', () => {
  test.each([
    ['its service and all services', { service: 'checkout' }, ['all-services', 'checkout']],
    ['all services only', { service: 'billing' }, ['all-services']],
    ['the named window only', { service: 'checkout', maintenanceWindowId: 'search' }, ['search']],
    ['nothing for a disabled named window', { service: 'checkout', maintenanceWindowId: 'checkout-off' }, []],
    ['nothing for an unknown named window', { service: 'checkout', maintenanceWindowId: 'gone' }, []],
  ])('a change gets %s', (_label, change, ids) => {
    expect(eligibleWindows(change, stored).map((w) => w.id)).toEqual(ids);
  });
});

describe('plannedWindowCheck', () => {
  // 2026-12-07 is a Monday.
  const now = new Date('2026-12-07T00:00:00Z');
  const plan = (over: Partial<Parameters<typeof plannedWindowCheck>[0]> = {}) => ({
    risk: 'High' as const,
    service: 'checkout',
    plannedStart: null,
    plannedEnd: null,
    ...over,
  });

  test.each([
    ['Low risk anywhere', plan({ risk: 'Low' }), [], true, null],
    ['High at now, outside the default', plan(), [], false, '2026-12-08T02:00:00.000Z'],
    ['High inside the default', plan({ plannedStart: '2026-12-08T03:00:00Z' }), [], true, null],
    ['High inside its service window', plan({ plannedStart: '2026-12-07T10:00:00Z' }), stored, true, null],
    // A stored window for the service replaces the default, so 03:00 on Tuesday is refused.
    [
      'High in the default, but the service has windows',
      plan({ plannedStart: '2026-12-08T03:00:00Z' }),
      stored,
      false,
      '2026-12-14T09:00:00.000Z',
    ],
    [
      'High inside another service window only',
      plan({ service: 'billing', plannedStart: '2026-12-07T10:00:00Z' }),
      [window('search', { service: 'search' })],
      false,
      '2026-12-08T02:00:00.000Z',
    ],
    [
      'High ending after the window closes',
      plan({ plannedStart: '2026-12-07T10:00:00Z', plannedEnd: '2026-12-07T11:30:00Z' }),
      stored,
      false,
      '2026-12-14T09:00:00.000Z',
    ],
  ] as const)('%s', (_label, change, windows, ok, nextStart) => {
    const check = plannedWindowCheck(change, windows, now);
    expect(check.ok).toBe(ok);
    if (!check.ok) expect(check.nextSlot?.start).toBe(nextStart);
  });
});
