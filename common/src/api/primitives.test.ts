import { ChangeCreate } from './change';
import { ActionItem, ChecklistItemState, IncidentRoles } from './incident';
import { ACTOR_MAX_LENGTH, CalendarDate, Person } from './primitives';

describe('CalendarDate', () => {
  it.each(['2026-12-15', '2024-02-29', '2027-01-01'])('accepts %s', (d) => {
    expect(CalendarDate.safeParse(d).success).toBe(true);
  });
  it.each(['2026-02-30', '2025-02-29', '15.12.2026', '2026-12-15T00:00:00Z', '2026-1-5', ''])(
    'refuses %p',
    (d) => {
      expect(CalendarDate.safeParse(d).success).toBe(false);
    },
  );
});

describe('person fields hold any actor (ACTOR_MAX_LENGTH)', () => {
  const change = { title: 'Deploy', kind: 'deploy', risk: 'Low', service: 'api' };
  const fields: [string, (who: string) => unknown][] = [
    ['Person', (who) => Person.safeParse(who)],
    ['incident role', (who) => IncidentRoles.safeParse({ ic: who })],
    ['action item owner', (who) => ActionItem.safeParse({ title: 'x', owner: who, dueDate: '2026-12-15' })],
    ['checklist by', (who) => ChecklistItemState.safeParse({ done: true, by: who })],
    ['change owner', (who) => ChangeCreate.safeParse({ ...change, owner: who })],
  ];
  it.each(fields)('%s accepts the longest actor and refuses one character more', (_field, parse) => {
    expect(parse('a'.repeat(ACTOR_MAX_LENGTH))).toMatchObject({ success: true });
    expect(parse('a'.repeat(ACTOR_MAX_LENGTH + 1))).toMatchObject({ success: false });
  });
});
