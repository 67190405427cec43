// Budget adjustments over the API on SQLite and PostgreSQL: editors write, viewers read, bad ranges
// are 400s naming the field, every write is audited, and maintenance windows naming an SLO in
// excludeFromSlos give it exclusions of their past and open occurrences only.
import { MAX_EXCLUSIONS_PER_SLO, type SloCreate } from '@opsdeck/common';
import { auth, STORE_KINDS, useTestApp } from './support/app';

const NOW = '2026-02-20T12:00:00.000Z';
const SLO: SloCreate = {
  id: 'api-availability',
  name: 'API availability',
  service: 'api',
  objective: 99.9,
  window: '30d',
  indicator: {
    kind: 'ratio',
    errors: 'http_requests_total{service="api",code=~"5.."}',
    total: 'http_requests_total{service="api"}',
  },
};
const ADJUSTMENT = {
  start: '2026-02-19T10:00:00Z',
  end: '2026-02-19T11:30:00Z',
  reason: 'upstream DNS outage',
};

describe.each(STORE_KINDS)('exclusions on %s', (kind) => {
  const { t, call } = useTestApp(kind, NOW);

  beforeAll(async () => {
    expect((await call('POST', '/slos', SLO)).statusCode).toBe(201);
  });

  it('creates, lists and deletes an adjustment, audit-logged with its actor', async () => {
    const created = await call('POST', '/slos/api-availability/exclusions', ADJUSTMENT, 'alice');
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({
      sloId: 'api-availability',
      start: '2026-02-19T10:00:00.000Z',
      end: '2026-02-19T11:30:00.000Z',
      reason: 'upstream DNS outage',
      createdBy: 'alice',
      createdAt: NOW,
    });
    const listed = await call('GET', '/slos/api-availability/exclusions');
    expect(listed.json().items).toEqual([item]);

    const audit = await t().app.inject({
      method: 'GET',
      url: `/api/v1/audit?entity=${encodeURIComponent('SLO exclusion')}`,
      headers: auth('admin'),
    });
    expect(audit.json().items[0]).toMatchObject({ action: 'create', actor: 'alice', entityId: item.id });

    expect((await call('DELETE', `/slos/api-availability/exclusions/${item.id}`)).statusCode).toBe(204);
    expect((await call('GET', '/slos/api-availability/exclusions')).json().items).toEqual([]);
    expect((await call('DELETE', `/slos/api-availability/exclusions/${item.id}`)).statusCode).toBe(404);
  });

  it('refuses viewers writing', async () => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/slos/api-availability/exclusions',
      headers: { ...auth('viewer'), 'content-type': 'application/json' },
      payload: JSON.stringify(ADJUSTMENT),
    });
    expect(res.statusCode).toBe(403);
  });

  it.each([
    ['end before start', { ...ADJUSTMENT, end: '2026-02-19T09:00:00Z' }, 'body.end'],
    ['end equal to start', { ...ADJUSTMENT, end: ADJUSTMENT.start }, 'body.end'],
    [
      'start in the future',
      { ...ADJUSTMENT, start: '2026-02-21T00:00:00Z', end: '2026-02-21T01:00:00Z' },
      'body.start',
    ],
    ['end in the future', { ...ADJUSTMENT, end: '2026-02-20T13:00:00Z' }, 'body.end'],
    ['no reason', { start: ADJUSTMENT.start, end: ADJUSTMENT.end }, 'body.reason'],
    ['blank reason', { ...ADJUSTMENT, reason: '   ' }, 'body.reason'],
    ['not a time', { ...ADJUSTMENT, start: 'yesterday' }, 'body.start'],
    ['unknown field', { ...ADJUSTMENT, slo: 'x' }, 'body.slo'],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    const res = await call('POST', '/slos/api-availability/exclusions', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 for an unknown SLO', async () => {
    expect((await call('POST', '/slos/nope/exclusions', ADJUSTMENT)).statusCode).toBe(404);
    expect((await call('GET', '/slos/nope/exclusions')).statusCode).toBe(404);
  });

  it(`holds at most ${MAX_EXCLUSIONS_PER_SLO} adjustments per SLO`, async () => {
    const other = { ...SLO, id: 'bounded' };
    expect((await call('POST', '/slos', other)).statusCode).toBe(201);
    for (let i = 0; i < MAX_EXCLUSIONS_PER_SLO; i++) {
      const start = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString();
      const end = new Date(Date.parse(start) + 30_000).toISOString();
      await t().app.sloExclusions.create(
        'bounded',
        { start, end, reason: `r${i}` },
        { actor: 'x', at: new Date(NOW) },
      );
    }
    const res = await call('POST', '/slos/bounded/exclusions', ADJUSTMENT);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('too_many_exclusions');
  });

  it('excludes the past and open occurrences of windows naming the SLO, cut at now', async () => {
    const window = await call('POST', '/maintenance-windows', {
      id: 'db-upgrade',
      name: 'DB upgrade',
      schedule: { kind: 'weekly', days: ['TH', 'FR'], startTime: '11:00', durationMinutes: 120 },
      matchers: [{ name: 'service', value: 'api' }],
      excludeFromSlos: ['api-availability'],
    });
    expect(window.statusCode).toBe(201);
    expect(window.json().excludeFromSlos).toEqual(['api-availability']);
    const untouched = await call('POST', '/maintenance-windows', {
      id: 'other',
      name: 'Other',
      schedule: { kind: 'weekly', days: ['FR'], startTime: '11:00', durationMinutes: 120 },
      matchers: [{ name: 'service', value: 'api' }],
    });
    expect(untouched.statusCode).toBe(201);
    const now = new Date(NOW);
    const found = await t().app.sloExclusions.effective(
      ['api-availability'],
      { start: new Date('2026-02-18T00:00:00Z'), end: new Date('2026-02-27T00:00:00Z') },
      now,
    );
    expect(found.get('api-availability')).toEqual([
      {
        start: '2026-02-19T11:00:00.000Z',
        end: '2026-02-19T13:00:00.000Z',
        reason: 'maintenance window DB upgrade',
        source: { type: 'maintenance-window', id: 'db-upgrade' },
      },
      {
        start: '2026-02-20T11:00:00.000Z',
        end: NOW,
        reason: 'maintenance window DB upgrade',
        source: { type: 'maintenance-window', id: 'db-upgrade' },
      },
    ]);
    const metrics = await t().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('opsdeck_slo_excluded{slo="api-availability"} 1');
    expect(metrics.body).toContain('opsdeck_slo_excluded{slo="bounded"} 0');
    const bad = await call('POST', '/maintenance-windows', {
      name: 'Bad',
      schedule: { kind: 'weekly', days: ['FR'], startTime: '11:00', durationMinutes: 60 },
      matchers: [{ name: 'service', value: 'api' }],
      excludeFromSlos: ['Not An Id'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.excludeFromSlos.0');
  });

  it('shows exclusions as annotations of their own kind, with the SLO and the reason', async () => {
    await call('POST', '/slos/api-availability/exclusions', {
      start: '2026-02-20T08:00:00Z',
      end: '2026-02-20T08:30:00Z',
      reason: 'CDN outage upstream',
    });
    const from = Date.parse('2026-02-20T00:00:00Z');
    const res = await call('GET', `/annotations?kinds=exclusion&from=${from}&to=${Date.parse(NOW)}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      title: string;
      time: number;
      timeEnd: number;
      kind: string;
      tags: string[];
      source: { type: string };
    }[];
    expect(items.every((a) => a.kind === 'exclusion')).toBe(true);
    expect(
      items.map((a) => [
        a.title,
        new Date(a.time).toISOString(),
        new Date(a.timeEnd).toISOString(),
        a.source.type,
      ]),
    ).toEqual([
      [
        'Excluded from SLO API availability: maintenance window DB upgrade',
        '2026-02-20T11:00:00.000Z',
        NOW,
        'maintenance-window',
      ],
      [
        'Excluded from SLO API availability: CDN outage upstream',
        '2026-02-20T08:00:00.000Z',
        '2026-02-20T08:30:00.000Z',
        'slo-exclusion',
      ],
    ]);
    expect(items[1]!.tags).toEqual(['exclusion', 'slo:api-availability', 'service:api', 'adjustment']);
    // tags narrow them as for every kind; other kinds leave them out
    const tagged = await call(
      'GET',
      `/annotations?kinds=exclusion&tags=adjustment&from=${from}&to=${Date.parse(NOW)}`,
    );
    expect(tagged.json().items).toHaveLength(1);
    const others = await call('GET', `/annotations?kinds=incident,change&from=${from}&to=${Date.parse(NOW)}`);
    expect(others.json().items.some((a: { kind: string }) => a.kind === 'exclusion')).toBe(false);
    // and through the data source's query endpoint
    const frames = await call('POST', '/query', {
      from: new Date(from).toISOString(),
      to: NOW,
      queries: [{ refId: 'A', kind: 'annotations', annotationSources: ['exclusion'] }],
    });
    expect(frames.statusCode).toBe(200);
    expect(JSON.stringify(frames.json())).toContain(
      'Excluded from SLO API availability: CDN outage upstream',
    );
  });
});
