// Security headers on every answer (helmet's defaults: CSP, no sniffing, frame and referrer policy, HSTS);
// the Swagger UI page under /api/v1/docs loads only its own scripts and styles, so the default CSP fits it.
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

export const securityHeadersPlugin = fp(
  async (app) => {
    await app.register(helmet, {
      // The API is called cross-origin through Grafana's data source proxy, never embedded by a browser page.
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
  },
  { name: 'opsdeck-security-headers' },
);
