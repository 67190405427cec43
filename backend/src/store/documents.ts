// One repository for every document table: typed documents in JSON, indexed columns beside them,
// keyset pagination on a time column, optimistic concurrency on `version`, audit in the same transaction.
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { ApiError, notFound, versionConflict } from '../errors';
import { recordAudit } from './audit';
import type { Store } from './db';
import type { AnnotationTagsTable, Database, DocumentTable } from './schema';

export interface StoredDocument {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

type Scalar = string | number | null;

export interface DocumentKind<T extends StoredDocument> {
  table: DocumentTable;
  /** Singular name used in messages and the audit log, e.g. "incident". */
  entity: string;
  /** The indexed columns derived from a document. */
  columns(doc: T): Record<string, Scalar>;
  /** The column lists are ordered and paged by (descending). */
  timeColumn: string;
  /** The annotation an item of this kind makes, whose tags the tag index keeps in the same transaction. */
  annotation?: { kind: AnnotationTagsTable['kind']; at(doc: T): number; tags(doc: T): readonly string[] };
  /** The answer when a write breaks a unique index other than the id; a generic 409 otherwise. */
  uniqueConflict?(doc: T): ApiError;
}

export interface ListFilter {
  eq?: Record<string, Scalar | undefined>;
  ne?: Record<string, Scalar | undefined>;
  /** Inclusive bounds on the time column, epoch ms. */
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WriteContext {
  actor: string;
  at: Date;
  /** the token that authenticated the write; absent for the system's own writes */
  token?: string;
}

// Kysely cannot type a table chosen at run time; the repository is the one place that steps outside it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
type Tx = Transaction<Database>;

const encodeCursor = (t: number, id: string) => Buffer.from(JSON.stringify([t, id])).toString('base64url');

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // falls through to the 400 below
  }
  throw new ApiError(400, 'validation_failed', 'cursor: not a cursor this API returned', [
    { field: 'query.cursor', message: 'pass nextCursor from the previous page unchanged' },
  ]);
}

/** The SQL of one list shape and, per parameter, the name of the value it takes. */
interface CompiledShape {
  sql: string;
  slots: string[];
}

/** A placeholder standing for a named value while a list shape is compiled. */
const SLOT = '\u0000slot:';
const slot = (name: string) => `${SLOT}${name}`;

function slotName(parameter: unknown): string {
  if (typeof parameter !== 'string' || !parameter.startsWith(SLOT))
    throw new Error(`list query compiled a parameter that is not a slot: ${String(parameter)}`);
  return parameter.slice(SLOT.length);
}

export class DocumentRepository<T extends StoredDocument> {
  private readonly shapes = new Map<string, CompiledShape>();

  constructor(
    readonly store: Store,
    readonly kind: DocumentKind<T>,
  ) {}

