// Typed API errors and their single mapping to HTTP answers.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@opsdeck/common';
import { YAML_MEDIA_TYPES } from './http/media-types';

export interface FieldProblem {
  field: string;
  message: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }
}

export const badRequest = (field: string, message: string) =>
  new ApiError(400, 'validation_failed', `${field}: ${message}`, [{ field, message }]);
export const notFound = (entity: string, id: string) =>
  new ApiError(404, 'not_found', `${entity} "${id}" does not exist`);
export const versionConflict = (entity: string, id: string, current: number, given: number) =>
  new ApiError(
    409,
    'version_conflict',
    `${entity} "${id}" is at version ${current}, you sent version ${given}: someone else changed it; read it again and retry`,
    [{ field: 'version', message: `current version is ${current}`, current }],
  );
/** A write that would replace what exists, sent without the version it read (RFC 6585 428). */
export const versionRequired = () =>
  new ApiError(428, 'version_required', 'send the version you read, as If-Match or body.version', [
    { field: 'body.version', message: 'is required (or send an If-Match header)' },
  ]);
export const conflict = (code: string, message: string, details?: FieldProblem[]) =>
  new ApiError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: FieldProblem[]) =>
  new ApiError(422, code, message, details);

/** Thrown when a dependency such as Prometheus or Alertmanager does not answer. */
export class UpstreamError extends ApiError {
  constructor(upstream: string, cause: string) {
    super(503, 'upstream_unavailable', `${upstream} is unavailable: ${cause}`);
  }
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

const fieldOf = (path: readonly string[], prefix: string) => [prefix, ...path].filter(Boolean).join('.');

/** Installs the one place where errors become HTTP answers. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    let body: ErrorBody;
    let status: number;
    if (err instanceof ApiError) {
      status = err.status;
      body = { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      status = 400;
      const context = err.validationContext ?? 'body';
      const part = context === 'querystring' ? 'query' : context;
      const sent = (request as unknown as Record<string, unknown>)[part];
      const details = err.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        const params = v.params as { keys?: string[] };
        if (v.keyword === 'unrecognized_keys') {
          const keys = params.keys ?? [];
          return {
            field: fieldOf([...path, keys[0] ?? ''], part),
            message: `unknown field(s): ${keys.join(', ')}`,
          };
        }
        // zod leaves the input out of its issues, so whether the field was sent is read from the request.
        const missing =
          (v.keyword === 'invalid_type' || v.keyword === 'invalid_value') &&
          valueAt(sent, path) === undefined;
        return { field: fieldOf(path, part), message: missing ? 'is required' : (v.message ?? 'is invalid') };
      });
      body = {
        error: 'validation_failed',
        message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
        details,
      };
    } else if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      body = { error: 'payload_too_large', message: 'request body is larger than the limit' };
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      // the route's own context knows whether it also parses YAML (see http/yaml-body.ts)
      const accepted = request.server.hasContentTypeParser(YAML_MEDIA_TYPES[0])
        ? ['application/json', ...YAML_MEDIA_TYPES].join(', ')
        : 'application/json';
      body = {
        error: 'unsupported_media_type',
        message: `content-type "${request.headers['content-type'] ?? ''}" is not supported: send ${accepted}`,
        details: [{ field: 'content-type', message: `use ${accepted}` }],
      };
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      const invalidJson = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError;
      body = {
        error: invalidJson
          ? 'invalid_json'
          : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? 'empty_body'
            : 'bad_request',
        message: invalidJson ? `body is not valid JSON: ${err.message}` : err.message,
        ...(invalidJson ? { details: [{ field: 'body', message: 'malformed JSON' }] } : {}),
      };
    } else {
      status = 500;
      request.log.error({ err }, 'unhandled error');
      body = { error: 'internal', message: 'internal error; see the server log' };
    }
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
