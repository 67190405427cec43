// The annotation tag index: one row per tag of every incident and change, at the item's start, so a
// tag filter reads (kind, tag, at, item_id) in order instead of every document of the range.
// Existing items are backfilled here; the repositories keep the rows in step on every write.
import type { Kysely } from 'kysely';
import type { Change, Incident } from '@opsdeck/common';
import { changeTags, incidentTags } from '../../annotations/tags';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

/** Items per insert: at most 55 tags each (50 own, 5 derived), 4 values a row, within PostgreSQL's 65,535 parameters. */
const BACKFILL_BATCH = 200;

async function backfill(
  db: Db,
  table: 'incidents' | 'changes',
  kind: string,
  atColumn: string,
  tags: (doc: never) => string[],
): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'doc', atColumn])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    const values = rows.flatMap((r) =>
      tags(JSON.parse(String(r.doc)) as never).map((tag) => ({
        kind,
        item_id: r.id,
        tag,
        at: Number(r[atColumn]),
      })),
    );
    if (values.length) await db.insertInto('annotation_tags').values(values).execute();
    const last = rows[rows.length - 1];
    if (rows.length < BACKFILL_BATCH || !last) return;
    after = String(last.id);
  }
}

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('annotation_tags')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('annotation_tags_pk', ['kind', 'item_id', 'tag'])
    .execute();
  await backfill(db, 'incidents', 'incident', 'started_at', (d: Incident) => incidentTags(d));
  await backfill(db, 'changes', 'change', 'at', (d: Change) => changeTags(d));
  await db.schema
    .createIndex('annotation_tags_tag_at_id')
    .on('annotation_tags')
    .columns(['kind', 'tag', 'at desc', 'item_id desc'])
    .execute();
}
