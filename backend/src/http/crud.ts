// The CRUD routes every resource shares: list (filters, keyset pages), create, read, update (If-Match or
// version), delete. Resources declare their schemas once; validation and OpenAPI come from them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { ErrorBody, Page } from '@opsdeck/common';
import { badRequest, versionRequired } from '../errors';
import type { DocumentRepository, ListFilter, StoredDocument, WriteContext } from '../store/documents';
import type { Database } from '../store/schema';

export interface CrudResource<
  T extends StoredDocument,
  C extends z.ZodTypeAny,
  U extends z.ZodTypeAny,
  Q extends z.ZodTypeAny,
> {
  /** URL segment under /api/v1, e.g. "incidents". */
  path: string;
  /** Singular, for OpenAPI summaries. */
  noun: string;
  item: z.ZodType<T>;
  create: C;
  update: U;
  listQuery: Q;
  repo(app: FastifyInstance): DocumentRepository<T>;
  /** A new document from a validated create body (`request` for who asks, e.g. their role). */
  build(
    input: z.output<C>,
    ctx: WriteContext,
    app: FastifyInstance,
    request: FastifyRequest,
  ): Omit<T, 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>;
  /**
   * The document after a validated patch; may throw ApiError to refuse it. `tx` is the update's
   * transaction, for what must change with the document (an incident's postmortem due date).
   */
  apply(
    current: T,
    patch: Omit<z.output<U>, 'version'>,
    ctx: WriteContext,
    app: FastifyInstance,
    tx: Transaction<Database>,
    request: FastifyRequest,
  ): T | Promise<T>;
  /** List filters from a validated query (besides limit, cursor, from, to). */
  filter(query: z.output<Q>): Pick<ListFilter, 'eq' | 'ne'>;
}

export const IdParams = z.object({ id: z.string().min(1).max(100) });
type Id = z.infer<typeof IdParams>;

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
};

export function writeContext(request: FastifyRequest): WriteContext {
  return { actor: request.actor, at: request.server.clock.now(), token: request.tokenName || undefined };
}

/** The version a write expects, from If-Match ("3", W/"3") or the body's `version`. */
export function expectedVersion(request: FastifyRequest, bodyVersion: number | undefined, required: boolean) {
  const header = request.headers['if-match'];
  let fromHeader: number | undefined;
  if (typeof header === 'string' && header.trim() !== '*') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
    if (!m) throw badRequest('header.if-match', 'must be the ETag you read, e.g. "3"');
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw badRequest('body.version', `differs from If-Match (${fromHeader}); send one or make them equal`);
  }
  const v = fromHeader ?? bodyVersion;
  if (v === undefined && required) throw versionRequired();
  return v;
}

export const etag = (reply: FastifyReply, version: number) => reply.header('etag', `"${version}"`);

function toMs(iso: string | undefined) {
  return iso === undefined ? undefined : Date.parse(iso);
}

export function registerCrud<
  T extends StoredDocument,
  C extends z.ZodTypeAny,
  U extends z.ZodTypeAny,
  Q extends z.ZodTypeAny,
>(fastify: FastifyInstance, r: CrudResource<T, C, U, Q>): void {
  // Generic over the resource, so handlers read the validated parts through casts, not the type provider.
  const app = fastify;
  const base = `/api/v1/${r.path}`;
  const tags = [r.path];
  const repo = r.repo(fastify);

  app.get(
    base,
    {
      schema: {
        tags,
        summary: `List ${r.path}`,
        querystring: r.listQuery,
        response: { 200: Page(r.item), ...errorResponses },
      },
    },
    async (request, reply) => {
      const q = request.query as z.output<Q> & { limit: number; cursor?: string; from?: string; to?: string };
      const from = toMs(q.from);
      const to = toMs(q.to);
      if (from !== undefined && to !== undefined && from > to)
        throw badRequest('query.from', 'must not be after to');
      // Stored documents are already valid JSON of the item schema; sending them as text skips a parse,
      // a validation and a stringify per item on the busiest route.
      const body = await repo.listSerialized({ ...r.filter(q), from, to, limit: q.limit, cursor: q.cursor });
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: `Create a ${r.noun}`,
        body: r.create,
        response: { 201: r.item, ...errorResponses, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const ctx = writeContext(request);
      const created = await repo.insert(r.build(request.body as z.output<C>, ctx, fastify, request), ctx);
      etag(reply, created.version);
      reply.header('location', `${base}/${encodeURIComponent(created.id)}`);
      return reply.status(201).send(created);
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Read a ${r.noun}`,
        params: IdParams,
        response: { 200: r.item, ...errorResponses },
      },
    },
    async (request, reply) => {
      const doc = await repo.require((request.params as Id).id);
      etag(reply, doc.version);
      return doc;
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Update a ${r.noun} (optimistic concurrency: If-Match or body.version)`,
        params: IdParams,
        body: r.update,
        response: { 200: r.item, ...errorResponses, 409: ErrorBody, 422: ErrorBody, 428: ErrorBody },
      },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body as z.output<U> & { version?: number };
      const expected = expectedVersion(request, version, true);
      const ctx = writeContext(request);
      const updated = await repo.update(
        (request.params as Id).id,
        expected,
        (cur, tx) => r.apply(cur, patch, ctx, fastify, tx, request),
        ctx,
      );
      etag(reply, updated.version);
      return updated;
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: `Delete a ${r.noun} (If-Match optional)`,
        params: IdParams,
        response: { 204: z.null(), ...errorResponses, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      await repo.delete(
        (request.params as Id).id,
        expectedVersion(request, undefined, false),
        writeContext(request),
      );
      return reply.status(204).send(null);
    },
  );
}
