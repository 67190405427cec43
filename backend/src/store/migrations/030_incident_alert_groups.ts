// One open incident per Alertmanager alert group: the group's key (hashed, so any length fits an
// index) is set on an incident while it is open and cleared on resolution; a unique index makes two
// concurrent pages of one group land on one incident. NULLs are distinct in SQLite and PostgreSQL.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('open_alert_group', 'text').execute();
  await db.schema
    .createIndex('incidents_open_alert_group')
    .on('incidents')
    .column('open_alert_group')
    .unique()
    .execute();
}
