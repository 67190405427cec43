// OpenAPI 3 from the routes' zod schemas, served at /api/v1/openapi.json with a browsable page at /api/v1/docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

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
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { deepLinking: true } });
    app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  },
  { name: 'opsdeck-openapi' },
);
