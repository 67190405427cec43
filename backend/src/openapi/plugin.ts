// OpenAPI 3 from the routes' zod schemas, served at /api/v1/openapi.json with a browsable page at /api/v1/docs.
import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { YAML_MEDIA_TYPES } from '../http/media-types';

/** The zod transform, then a route's raw YAML body documented beside its JSON body. */
const transform: SwaggerTransform = (document) => {
  const out = jsonSchemaTransform(document);
  const { rawYamlBody, body, ...schema } = out.schema;
  if (!rawYamlBody || !body) return out;
  const yaml = { schema: { type: 'string', description: rawYamlBody.description } };
  return {
    url: out.url,
    schema: {
      ...schema,
      body: {
        content: {
          'application/json': { schema: body },
          ...Object.fromEntries(YAML_MEDIA_TYPES.map((type) => [type, yaml])),
        },
      },
    },
  };
};

export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'opsdeck API',
          version: '0.1.0',
          description:
            'Incidents, changes, maintenance windows, runbooks and SLOs for Grafana. Errors are ' +
            '{ error, message, details?: [{ field, message }] }. Send Authorization: Bearer <token>.',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      transform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { deepLinking: true } });
    app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  },
  { name: 'opsdeck-openapi' },
);
