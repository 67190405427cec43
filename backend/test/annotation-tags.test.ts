// The annotation tag index on SQLite and PostgreSQL: its rows follow every create, edit and delete of
// incidents and changes, the migration backfills the same rows, and a tag filter answers exactly what
// filtering the untagged answer by those tags does.
import { sql } from 'kysely';
import { changeTags, incidentTags } from '../src/annotations/tags';
import { migrate } from '../src/store/db';
import { STORE_KINDS, useTestApp } from './support/app';

const NOW = '2026-12-01T18:00:00.000Z';
const FROM = Date.parse('2026-11-01T00:00:00Z');
const TO = Date.parse('2026-12-02T00:00:00Z');

describe.each(STORE_KINDS)('annotation tag index on %s', (kind) => {
  const { t, call } = useTestApp(kind, NOW);

  const indexRows = async (itemId?: string) => {
    const rows = await sql<{ kind: string; item_id: string; tag: string; at: number }>`
      select kind, item_id, tag, at from annotation_tags
      ${itemId ? sql`where item_id = ${itemId}` : sql``}
      order by kind, item_id, tag`.execute(t().store.db);
    return rows.rows.map((r) => ({ ...r, at: Number(r.at) }));
  };
  const expectedRows = (k: 'incident' | 'change', id: string, tags: string[], at: string) =>
    [...tags].sort().map((tag) => ({ kind: k, item_id: id, tag, at: Date.parse(at) }));

  test('an incident’s rows follow create, edit, resolve and delete', async () => {
    const created = await call('POST', '/incidents', {
      title: 'index me',
      severity: 'S2',
      service: 'checkout',
      startedAt: '2026-11-20T10:00:00Z',
      tags: ['db', 'customer-facing'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(await indexRows(id)).toEqual(
      expectedRows('incident', id, incidentTags(created.json()), '2026-11-20T10:00:00Z'),
    );
    expect(await indexRows(id)).toContainEqual(expect.objectContaining({ tag: 'customer-facing' }));

    const edited = await call('PATCH', `/incidents/${id}`, {
      tags: ['network'],
      severity: 'S1',
      service: 'search',
      startedAt: '2026-11-19T08:00:00Z',
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    const rows = await indexRows(id);
    expect(rows).toEqual(expectedRows('incident', id, incidentTags(edited.json()), '2026-11-19T08:00:00Z'));
    expect(rows.map((r) => r.tag)).toEqual(expect.arrayContaining(['network', 'S1', 'service:search']));
    expect(rows.map((r) => r.tag)).not.toContain('customer-facing');

    const resolved = await call('POST', `/incidents/${id}/resolve`, {});
    expect(resolved.statusCode).toBe(200);
    expect((await indexRows(id)).map((r) => r.tag)).toContain('resolved');

    expect((await call('DELETE', `/incidents/${id}`)).statusCode).toBe(204);
    expect(await indexRows(id)).toEqual([]);
  });

  test('a change’s rows follow create, edit and delete', async () => {
    const created = await call('POST', '/changes', {
      title: 'index me too',
      kind: 'deploy',
      risk: 'High',
      service: 'api',
      plannedStart: '2026-11-21T09:00:00Z',
      tags: ['canary'],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect(await indexRows(id)).toEqual(
      expectedRows('change', id, changeTags(created.json()), '2026-11-21T09:00:00Z'),
    );
    const edited = await call('PATCH', `/changes/${id}`, {
      tags: [],
      plannedStart: '2026-11-22T09:00:00Z',
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    expect(await indexRows(id)).toEqual(
      expectedRows('change', id, changeTags(edited.json()), '2026-11-22T09:00:00Z'),
    );
    expect((await call('DELETE', `/changes/${id}`)).statusCode).toBe(204);
    expect(await indexRows(id)).toEqual([]);
  });

  describe('with a mixed history', () => {
    const SERVICES = ['api', 'checkout', 'search'];
    const OWN_TAGS = [[], ['customer-facing'], ['db'], ['customer-facing', 'db'], ['S1']];
    beforeAll(async () => {
      for (let i = 0; i < 36; i++) {
        const start = new Date(FROM + i * 20 * 3600_000).toISOString();
        const common = { service: SERVICES[i % 3], tags: OWN_TAGS[i % 5] };
        const res =
          i % 2 === 0
            ? await call('POST', '/incidents', {
                ...common,
                title: `incident ${i}`,
                severity: ['S1', 'S2', 'S3', 'S4'][(i >> 1) % 4],
                startedAt: start,
              })
            : await call('POST', '/changes', {
                ...common,
                title: `change ${i}`,
                kind: ['deploy', 'config'][(i >> 1) % 2],
                risk: ['Low', 'Med', 'High'][i % 3],
                plannedStart: start,
              });
        expect([res.statusCode, res.body]).toEqual([201, expect.anything()]);
        if (i % 6 === 0)
          expect((await call('POST', `/incidents/${res.json().id}/resolve`, {})).statusCode).toBe(200);
      }
    });

    const query = async (params: string) => {
      const res = await call('GET', `/annotations?from=${FROM}&to=${TO}&kinds=incident,change${params}`);
      expect(res.statusCode).toBe(200);
      return res.json().items as { id: string; tags: string[] }[];
    };

    test.each([
      ['customer-facing'],
      ['customer-facing,db'],
      ['S1'],
      ['incident,S2'],
      ['change,deploy'],
      ['service:checkout'],
      ['service:search,customer-facing'],
      ['resolved'],
      ['nobody-uses-this'],
    ])('tags=%s answers what the untagged answer filtered by those tags does', async (tags) => {
      const wanted = tags.split(',');
      const all = await query('&limit=5000');
      const expected = all.filter((a) => wanted.every((w) => a.tags.includes(w)));
      expect(await query(`&tags=${tags}&limit=5000`)).toEqual(expected);
      expect(await query(`&tags=${tags}&limit=3`)).toEqual(expected.slice(0, 3));
      if (tags !== 'nobody-uses-this') expect(expected.length).toBeGreaterThan(0);
    });

    test('the migration backfills exactly the rows the writes keep', async () => {
      const db = t().store.db;
      const kept = await indexRows();
      expect(kept.length).toBeGreaterThan(36 * 5);
      await db.schema.dropTable('annotation_tags').execute();
      await sql`delete from kysely_migration where name = '036_annotation_tags'`.execute(db);
      expect(await migrate(t().store)).toEqual(['036_annotation_tags']);
      expect(await indexRows()).toEqual(kept);
    });
  });
});
