// Refuses NUL characters (U+0000) in path parameters, query values and JSON bodies before validation:
// PostgreSQL text cannot hold them and no opsdeck field means anything with one, so both stores answer
// the same 400 naming the field instead of one store failing deep in a query.
import fp from 'fastify-plugin';
import { ApiError } from '../errors';

const MAX_DEPTH = 64;

/** The dotted path of the first string holding a NUL, or undefined. */
function nulAt(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  for (const [key, v] of Object.entries(value)) {
    const here = `${path}.${key}`;
    if (key.includes('\u0000')) return here;
    const found = nulAt(v, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const nulCharactersPlugin = fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      const field =
        nulAt(request.params, 'params') ?? nulAt(request.query, 'query') ?? nulAt(request.body, 'body');
      if (field) {
        throw new ApiError(
          400,
          'validation_failed',
          `${field}: contains a NUL character (\\u0000); remove it`,
          [{ field, message: 'contains a NUL character (\\u0000)' }],
        );
      }
    });
  },
  { name: 'opsdeck-nul-characters' },
);
