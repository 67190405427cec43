// POST /api/v1/integrations/alertmanager: Alertmanager's webhook receiver (payload version 4),
// authenticated by an editor token that Alertmanager sends through http_config.authorization.
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AlertmanagerWebhook, ErrorBody, WebhookOutcome } from '@opsdeck/common';
import '../../decorations';
import { errorResponses, writeContext } from '../../http/crud';
import { AlertGroupIntake } from './intake';

export const alertmanagerWebhookPlugin = fp(
  async (fastify) => {
    const intake = new AlertGroupIntake(fastify);
    fastify.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/integrations/alertmanager',
      {
        schema: {
          tags: ['integrations'],
          summary: 'Alertmanager webhook: a page declares an incident, one per open alert group',
          description:
            'Point an Alertmanager webhook receiver here (send_resolved: true) with an editor token in ' +
            'http_config.authorization. Firing alerts whose severity label is S1 or S2 (or a value ' +
            'ALERTMANAGER_PAGE_SEVERITIES maps to them; "page" is S2 by default) declare one incident per ' +
            'alert group (groupKey) while it is open; repeats and further alerts of the group land on it; ' +
            'resolved alerts are noted on its timeline. Opsdeck’s own escalation alerts never declare one.',
          body: AlertmanagerWebhook,
          response: { 200: WebhookOutcome, ...errorResponses, 422: ErrorBody },
        },
      },
      async (request) => intake.receive(request.body, writeContext(request)),
    );
  },
  { name: 'opsdeck-alertmanager-webhook', dependencies: ['opsdeck-auth'] },
);
