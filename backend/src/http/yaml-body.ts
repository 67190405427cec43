// Raw YAML request bodies (`curl --data-binary @slo.yaml -H 'Content-Type: application/yaml'`) for a
// route that otherwise takes `{yaml}` as JSON: the text becomes the `yaml` field, under the body limit.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';
import { YAML_MEDIA_TYPES } from './media-types';

/** OpenAPI description of a route's raw YAML body, read by the document transform. */
export interface RawYamlBody {
  description: string;
}

declare module 'fastify' {
  interface FastifySchema {
    /** The route also takes its body as raw YAML (see acceptRawYaml); documented beside the JSON one. */
    rawYamlBody?: RawYamlBody;
  }
}

/**
 * Lets the routes of this encapsulation context take raw YAML: the body arrives as `{ yaml: text }`,
 * so the route's JSON schema and handler serve both forms.
 */
export function acceptRawYaml(app: FastifyInstance): void {
  app.addContentTypeParser([...YAML_MEDIA_TYPES], { parseAs: 'string' }, (_request, text, done) => {
    if (typeof text !== 'string' || text.trim() === '') {
      done(
        new ApiError(400, 'empty_body', 'body is empty: send one or more YAML documents', [
          { field: 'body', message: 'is required' },
        ]),
      );
      return;
    }
    done(null, { yaml: text });
  });
}

/** Whether the request's body was raw YAML, so problems name `body` rather than `body.yaml`. */
export function isRawYaml(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return (YAML_MEDIA_TYPES as readonly string[]).includes(media);
}
