// Silencer state: end-early/extend adjustments of occurrences, and the last reconcile result per
// window and target, so every replica's API shows what the reconciling replica saw.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('maintenance_occurrence_adjustments')
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('occurrence_start', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('maintenance_occurrence_adjustments_pk', ['window_id', 'occurrence_start'])
    .execute();

  await db.schema
    .createTable('silencer_states')
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('desired', 'integer', (c) => c.notNull())
    .addColumn('silence_ids', 'text', (c) => c.notNull())
    .addColumn('last_sync_at', 'bigint')
    .addColumn('last_attempt_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('silencer_states_pk', ['window_id', 'target'])
    .execute();
}
