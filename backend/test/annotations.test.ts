// GET /api/v1/annotations on SQLite and PostgreSQL: what overlaps a range (including incidents
// that started long before it and open ones), the Grafana shape, every filter and bad input.
import { STORE_KINDS, useTestApp } from './support/app';

const NOW = '2026-12-01T18:00:00.000Z';
const FROM = Date.parse('2026-12-01T00:00:00Z');
const TO = Date.parse('2026-12-02T00:00:00Z');

describe.each(STORE_KINDS)('annotations on %s', (kind) => {
  const { clock, call } = useTestApp(kind, NOW);
  const ids: Record<string, string> = {};

  const incident = async (name: string, body: Record<string, unknown>, resolvedAt?: string) => {
    const res = await call('POST', '/incidents', {
      title: name,
      severity: 'S1',
      service: 'checkout',
      ...body,
    });
    expect(res.statusCode).toBe(201);
    ids[name] = res.json().id;
    if (resolvedAt) {
      clock.set(resolvedAt);
      expect((await call('POST', `/incidents/${ids[name]}/resolve`, {})).statusCode).toBe(200);
      clock.set(NOW);
    }
  };
  const change = async (name: string, body: Record<string, unknown>) => {
    const res = await call('POST', '/changes', {
      title: name,
      kind: 'deploy',
      risk: 'Low',
      service: 'checkout',
      ...body,
    });
    expect(res.statusCode).toBe(201);
    ids[name] = res.json().id;
  };

  beforeAll(async () => {
    await incident('overlaps-start', { startedAt: '2026-11-30T20:00:00Z' }, '2026-12-01T01:00:00Z');
    await incident(
      'long-before',
      { startedAt: '2026-11-20T00:00:00Z', severity: 'S2', tags: ['database'] },
      '2026-12-01T12:00:00Z',
    );
    await incident('open-since-november', {
      startedAt: '2026-11-10T00:00:00Z',
      severity: 'S3',
      service: 'search',
    });
    await incident('over-before', { startedAt: '2026-11-29T00:00:00Z' }, '2026-11-29T02:00:00Z');
    await incident('open-today', { startedAt: '2026-12-01T10:00:00Z', severity: 'S4', service: 'search' });
    await change('point-in-range', { risk: 'High', service: 'db', plannedStart: '2026-12-01T03:00:00Z' });
    await change('region-into-range', {
      risk: 'Med',
      plannedStart: '2026-11-30T23:00:00Z',
      plannedEnd: '2026-12-01T00:30:00Z',
    });
    await change('after-range', { plannedStart: '2026-12-03T00:00:00Z' });
    const win = await call('POST', '/maintenance-windows', {
      name: 'DB patching',
      service: 'db',
      schedule: { kind: 'weekly', days: ['TU', 'TH'], startTime: '02:00', durationMinutes: 120 },
      matchers: [{ name: 'service', op: '=', value: 'db' }],
    });
    expect(win.statusCode).toBe(201);
    ids['window'] = win.json().id;
  });

  const query = async (params: string) => {
    const res = await call('GET', `/annotations?from=${FROM}&to=${TO}${params}`);
    expect(res.statusCode).toBe(200);
    return res.json().items as {
      id: string;
      kind: string;
      time: number;
      timeEnd: number;
      isRegion: boolean;
      title: string;
      tags: string[];
      source: { id: string };
    }[];
  };
  const names = (items: { source: { id: string } }[]) =>
    items.map((i) => Object.entries(ids).find(([, id]) => id === i.source.id)?.[0] ?? i.source.id).sort();

  test('everything overlapping the range, newest first, in Grafana shape', async () => {
    const items = await query('');
    expect(names(items)).toEqual(
      [
        'long-before',
        'open-since-november',
        'open-today',
        'overlaps-start',
        'point-in-range',
        'region-into-range',
        'window',
      ].sort(),
    );
    expect(items.map((i) => i.time)).toEqual([...items.map((i) => i.time)].sort((a, b) => b - a));
    const long = items.find((i) => i.source.id === ids['long-before']);
    expect(long).toMatchObject({
      kind: 'incident',
      time: Date.parse('2026-11-20T00:00:00Z'),
      timeEnd: Date.parse('2026-12-01T12:00:00Z'),
      isRegion: true,
      title: '[S2] long-before',
    });
    expect(long?.tags).toEqual(
      expect.arrayContaining(['incident', 'S2', 'resolved', 'service:checkout', 'database']),
    );
    const open = items.find((i) => i.source.id === ids['open-since-november']);
    expect(open?.timeEnd).toBe(Date.parse(NOW));
    expect(items.find((i) => i.source.id === ids['point-in-range'])).toMatchObject({
      kind: 'change',
      isRegion: false,
      time: Date.parse('2026-12-01T03:00:00Z'),
    });
    expect(items.find((i) => i.source.id === ids['region-into-range'])).toMatchObject({
      isRegion: true,
      timeEnd: Date.parse('2026-12-01T00:30:00Z'),
    });
    expect(items.find((i) => i.kind === 'maintenance')).toMatchObject({
      time: Date.parse('2026-12-01T02:00:00Z'),
      timeEnd: Date.parse('2026-12-01T04:00:00Z'),
      title: 'Maintenance: DB patching',
    });
  });

  test.each([
    ['&kinds=incident', ['long-before', 'open-since-november', 'open-today', 'overlaps-start']],
    ['&kinds=change,maintenance', ['point-in-range', 'region-into-range', 'window']],
    ['&kinds=change&kinds=maintenance', ['point-in-range', 'region-into-range', 'window']],
    ['&service=db', ['point-in-range', 'window']],
    ['&service=search', ['open-since-november', 'open-today']],
    ['&severity=S1,S2', ['long-before', 'overlaps-start']],
    ['&risk=High', ['point-in-range']],
    ['&tags=database', ['long-before']],
    ['&tags=service:checkout,incident', ['long-before', 'overlaps-start']],
    ['&tags=maintenance', ['window']],
  ])('filter %s', async (params, expected) => {
    expect(names(await query(params))).toEqual([...expected].sort());
  });

  test('a narrow range inside a long incident still finds it; limit keeps the newest', async () => {
    const res = await call('GET', `/annotations?from=2026-11-25T00:00:00Z&to=2026-11-25T01:00:00Z`);
    expect(names(res.json().items)).toEqual(['long-before', 'open-since-november']);
    const limited = await query('&limit=2');
    expect(limited.map((i) => i.time)).toEqual([
      Date.parse('2026-12-01T10:00:00Z'),
      Date.parse('2026-12-01T03:00:00Z'),
    ]);
  });

  test('tags with LIKE wildcards match only themselves', async () => {
    await incident('wild', { startedAt: '2026-12-01T06:00:00Z', tags: ['50%_off'] }, '2026-12-01T06:30:00Z');
    await incident('tame', { startedAt: '2026-12-01T07:00:00Z', tags: ['50xyoff'] }, '2026-12-01T07:30:00Z');
    expect(names(await query(`&tags=${encodeURIComponent('50%_off')}`))).toEqual(['wild']);
    expect(names(await query('&tags=50xyoff'))).toEqual(['tame']);
  });

  test('edits and deletes show at once', async () => {
    await change('to-delete', { plannedStart: '2026-12-01T05:00:00Z' });
    expect(names(await query('&kinds=change'))).toContain('to-delete');
    expect((await call('DELETE', `/changes/${ids['to-delete']}`)).statusCode).toBe(204);
    expect(names(await query('&kinds=change'))).not.toContain('to-delete');
  });

  test.each([
    ['kinds=outage', 'query.kinds'],
    ['severity=S9', 'query.severity'],
    ['risk=Extreme', 'query.risk'],
    ['from=yesterday', 'query.from'],
    ['limit=0', 'query.limit'],
    [`from=${TO}&to=${FROM}`, 'query.from'],
  ])('bad input %s names %s', async (params, field) => {
    const res = await call('GET', `/annotations?${params}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe(field);
  });
});
