// The first schema: document tables with their indexed columns, timeline, postmortems, tokens, audit.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

function documentTable(db: Db, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull());
}

export async function up(db: Db, dialect: Dialect): Promise<void> {
  await documentTable(db, 'incidents')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('incidents_started').on('incidents').columns(['started_at', 'id']).execute();
  await db.schema
    .createIndex('incidents_service_started')
    .on('incidents')
    .columns(['service', 'started_at'])
    .execute();
  await db.schema
    .createIndex('incidents_status_started')
    .on('incidents')
    .columns(['status', 'started_at'])
    .execute();

  await documentTable(db, 'changes')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('at_end', 'bigint')
    .execute();
  await db.schema.createIndex('changes_at').on('changes').columns(['at', 'id']).execute();
  await db.schema.createIndex('changes_service_at').on('changes').columns(['service', 'at']).execute();
  await db.schema.createIndex('changes_status_at').on('changes').columns(['status', 'at']).execute();

  await documentTable(db, 'maintenance_windows')
    .addColumn('service', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_windows_updated')
    .on('maintenance_windows')
    .columns(['updated_at', 'id'])
    .execute();

  await documentTable(db, 'runbooks')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('runbooks_updated').on('runbooks').columns(['updated_at', 'id']).execute();

  await documentTable(db, 'slos')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slos_updated').on('slos').columns(['updated_at', 'id']).execute();

  await db.schema
    .createTable('timeline_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema
    .createIndex('timeline_incident_at')
    .on('timeline_entries')
    .columns(['incident_id', 'at'])
    .execute();

  await db.schema
    .createTable('postmortems')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('postmortems_status_due')
    .on('postmortems')
    .columns(['status', 'due_at'])
    .execute();

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('action_items_status_due')
    .on('action_items')
    .columns(['status', 'due_date'])
    .execute();
  await db.schema.createIndex('action_items_incident').on('action_items').columns(['incident_id']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema
    .createIndex('audit_entity')
    .on('audit_log')
    .columns(['entity', 'entity_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_at').on('audit_log').columns(['at']).execute();
}
