// Expression indexes on the length of incident and change spans: the annotation query reads the
// longest span (an index lookup) to know how far back an item overlapping a range can start.
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('incidents_span')
    .on('incidents')
    .expression(sql`(resolved_at - started_at)`)
    .execute();
  await db.schema
    .createIndex('changes_span')
    .on('changes')
    .expression(sql`(at_end - at)`)
    .execute();
  await db.schema
    .createIndex('incidents_open_started')
    .on('incidents')
    .columns(['resolved_at', 'started_at'])
    .execute();
}
