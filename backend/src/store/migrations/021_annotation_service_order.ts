// Annotation queries filtered by service walk (service, time, id) in order instead of sorting a
// whole month of the service's rows to break ties on id.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('incidents_service_started_id')
    .on('incidents')
    .columns(['service', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('changes_service_at_id')
    .on('changes')
    .columns(['service', 'at', 'id'])
    .execute();
}
