// The audit log: who changed what, when, through which token, with the document before and after.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';

export interface AuditRecord {
  actor: string;
  /** the token that authenticated the write (absent for the system's own writes and open mode) */
  token?: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  at: Date;
}

export async function recordAudit(
  db: Kysely<Database> | Transaction<Database>,
  r: AuditRecord,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: r.at.getTime(),
      actor: r.actor,
      token: r.token ?? null,
      action: r.action,
      entity: r.entity,
      entity_id: r.entityId,
      before: r.before === undefined || r.before === null ? null : JSON.stringify(r.before),
      after: r.after === undefined || r.after === null ? null : JSON.stringify(r.after),
    })
    .execute();
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  token: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export async function listAudit(
  db: Kysely<Database>,
  q: { entity?: string; entityId?: string; limit: number; beforeId?: number },
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.beforeId) query = query.where('id', '<', q.beforeId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    token: r.token,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before ? JSON.parse(r.before) : null,
    after: r.after ? JSON.parse(r.after) : null,
  }));
}
