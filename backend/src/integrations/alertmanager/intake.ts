// Alertmanager notifications in: a page declares an incident, one per alert group while it is open
// (the store's unique index on the open group settles concurrent pages); resolved alerts are noted
// on the group's incident. The decisions are common's (pageIncident, resolvedNote).
import type { FastifyInstance } from 'fastify';
import {
  type AlertmanagerWebhook,
  type Incident,
  IncidentCreate,
  type WebhookOutcome,
  pageIncident,
  resolvedNote,
} from '@opsdeck/common';
import { appendTimeline } from '../../incidents/timeline';
import { ApiError, unprocessable } from '../../errors';
import { buildIncident } from '../../incidents/build';
import type { WriteContext } from '../../store/documents';
import { alertGroupKey } from '../../store/repositories';

const NOTHING_PAGES =
  'no firing alert pages: severity S1 or S2, or a value ALERTMANAGER_PAGE_SEVERITIES maps to them';

export class AlertGroupIntake {
  constructor(private readonly app: FastifyInstance) {}

  /** The open incident of an alert group, if any. */
  async openIncident(groupKey: string): Promise<Incident | undefined> {
    const row = await this.app.store.db
      .selectFrom('incidents')
      .select('id')
      .where('open_alert_group', '=', alertGroupKey(groupKey))
      .executeTakeFirst();
    return row ? this.app.repos.incidents.get(row.id) : undefined;
  }

  async receive(payload: AlertmanagerWebhook, ctx: WriteContext): Promise<WebhookOutcome> {
    const open = await this.openIncident(payload.groupKey);
    if (open) return this.onExisting(open, payload, ctx);
    const plan = pageIncident(payload, ctx.at, this.app.config.ALERTMANAGER_PAGE_SEVERITIES);
    if (!plan) return { action: 'ignored', incidentId: null, reason: NOTHING_PAGES };
    const input = IncidentCreate.safeParse(plan);
    if (!input.success) {
      // pageIncident keeps every field inside the schema; should it ever not, the page is refused by name.
      const details = input.error.issues.map((i) => ({
        field: `incident.${i.path.join('.')}`,
        message: i.message,
      }));
      throw unprocessable(
        'page_not_declarable',
        details.map((d) => `${d.field}: ${d.message}`).join('; '),
        details,
      );
    }
    let incident: Incident;
    try {
      incident = await this.app.repos.incidents.insert(buildIncident(input.data, ctx), ctx);
    } catch (err) {
      // A concurrent notification of the same group declared it first: this one joins that incident.
      const winner =
        err instanceof ApiError && err.code === 'alert_group_open'
          ? await this.openIncident(payload.groupKey)
          : undefined;
      if (!winner) throw err;
      return this.onExisting(winner, payload, ctx);
    }
    await this.note(incident.id, `Declared from an Alertmanager page: ${incident.title}`, ctx, {
      groupKey: payload.groupKey,
      alerts: payload.alerts.length,
    });
    await this.noteResolved(incident.id, payload, ctx);
    return { action: 'created', incidentId: incident.id };
  }

  private async onExisting(
    incident: Incident,
    payload: AlertmanagerWebhook,
    ctx: WriteContext,
  ): Promise<WebhookOutcome> {
    await this.noteResolved(incident.id, payload, ctx);
    return { action: 'existing', incidentId: incident.id };
  }

  private async noteResolved(incidentId: string, payload: AlertmanagerWebhook, ctx: WriteContext) {
    const resolved = resolvedNote(payload);
    if (!resolved || (await this.noted(incidentId, resolved.key))) return;
    await this.note(incidentId, resolved.text, ctx, {
      fingerprints: resolved.fingerprints,
      key: resolved.key,
    });
  }

  /** Whether a recent note already records these resolutions (Alertmanager retries a notification it timed out on). */
  private async noted(incidentId: string, key: string): Promise<boolean> {
    const recent = await this.app.store.db
      .selectFrom('timeline_entries')
      .select('data')
      .where('incident_id', '=', incidentId)
      .where('kind', '=', 'note')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(20)
      .execute();
    return recent.some((r) => r.data !== null && (JSON.parse(r.data) as { key?: unknown }).key === key);
  }

  private note(incidentId: string, text: string, ctx: WriteContext, data: Record<string, unknown>) {
    return this.app.store.db.transaction().execute((tx) =>
      appendTimeline(
        tx,
        {
          incidentId,
          kind: 'note',
          text,
          at: ctx.at,
          author: ctx.actor,
          data: { source: 'alertmanager', ...data },
        },
        ctx,
      ),
    );
  }
}
