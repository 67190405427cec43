// SLO exclusions: budget adjustments per SLO, and which maintenance windows leave their occurrences
// out of SLOs (the ids as a column, so the evaluator reads only those windows).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('slo_exclusions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slo_id', 'text', (c) => c.notNull().references('slos.id').onDelete('cascade'))
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('slo_exclusions_slo_start')
    .on('slo_exclusions')
    .columns(['slo_id', 'start_at'])
    .execute();
  await db.schema
    .alterTable('maintenance_windows')
    .addColumn('exclude_from_slos', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
