import { CalendarDate } from './primitives';

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