  private get db(): AnyDb {
    return this.store.db as AnyDb;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private fromRow(row: any): T {
    const doc = JSON.parse(String(row.doc)) as T;
    return { ...doc, version: Number(row.version) };
  }

  async get(id: string, db: AnyDb | Tx = this.db): Promise<T | undefined> {
    const row = await (db as AnyDb)
      .selectFrom(this.kind.table)
      .select(['doc', 'version'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : undefined;
  }

  async require(id: string, db?: AnyDb | Tx): Promise<T> {
    const doc = await this.get(id, db);
    if (!doc) throw notFound(this.kind.entity, id);
    return doc;
  }

  /**
   * The compiled SQL of one list shape (which filters are present), built with placeholders standing for
   * the values, and where each value goes among the parameters. Lists are the hot path, and building and
   * compiling the Kysely query costs more than SQLite's read of a small page.
   */
  private listShape(filter: ListFilter, eq: string[], ne: string[]): CompiledShape {
    const key = `${eq.join(',')}|${ne.join(',')}|${filter.from !== undefined}|${filter.to !== undefined}|${filter.cursor !== undefined}`;
    let shape = this.shapes.get(key);
    if (shape) return shape;
    const t = this.kind.timeColumn;
    let q = this.db.selectFrom(this.kind.table).select(['id', 'doc', t]);
    for (const col of eq) q = q.where(col, '=', slot(`eq.${col}`));
    for (const col of ne) q = q.where(col, '!=', slot(`ne.${col}`));
    if (filter.from !== undefined) q = q.where(t, '>=', slot('from'));
    if (filter.to !== undefined) q = q.where(t, '<=', slot('to'));
    if (filter.cursor !== undefined) {
      q = q.where((eb) =>
        eb.or([
          eb(t, '<', slot('cursor.t')),
          eb.and([eb(t, '=', slot('cursor.t')), eb('id', '<', slot('cursor.id'))]),
        ]),
      );
    }
    const compiled = q
      .orderBy(t, 'desc')
      .orderBy('id', 'desc')
      .limit(slot('limit') as unknown as number)
      .compile();
    shape = { sql: compiled.sql, slots: compiled.parameters.map((p) => slotName(p)) };
    this.shapes.set(key, shape);
    return shape;
  }

  /** A page as stored JSON text, for answers that need no parsing (lists are the hot path). */
  async listJson(filter: ListFilter): Promise<{ items: string[]; nextCursor: string | null }> {
    const t = this.kind.timeColumn;
    const values = new Map<string, Scalar>();
    const present = (m: Record<string, Scalar | undefined> | undefined, prefix: string) =>
      Object.entries(m ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([col, v]) => {
          values.set(`${prefix}.${col}`, v!);
          return col;
        });
    const eq = present(filter.eq, 'eq');
    const ne = present(filter.ne, 'ne');
    if (filter.from !== undefined) values.set('from', filter.from);
    if (filter.to !== undefined) values.set('to', filter.to);
    if (filter.cursor !== undefined) {
      const [ct, cid] = decodeCursor(filter.cursor);
      values.set('cursor.t', ct).set('cursor.id', cid);
    }
    values.set('limit', filter.limit + 1);
    const shape = this.listShape(filter, eq, ne);
    const { rows } = await this.db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(
        shape.sql,
        shape.slots.map((name) => values.get(name)),
      ),
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => String(r.doc)),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(Number(last[t]), String(last.id)) : null,
    };
  }

  async list(filter: ListFilter): Promise<PageOf<T>> {
    const page = await this.listJson(filter);
    return { items: page.items.map((doc) => JSON.parse(doc) as T), nextCursor: page.nextCursor };
  }

  /** The same page as `list`, already serialized: stored documents are written whole, version included. */
  async listSerialized(filter: ListFilter): Promise<string> {
    const page = await this.listJson(filter);
    return `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
  }

  async all(): Promise<T[]> {
    const rows = await this.db.selectFrom(this.kind.table).select(['doc', 'version']).orderBy('id').execute();
    return rows.map((r) => this.fromRow(r));
  }

  /** The table row of a document: its JSON and indexed columns. */
  toRow(doc: T) {
    return {
      id: doc.id,
      version: doc.version,
      doc: JSON.stringify(doc),
      created_at: Date.parse(doc.createdAt),
      updated_at: Date.parse(doc.updatedAt),
      created_by: doc.createdBy,
      ...this.kind.columns(doc),
    };
  }

  private async deleteTags(tx: Tx, id: string): Promise<void> {
    const a = this.kind.annotation;
    if (a)
      await tx.deleteFrom('annotation_tags').where('kind', '=', a.kind).where('item_id', '=', id).execute();
  }

  /** Replaces the document's rows in the tag index with its current tags and start. */
  private async writeTags(tx: Tx, doc: T): Promise<void> {
    const a = this.kind.annotation;
    if (!a) return;
    await this.deleteTags(tx, doc.id);
    const at = a.at(doc);
    const rows = a.tags(doc).map((tag) => ({ kind: a.kind, item_id: doc.id, tag, at }));
    if (rows.length) await tx.insertInto('annotation_tags').values(rows).execute();
  }

  /** Inserts a new document; 409 when the id is taken. */
  async insert(
    doc: Omit<T, 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>,
    ctx: WriteContext,
  ): Promise<T> {
    const full = {
      ...doc,
      version: 1,
      createdAt: ctx.at.toISOString(),
      updatedAt: ctx.at.toISOString(),
      createdBy: ctx.actor,
    } as T;
    return this.store.db.transaction().execute(async (tx) => {
      if (await this.get(full.id, tx)) throw alreadyExists(this.kind.entity, full.id);
      try {
        await (tx as AnyDb).insertInto(this.kind.table).values(this.toRow(full)).execute();
      } catch (err) {
        if (isUniqueViolation(err)) {
          // The id was free a moment ago in this transaction, so another unique index refused it.
          throw this.kind.uniqueConflict?.(full) ?? alreadyExists(this.kind.entity, full.id);
        }
        throw err;
      }
      await this.writeTags(tx, full);
      await recordAudit(tx, {
        ...auditBase(ctx, this.kind.entity, full.id),
        action: 'create',
        before: null,
        after: full,
      });
      return full;
    });
  }

  /**
   * Replaces a document through `change`, refusing with 409 when `expectedVersion` is not the stored one.
   * `change` may throw an ApiError to refuse the edit; nothing is written then.
   */
  async update(
    id: string,
    expectedVersion: number | undefined,
    change: (current: T, tx: Tx) => T | Promise<T>,
    ctx: WriteContext,
    action = 'update',
  ): Promise<T> {
    return this.store.db.transaction().execute(async (tx) => {
      const current = await this.require(id, tx);
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw versionConflict(this.kind.entity, id, current.version, expectedVersion);
      }
      const changed = await change(current, tx);
      const next = { ...changed, id, version: current.version + 1, updatedAt: ctx.at.toISOString() } as T;
      const res = await (tx as AnyDb)
        .updateTable(this.kind.table)
        .set(this.toRow(next))
        .where('id', '=', id)
        .where('version', '=', current.version)
        .executeTakeFirst()
        .catch((err: unknown) => {
          if (isUniqueViolation(err))
            throw this.kind.uniqueConflict?.(next) ?? uniqueClash(this.kind.entity, id);
          throw err;
        });
      if (Number(res.numUpdatedRows) !== 1) {
        const now = await this.require(id, tx);
        throw versionConflict(this.kind.entity, id, now.version, current.version);
      }
      await this.writeTags(tx, next);
      await recordAudit(tx, {
        ...auditBase(ctx, this.kind.entity, id),
        action,
        before: current,
        after: next,
      });
      return next;
    });
  }

  async delete(id: string, expectedVersion: number | undefined, ctx: WriteContext): Promise<void> {
    await this.store.db.transaction().execute(async (tx) => {
      const current = await this.require(id, tx);
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw versionConflict(this.kind.entity, id, current.version, expectedVersion);
      }
      await (tx as AnyDb).deleteFrom(this.kind.table).where('id', '=', id).execute();
      await this.deleteTags(tx, id);
      await recordAudit(tx, {
        ...auditBase(ctx, this.kind.entity, id),
        action: 'delete',
        before: current,
        after: null,
      });
    });
  }
}

const auditBase = (ctx: WriteContext, entity: string, entityId: string) => ({
  actor: ctx.actor,
  token: ctx.token,
  at: ctx.at,
  entity,
  entityId,
});

const alreadyExists = (entity: string, id: string) =>
  new ApiError(409, 'already_exists', `${entity} "${id}" already exists; choose another id or update it`, [
    { field: 'body.id', message: 'already exists' },
  ]);

const uniqueClash = (entity: string, id: string) =>
  new ApiError(
    409,
    'conflict',
    `${entity} "${id}" would clash with another ${entity}; read it again and retry`,
  );

/** A primary-key or unique-index conflict, as SQLite and PostgreSQL report it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return (
    e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
