// The installation's own id, made once and kept: the silencer marks its silences with it, so two
// installations sharing an Alertmanager each touch only their own, across restarts.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('instance_identity')
    // Always 1: one row, so concurrent first starts of replicas agree on one id.
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .execute();
}
