import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { Schedule } from '../api/maintenance-window';
import {
  currentAndUpcoming,
  currentOccurrence,
  expandOccurrences,
  MAX_SILENCES_PER_WINDOW,
  occurrencesInRange,
  recurrenceProblem,
  scheduleProblem,
} from './occurrences';

const DAY_MS = 86_400_000;
const w = (schedule: Schedule, timeZone = 'UTC', id = 'w1') => ({ id, timeZone, schedule });
const starts = (schedule: Schedule, timeZone: string, from: string, to: string) =>
  expandOccurrences(w(schedule, timeZone), new Date(from), new Date(to)).map((o) => `${o.start}/${o.end}`);

describe('expandOccurrences', () => {
  const cases: Array<[string, Schedule, string, string, string, string[]]> = [
    [
      "the guide's window, Tue/Thu 02:00 UTC for two hours",
      { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
      'UTC',
      '2026-03-02T00:00:00Z',
      '2026-03-09T00:00:00Z',
      [
        '2026-03-03T02:00:00.000Z/2026-03-03T04:00:00.000Z',
        '2026-03-05T02:00:00.000Z/2026-03-05T04:00:00.000Z',
      ],
    ],
    [
      'an occurrence already open at `from` is included',
      { kind: 'weekly', days: ['TU'], startTime: '02:00', durationMinutes: 120 },
      'UTC',
      '2026-03-03T03:59:00Z',
      '2026-03-04T00:00:00Z',
      ['2026-03-03T02:00:00.000Z/2026-03-03T04:00:00.000Z'],
    ],
    [
      'an occurrence ending exactly at `from` is not',
      { kind: 'weekly', days: ['TU'], startTime: '02:00', durationMinutes: 120 },
      'UTC',
      '2026-03-03T04:00:00Z',
      '2026-03-04T00:00:00Z',
      [],
    ],
    [
      'Europe/Berlin Sunday 02:30 across spring-forward (29 Mar): the missing 02:30 becomes 03:30 CEST',
      { kind: 'weekly', days: ['SU'], startTime: '02:30', durationMinutes: 60 },
      'Europe/Berlin',
      '2026-03-21T00:00:00Z',
      '2026-04-06T00:00:00Z',
      [
        '2026-03-22T01:30:00.000Z/2026-03-22T02:30:00.000Z',
        '2026-03-29T01:30:00.000Z/2026-03-29T02:30:00.000Z',
        '2026-04-05T00:30:00.000Z/2026-04-05T01:30:00.000Z',
      ],
    ],
    [
      'Europe/Berlin Sunday 02:30 across fall-back (25 Oct): the doubled 02:30 is its first (CEST) one',
      { kind: 'weekly', days: ['SU'], startTime: '02:30', durationMinutes: 60 },
      'Europe/Berlin',
      '2026-10-17T00:00:00Z',
      '2026-11-02T00:00:00Z',
      [
        '2026-10-18T00:30:00.000Z/2026-10-18T01:30:00.000Z',
        '2026-10-25T00:30:00.000Z/2026-10-25T01:30:00.000Z',
        '2026-11-01T01:30:00.000Z/2026-11-01T02:30:00.000Z',
      ],
    ],
    [
      'Europe/Berlin 01:00 for 120 minutes on spring-forward night lasts 120 real minutes',
      { kind: 'weekly', days: ['SU'], startTime: '01:00', durationMinutes: 120 },
      'Europe/Berlin',
      '2026-03-28T00:00:00Z',
      '2026-03-30T00:00:00Z',
      ['2026-03-29T00:00:00.000Z/2026-03-29T02:00:00.000Z'],
    ],
    [
      'America/New_York Tue/Thu 02:00 across spring-forward (8 Mar)',
      { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
      'America/New_York',
      '2026-03-04T00:00:00Z',
      '2026-03-11T00:00:00Z',
      [
        '2026-03-05T07:00:00.000Z/2026-03-05T09:00:00.000Z',
        '2026-03-10T06:00:00.000Z/2026-03-10T08:00:00.000Z',
      ],
    ],
    [
      'America/New_York daily RRULE at 02:30 through the spring-forward gap',
      { kind: 'rrule', rrule: 'FREQ=DAILY;COUNT=3', start: '2026-03-07T02:30', durationMinutes: 30 },
      'America/New_York',
      '2026-03-01T00:00:00Z',
      '2026-03-20T00:00:00Z',
      [
        '2026-03-07T07:30:00.000Z/2026-03-07T08:00:00.000Z',
        '2026-03-08T07:30:00.000Z/2026-03-08T08:00:00.000Z',
        '2026-03-09T06:30:00.000Z/2026-03-09T07:00:00.000Z',
      ],
    ],
    [
      'America/New_York daily RRULE at 01:30 through fall-back (1 Nov): first 01:30 is EDT',
      { kind: 'rrule', rrule: 'RRULE:FREQ=DAILY', start: '2026-10-31T01:30', durationMinutes: 30 },
      'America/New_York',
      '2026-10-31T00:00:00Z',
      '2026-11-03T00:00:00Z',
      [
        '2026-10-31T05:30:00.000Z/2026-10-31T06:00:00.000Z',
        '2026-11-01T05:30:00.000Z/2026-11-01T06:00:00.000Z',
        '2026-11-02T06:30:00.000Z/2026-11-02T07:00:00.000Z',
      ],
    ],
    [
      'RRULE UNTIL in UTC is an instant: 01:00Z is 02:00 Berlin, so the 02:00 occurrence that day counts',
      {
        kind: 'rrule',
        rrule: 'FREQ=DAILY;UNTIL=20260105T010000Z',
        start: '2026-01-03T02:00',
        durationMinutes: 10,
      },
      'Europe/Berlin',
      '2026-01-01T00:00:00Z',
      '2026-01-10T00:00:00Z',
      [
        '2026-01-03T01:00:00.000Z/2026-01-03T01:10:00.000Z',
        '2026-01-04T01:00:00.000Z/2026-01-04T01:10:00.000Z',
        '2026-01-05T01:00:00.000Z/2026-01-05T01:10:00.000Z',
      ],
    ],
    [
      'monthly RRULE on the first Tuesday',
      { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=1TU', start: '2026-01-06T22:00', durationMinutes: 240 },
      'UTC',
      '2026-02-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      [
        '2026-02-03T22:00:00.000Z/2026-02-04T02:00:00.000Z',
        '2026-03-03T22:00:00.000Z/2026-03-04T02:00:00.000Z',
      ],
    ],
    [
      'one-off window overlapping the range',
      { kind: 'once', start: '2026-05-01T10:00:00+02:00', end: '2026-05-01T12:00:00+02:00' },
      'Europe/Berlin',
      '2026-05-01T09:00:00Z',
      '2026-05-02T00:00:00Z',
      ['2026-05-01T08:00:00.000Z/2026-05-01T10:00:00.000Z'],
    ],
    [
      'one-off window outside the range',
      { kind: 'once', start: '2026-05-01T10:00:00Z', end: '2026-05-01T12:00:00Z' },
      'UTC',
      '2026-05-01T12:00:00Z',
      '2026-05-02T00:00:00Z',
      [],
    ],
  ];
  it.each(cases)('%s', (_name, schedule, zone, from, to, expected) => {
    expect(starts(schedule, zone, from, to)).toEqual(expected);
  });

  it('weekly occurrences start at the local time on the listed days in any zone, whatever the range', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2028-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (zone, hour, minute, from) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const schedule: Schedule = {
            kind: 'weekly',
            days: ['MO', 'FR'],
            startTime: time,
            durationMinutes: 30,
          };
          const to = new Date(from.getTime() + 21 * 86_400_000);
          const occ = expandOccurrences(w(schedule, zone), from, to);
          expect(occ.length).toBeGreaterThanOrEqual(5);
          expect(occ.length).toBeLessThanOrEqual(7);
          for (const o of occ) {
            const local = DateTime.fromISO(o.start, { zone });
            expect([1, 5]).toContain(local.weekday);
            // Equal to the wall time unless it fell into a DST gap, which moves it forward.
            const shift = local.hour * 60 + local.minute - (hour * 60 + minute);
            expect([0, 30, 60]).toContain(shift);
            expect(Date.parse(o.end) - Date.parse(o.start)).toBe(30 * 60_000);
            expect(Date.parse(o.end)).toBeGreaterThan(from.getTime());
            expect(Date.parse(o.start)).toBeLessThan(to.getTime());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('long-running rules', () => {
  it('give the same occurrences in a late range as when expanded from their start', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DAILY', 'WEEKLY', 'HOURLY'),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1 }), {
          nil: undefined,
        }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 20, max: 300 }),
        (freq, interval, byday, zone, startDay, rangeDay) => {
          const rrule = `FREQ=${freq};INTERVAL=${interval}${byday ? `;BYDAY=${byday.join(',')}` : ''}`;
          const start = new Date(Date.UTC(2025, 0, 1 + startDay, 7, 45)).toISOString().slice(0, 16);
          const win = w({ kind: 'rrule', rrule, start, durationMinutes: 90 }, zone);
          // Within MAX_OCCURRENCES_PER_EXPANSION of the start, so the reference expansion is whole.
          const from = new Date(Date.UTC(2025, 0, 1 + startDay + rangeDay, 5));
          const to = new Date(from.getTime() + 3 * 86_400_000);
          const whole = expandOccurrences(win, new Date(Date.UTC(2024, 11, 31)), to).filter(
            (o) => new Date(o.end) > from,
          );
          expect(expandOccurrences(win, from, to)).toEqual(whole);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('adjustments', () => {
  const weekly: Schedule = { kind: 'weekly', days: ['TU'], startTime: '02:00', durationMinutes: 120 };
  const win = w(weekly);

  it('ends an occurrence early and keeps its scheduled end', () => {
    const occ = expandOccurrences(win, new Date('2026-03-03T00:00:00Z'), new Date('2026-03-04T00:00:00Z'), [
      { occurrenceStart: '2026-03-03T02:00:00.000Z', end: '2026-03-03T02:30:00.000Z' },
    ]);
    expect(occ).toEqual([
      {
        windowId: 'w1',
        start: '2026-03-03T02:00:00.000Z',
        end: '2026-03-03T02:30:00.000Z',
        scheduledEnd: '2026-03-03T04:00:00.000Z',
        adjustment: 'ended-early',
      },
    ]);
    expect(
      currentOccurrence(win, new Date('2026-03-03T03:00:00Z'), [
        { occurrenceStart: '2026-03-03T02:00:00.000Z', end: '2026-03-03T02:30:00.000Z' },
      ]),
    ).toBeUndefined();
  });

  it('an extended occurrence reaches ranges its schedule would not', () => {
    const adj = [{ occurrenceStart: '2026-03-03T02:00:00.000Z', end: '2026-03-03T09:00:00+00:00' }];
    const occ = currentAndUpcoming(win, new Date('2026-03-03T08:00:00Z'), 3_600_000, adj);
    expect(occ).toEqual([
      {
        windowId: 'w1',
        start: '2026-03-03T02:00:00.000Z',
        end: '2026-03-03T09:00:00.000Z',
        scheduledEnd: '2026-03-03T04:00:00.000Z',
        adjustment: 'extended',
      },
    ]);
  });

  it('ignores an adjustment naming no occurrence of the schedule', () => {
    const occ = expandOccurrences(win, new Date('2026-03-03T00:00:00Z'), new Date('2026-03-04T00:00:00Z'), [
      { occurrenceStart: '2026-03-03T02:05:00.000Z', end: '2026-03-03T09:00:00.000Z' },
    ]);
    expect(occ.map((o) => o.end)).toEqual(['2026-03-03T04:00:00.000Z']);
  });
});

describe('currentAndUpcoming and occurrencesInRange', () => {
  it('returns the open occurrence and those starting within the look-ahead', () => {
    const s: Schedule = { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 };
    const occ = currentAndUpcoming(w(s), new Date('2026-03-03T03:00:00Z'), 2 * 86_400_000);
    expect(occ.map((o) => o.start)).toEqual(['2026-03-03T02:00:00.000Z', '2026-03-05T02:00:00.000Z']);
    expect(currentAndUpcoming(w(s), new Date('2026-03-03T04:30:00Z'), 3_600_000)).toEqual([]);
  });

  it('merges windows sorted by start', () => {
    const a = w({ kind: 'once', start: '2026-01-01T05:00:00Z', end: '2026-01-01T06:00:00Z' }, 'UTC', 'a');
    const b = w(
      { kind: 'rrule', rrule: 'FREQ=HOURLY;INTERVAL=4', start: '2026-01-01T00:00', durationMinutes: 15 },
      'UTC',
      'b',
    );
    const got = occurrencesInRange(
      [a, b],
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-01-01T09:00:00Z'),
    );
    expect(got.map((o) => `${o.windowId}@${o.start.slice(11, 16)}`)).toEqual([
      'b@00:00',
      'b@04:00',
      'a@05:00',
      'b@08:00',
    ]);
  });
});

describe('scheduleProblem', () => {
  const cases: Array<[Schedule, string | null]> = [
    [{ kind: 'weekly', days: ['MO'], startTime: '01:00', durationMinutes: 5 }, null],
    [{ kind: 'once', start: '2026-01-01T02:00:00Z', end: '2026-01-01T01:00:00Z' }, 'schedule.end'],
    [{ kind: 'rrule', rrule: 'FREQ=WEEKLY;BYDAY=TU', start: '2026-01-01T02:00', durationMinutes: 5 }, null],
    [
      { kind: 'rrule', rrule: 'FREQ=SOMETIMES', start: '2026-01-01T02:00', durationMinutes: 5 },
      'schedule.rrule',
    ],
    [
      { kind: 'rrule', rrule: 'FREQ=WEEKLY;BYDAY=XX', start: '2026-01-01T02:00', durationMinutes: 5 },
      'schedule.rrule',
    ],
    [
      { kind: 'rrule', rrule: 'FREQ=WEEKLY;COLOUR=red', start: '2026-01-01T02:00', durationMinutes: 5 },
      'schedule.rrule',
    ],
    [
      { kind: 'rrule', rrule: 'FREQ=WEEKLY', start: '2026-02-30T02:00', durationMinutes: 5 },
      'schedule.start',
    ],
    [
      { kind: 'rrule', rrule: 'FREQ=MINUTELY;INTERVAL=30', start: '2026-01-01T02:00', durationMinutes: 5 },
      'schedule.rrule',
    ],
    [{ kind: 'rrule', rrule: 'FREQ=HOURLY;INTERVAL=6', start: '2026-01-01T02:00', durationMinutes: 5 }, null],
    // rrule would loop forever: from 02:00 every 2 hours never reaches 03:00.
    [
      {
        kind: 'rrule',
        rrule: 'FREQ=HOURLY;INTERVAL=2;BYHOUR=3',
        start: '2026-01-01T02:00',
        durationMinutes: 5,
      },
      'schedule.rrule',
    ],
    [
      {
        kind: 'rrule',
        rrule: 'FREQ=HOURLY;INTERVAL=2;BYHOUR=3,4',
        start: '2026-01-01T02:00',
        durationMinutes: 5,
      },
      null,
    ],
  ];
  it.each(cases)('%j -> %s', (schedule, field) => {
    expect(scheduleProblem(schedule)?.field ?? null).toBe(field);
  });
});

describe('recurrenceProblem', () => {
  const DAY = 86_400_000;
  const rrule = (rule: string, durationMinutes: number, start = '2026-01-05T02:00'): Schedule => ({
    kind: 'rrule',
    rrule: rule,
    start,
    durationMinutes,
  });
  const secondsList = Array.from({ length: 60 }, (_, i) => i).join(',');
  const cases: Array<[string, Schedule, string, number, string | null, RegExp | null]> = [
    ["the guide's weekly window", weeklyGuide(), 'UTC', DAY, null, null],
    ['hourly for 30 minutes, one day ahead', rrule('FREQ=HOURLY', 30), 'UTC', DAY, null, null],
    [
      'hourly for exactly an hour (ends as the next starts)',
      rrule('FREQ=HOURLY', 60),
      'UTC',
      DAY,
      null,
      null,
    ],
    [
      'the recurrence bomb: every second of every hour',
      rrule(`FREQ=HOURLY;BYMINUTE=${secondsList};BYSECOND=${secondsList}`, 1),
      'UTC',
      DAY,
      'schedule.rrule',
      /as little as 1 s apart .* each lasts 1 minute/,
    ],
    [
      'every minute of every hour',
      rrule(`FREQ=HOURLY;BYMINUTE=${secondsList}`, 1),
      'UTC',
      DAY,
      'schedule.rrule',
      /at least 501 silences .* at most 100/,
    ],
    [
      'daily for two days',
      rrule('FREQ=DAILY', 2 * 24 * 60),
      'UTC',
      DAY,
      'schedule.durationMinutes',
      /1 day\(s\) apart .* each lasts 2 day\(s\)/,
    ],
    [
      'last and first day of the month, 2 days each',
      rrule('FREQ=MONTHLY;BYMONTHDAY=1,-1', 2 * 24 * 60),
      'UTC',
      DAY,
      'schedule.durationMinutes',
      /1 day\(s\) apart/,
    ],
    [
      'Monday and Tuesday for 36 hours',
      { kind: 'weekly', days: ['MO', 'TU'], startTime: '02:00', durationMinutes: 36 * 60 },
      'UTC',
      DAY,
      'schedule.durationMinutes',
      /each lasts 2160 minute/,
    ],
    [
      'a whole week every week in Berlin overlaps across the autumn clock change',
      { kind: 'weekly', days: ['MO'], startTime: '02:00', durationMinutes: 7 * 24 * 60 },
      'Europe/Berlin',
      DAY,
      'schedule.durationMinutes',
      /10020 minute\(s\) apart/,
    ],
    [
      'a whole week every week in UTC does not',
      { kind: 'weekly', days: ['MO'], startTime: '02:00', durationMinutes: 7 * 24 * 60 },
      'UTC',
      DAY,
      null,
      null,
    ],
    ['hourly with the 14-day look-ahead', rrule('FREQ=HOURLY', 30), 'UTC', 14 * DAY, 'schedule.rrule', /337/],
    [
      'every 4 hours with the 14-day look-ahead',
      rrule('FREQ=HOURLY;INTERVAL=4', 30),
      'UTC',
      14 * DAY,
      null,
      null,
    ],
    [
      'hourly at :30 in Berlin through spring-forward (two wall times, one instant)',
      rrule('FREQ=HOURLY;BYMINUTE=30', 60, '2026-03-28T00:30'),
      'Europe/Berlin',
      DAY,
      null,
      null,
    ],
  ];
  it.each(cases)('%s', (_name, schedule, timeZone, lookAhead, field, message) => {
    const problem = recurrenceProblem(w(schedule, timeZone), lookAhead);
    expect(problem?.field ?? null).toBe(field);
    if (message) expect(problem?.message).toMatch(message);
  });

  it('refuses a rule that never occurs, without walking to year 9999, and expands it to nothing', () => {
    const never = rrule('FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30', 30);
    const started = performance.now();
    expect(recurrenceProblem(w(never), DAY)).toEqual({
      field: 'schedule.rrule',
      message: expect.stringContaining('finds no occurrence'),
    });
    expect(
      expandOccurrences(w(never), new Date('2026-02-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z')),
    ).toEqual([]);
    // Unbounded, rrule took about 30 s for each of these on this machine; a guard, not a speed target.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('an accepted recurring window', () => {
  it('has no overlapping occurrences and at most MAX_SILENCES_PER_WINDOW in a look-ahead, whatever the rule', () => {
    const list = (max: number, from = 0) =>
      fc.uniqueArray(fc.integer({ min: from, max }), { minLength: 1, maxLength: 4 });
    let accepted = 0;
    const part = (name: string, values: fc.Arbitrary<number[]>) =>
      fc.option(
        values.map((v) => `;${name}=${v.join(',')}`),
        { nil: '' },
      );
    fc.assert(
      fc.property(
        fc.constantFrom('HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
        fc.integer({ min: 1, max: 5 }),
        part('BYMONTH', list(12, 1)),
        part('BYMONTHDAY', list(31, 1)),
        part('BYHOUR', list(23)),
        part('BYMINUTE', list(59)),
        fc.integer({ min: 1, max: 3 * 24 * 60 }),
        fc.constantFrom('UTC', 'Europe/Berlin'),
        fc.integer({ min: 0, max: 700 }),
        (freq, interval, bymonth, bymonthday, byhour, byminute, durationMinutes, zone, day) => {
          const schedule: Schedule = {
            kind: 'rrule',
            rrule: `FREQ=${freq};INTERVAL=${interval}${bymonth}${bymonthday}${byhour}${byminute}`,
            start: '2026-01-05T02:00',
            durationMinutes,
          };
          const win = w(schedule, zone);
          if (scheduleProblem(schedule) || recurrenceProblem(win, DAY_MS)) return;
          accepted += 1;
          const now = new Date(Date.UTC(2026, 0, 5 + day, 7));
          const occ = currentAndUpcoming(win, now, DAY_MS);
          expect(occ.length).toBeLessThanOrEqual(MAX_SILENCES_PER_WINDOW);
          for (let i = 1; i < occ.length; i++) expect(occ[i]!.start >= occ[i - 1]!.end).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    // Not vacuous: a good share of the generated rules is accepted and checked.
    expect(accepted).toBeGreaterThan(20);
  });
});

function weeklyGuide(): Schedule {
  return { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 };
}
