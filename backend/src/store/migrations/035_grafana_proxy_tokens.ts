// API tokens can be Grafana's proxy token (the only kind whose requests may name the acting user), and
// every audit entry keeps the token that authenticated the write beside the actor.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('grafana_proxy', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('audit_log').addColumn('token', 'text').execute();
}
