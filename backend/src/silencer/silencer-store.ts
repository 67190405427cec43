// The silencer's tables: occurrence adjustments (end early, extend), the per-window, per-target
// reconcile state, and the installation's instance id. Same code on SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { OccurrenceAdjustment, SilenceTargetState } from '@opsdeck/common';
import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import type { WriteContext } from '../store/documents';
import type { Database } from '../store/schema';

type AdjustmentsTable = {
  window_id: string;
  occurrence_start: number;
  end_at: number;
  actor: string;
  at: number;
};

type StatesTable = {
  window_id: string;
  target: string;
  state: string;
  message: string | null;
  desired: number;
  silence_ids: string;
  last_sync_at: number | null;
  last_attempt_at: number;
};

type SilencerTables = {
  maintenance_occurrence_adjustments: AdjustmentsTable;
  silencer_states: StatesTable;
  instance_identity: { singleton: number; instance_id: string };
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
// Multi-row upserts stay under SQLite's bound-parameter limit.
const CHUNK = 500;

export class SilencerStore {
  private readonly db: Kysely<Database & SilencerTables>;

  constructor(store: Store) {
    this.db = store.db.withTables<SilencerTables>();
  }

  /**
   * The id this installation marks its silences with when OPSDECK_INSTANCE_ID is unset: made at the
   * first start and kept, so restarts (and replicas on the same database) use the same one.
   */
  async instanceId(): Promise<string> {
    await this.db
      .insertInto('instance_identity')
      .values({ singleton: 1, instance_id: randomUUID().replace(/-/g, '').slice(0, 12) })
      .onConflict((oc) => oc.column('singleton').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('instance_identity')
      .select('instance_id')
      .where('singleton', '=', 1)
      .executeTakeFirstOrThrow();
    return row.instance_id;
  }

  /** Per target, the ids of the silences the last cycle kept for this installation's windows. */
  async knownSilenceIds(): Promise<Map<string, Set<string>>> {
    const rows = await this.db.selectFrom('silencer_states').select(['target', 'silence_ids']).execute();
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      const ids = out.get(r.target) ?? new Set<string>();
      for (const id of JSON.parse(r.silence_ids) as string[]) ids.add(id);
      out.set(r.target, ids);
    }
    return out;
  }

  async adjustmentsByWindow(): Promise<Map<string, OccurrenceAdjustment[]>> {
    const rows = await this.db.selectFrom('maintenance_occurrence_adjustments').selectAll().execute();
    const out = new Map<string, OccurrenceAdjustment[]>();
    for (const r of rows) {
      const list = out.get(r.window_id) ?? [];
      list.push({
        occurrenceStart: new Date(Number(r.occurrence_start)).toISOString(),
        end: new Date(Number(r.end_at)).toISOString(),
      });
      out.set(r.window_id, list);
    }
    return out;
  }

  async adjustmentsFor(windowId: string): Promise<OccurrenceAdjustment[]> {
    return (await this.adjustmentsByWindow()).get(windowId) ?? [];
  }

  /** Sets the end of one occurrence and writes the audit entry in the same transaction. */
  async adjust(
    windowId: string,
    occurrence: { start: string; end: string },
    end: Date,
    ctx: WriteContext & { action: 'end' | 'extend' },
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('maintenance_occurrence_adjustments')
        .values({
          window_id: windowId,
          occurrence_start: Date.parse(occurrence.start),
          end_at: end.getTime(),
          actor: ctx.actor,
          at: ctx.at.getTime(),
        })
        .onConflict((oc) =>
          oc
            .columns(['window_id', 'occurrence_start'])
            .doUpdateSet({ end_at: end.getTime(), actor: ctx.actor, at: ctx.at.getTime() }),
        )
        .execute();
      await recordAudit(tx as unknown as Kysely<Database>, {
        actor: ctx.actor,
        token: ctx.token,
        action: ctx.action,
        entity: 'maintenance window',
        entityId: windowId,
        before: { occurrence },
        after: { occurrence: { start: occurrence.start, end: end.toISOString() } },
        at: ctx.at,
      });
    });
  }

  async statesFor(windowId: string): Promise<SilenceTargetState[]> {
    const rows = await this.db
      .selectFrom('silencer_states')
      .selectAll()
      .where('window_id', '=', windowId)
      .orderBy('target')
      .execute();
    return rows.map((r) => ({
      windowId: r.window_id,
      target: r.target,
      state: r.state as SilenceTargetState['state'],
      message: r.message,
      desired: Number(r.desired),
      silenceIds: JSON.parse(r.silence_ids) as string[],
      lastSyncAt: iso(r.last_sync_at === null ? null : Number(r.last_sync_at)),
      lastAttemptAt: iso(Number(r.last_attempt_at)),
    }));
  }

  /**
   * Replaces the states with those of a finished cycle. An error keeps the last sync time it had;
   * rows the cycle did not report (deleted windows, dropped targets) go.
   */
  async saveCycle(states: SilenceTargetState[], at: Date): Promise<void> {
    const atMs = at.getTime();
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < states.length; i += CHUNK) {
        const rows = states.slice(i, i + CHUNK).map((s) => ({
          window_id: s.windowId,
          target: s.target,
          state: s.state,
          message: s.message,
          desired: s.desired,
          silence_ids: JSON.stringify(s.silenceIds),
          last_sync_at: s.lastSyncAt === null ? null : Date.parse(s.lastSyncAt),
          last_attempt_at: atMs,
        }));
        await tx
          .insertInto('silencer_states')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['window_id', 'target']).doUpdateSet((eb) => ({
              state: eb.ref('excluded.state'),
              message: eb.ref('excluded.message'),
              desired: eb.ref('excluded.desired'),
              silence_ids: eb.ref('excluded.silence_ids'),
              last_sync_at: sql<number | null>`coalesce(excluded.last_sync_at, silencer_states.last_sync_at)`,
              last_attempt_at: eb.ref('excluded.last_attempt_at'),
            })),
          )
          .execute();
      }
      await tx.deleteFrom('silencer_states').where('last_attempt_at', '<', atMs).execute();
    });
  }
}
