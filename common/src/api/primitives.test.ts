import { ChangeCreate } from './change';
import { ActionItem, ChecklistItemState, IncidentRoles } from './incident';
import { ACTOR_MAX_LENGTH, CalendarDate, isHttpUrl, Person, Url } from './primitives';

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

describe('Url: http(s) only', () => {
  it.each(['https://rfc.example.com/CHG-1', 'http://wiki.internal:8080/runbooks/db?x=1#step-2'])(
    'accepts %s',
    (u) => {
      expect(Url.safeParse(u).success).toBe(true);
      expect(isHttpUrl(u)).toBe(true);
    },
  );
  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/x',
    '//example.com/x',
    '/a/opsdeck-sre-app',
    ' javascript:alert(1)',
  ])('refuses %s', (u) => {
    const result = Url.safeParse(u);
    expect(result.success).toBe(false);
    expect(isHttpUrl(u)).toBe(false);
  });
  it('says what it wants', () => {
    expect(Url.safeParse('javascript:alert(1)').error?.issues[0]?.message).toBe('must be an http(s) URL');
  });
});
