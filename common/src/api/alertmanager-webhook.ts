// Alertmanager's webhook notification (payload version 4), as its webhook receiver posts it; fields
// Alertmanager may add later are ignored rather than refused, so an upgrade never drops a page.
import { z } from 'zod';
import { Timestamp } from './primitives';

/** Alerts one notification may carry; Alertmanager's own max_alerts is unlimited by default. */
export const WEBHOOK_MAX_ALERTS = 10_000;
const MAX_LABELS = 200;

const LabelSet = z
  .record(z.string().min(1).max(1000), z.string().max(10_000))
  .refine((set) => Object.keys(set).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);
const AnnotationSet = z
  .record(z.string().min(1).max(1000), z.string().max(100_000))
  .refine((set) => Object.keys(set).length <= MAX_LABELS, `at most ${MAX_LABELS} annotations`);
const AlertStatus = z.enum(['firing', 'resolved']);

export const WebhookAlert = z.object({
  status: AlertStatus,
  labels: LabelSet,
  annotations: AnnotationSet.default({}),
  startsAt: Timestamp,
  /** Go's zero time (0001-01-01T00:00:00Z) while firing. */
  endsAt: Timestamp.optional(),
  generatorURL: z.string().max(10_000).default(''),
  fingerprint: z.string().max(100).default(''),
});
export type WebhookAlert = z.infer<typeof WebhookAlert>;

export const AlertmanagerWebhook = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().min(1).max(10_000).describe('identifies the alert group; one incident per open group'),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: AlertStatus,
  receiver: z.string().max(1000).default(''),
  groupLabels: LabelSet.default({}),
  commonLabels: LabelSet.default({}),
  commonAnnotations: AnnotationSet.default({}),
  externalURL: z.string().max(10_000).default(''),
  alerts: z.array(WebhookAlert).max(WEBHOOK_MAX_ALERTS),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

export const WebhookOutcome = z.object({
  action: z
    .enum(['created', 'existing', 'ignored'])
    .describe('created: a new incident; existing: the group already has an open one; ignored: nothing pages'),
  incidentId: z.string().nullable(),
  reason: z.string().optional(),
});
export type WebhookOutcome = z.infer<typeof WebhookOutcome>;
