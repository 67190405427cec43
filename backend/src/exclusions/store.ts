// Where an SLO's exclusions come from: its budget adjustments (table slo_exclusions) and the past and
// open occurrences of the maintenance windows that name it in excludeFromSlos. Both stores alike.
import { randomUUID } from 'node:crypto';
import {
  type EffectiveExclusion,
  expandOccurrences,
  MAX_EXCLUSIONS_PER_SLO,
  type MaintenanceWindow,
  type OccurrenceAdjustment,
  type SloExclusion,
  type SloExclusionCreate,
  type TimeRange,
} from '@opsdeck/common';
import { ApiError, notFound } from '../errors';
import { recordAudit } from '../store/audit';
import type { Store } from '../store/db';
import type { WriteContext } from '../store/documents';
import type { SloExclusionsTable } from '../store/schema';

/** The audit log's entity name of an adjustment. */
export const EXCLUSION_ENTITY = 'SLO exclusion';

export interface ExclusionStoreOptions {
  store: Store;
  /** end-early and extend adjustments of maintenance occurrences, by window id */
  occurrenceAdjustments: () => Promise<ReadonlyMap<string, readonly OccurrenceAdjustment[]>>;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

function fromRow(r: SloExclusionsTable): SloExclusion {
  return {
    id: r.id,
    sloId: r.slo_id,
    start: iso(r.start_at),
    end: iso(r.end_at),
    reason: r.reason,
    createdAt: iso(r.created_at),
    createdBy: r.created_by,
  };
}

export class ExclusionStore {
  constructor(private readonly options: ExclusionStoreOptions) {}

  private get db() {
    return this.options.store.db;
  }

  async list(sloId: string): Promise<SloExclusion[]> {
    const rows = await this.db
      .selectFrom('slo_exclusions')
      .selectAll()
      .where('slo_id', '=', sloId)
      .orderBy('start_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  /** Adds an adjustment (checked by the route) with its audit entry; 409 past the per-SLO bound. */
  async create(sloId: string, input: SloExclusionCreate, ctx: WriteContext): Promise<SloExclusion> {
    return this.db.transaction().execute(async (tx) => {
      const { n } = await tx
        .selectFrom('slo_exclusions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('slo_id', '=', sloId)
        .executeTakeFirstOrThrow();
      if (Number(n) >= MAX_EXCLUSIONS_PER_SLO) {
        throw new ApiError(
          409,
          'too_many_exclusions',
          `SLO "${sloId}" already has ${MAX_EXCLUSIONS_PER_SLO} exclusions; delete old ones first`,
          [{ field: 'body', message: `at most ${MAX_EXCLUSIONS_PER_SLO} exclusions per SLO` }],
        );
      }
      const row: SloExclusionsTable = {
        id: randomUUID(),
        slo_id: sloId,
        start_at: Date.parse(input.start),
        end_at: Date.parse(input.end),
        reason: input.reason,
        created_at: ctx.at.getTime(),
        created_by: ctx.actor,
      };
      await tx.insertInto('slo_exclusions').values(row).execute();
      const created = fromRow(row);
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'create',
        entity: EXCLUSION_ENTITY,
        entityId: row.id,
        before: null,
        after: created,
        at: ctx.at,
      });
      return created;
    });
  }

  async delete(sloId: string, id: string, ctx: WriteContext): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('slo_exclusions')
        .selectAll()
        .where('id', '=', id)
        .where('slo_id', '=', sloId)
        .executeTakeFirst();
      if (!row) throw notFound(EXCLUSION_ENTITY, id);
      await tx.deleteFrom('slo_exclusions').where('id', '=', id).execute();
      await recordAudit(tx, {
        actor: ctx.actor,
        action: 'delete',
        entity: EXCLUSION_ENTITY,
        entityId: id,
        before: fromRow(row),
        after: null,
        at: ctx.at,
      });
    });
  }

  /**
   * The exclusions of each SLO that overlap `range`, up to `now`: adjustments, and the occurrences of
   * enabled windows naming the SLO, an open one cut at `now` (what has not happened is not excluded
   * yet), sorted by start.
   */
  async effective(
    sloIds: readonly string[],
    range: TimeRange,
    now: Date,
  ): Promise<Map<string, EffectiveExclusion[]>> {
    const out = new Map<string, EffectiveExclusion[]>(sloIds.map((id) => [id, []]));
    if (sloIds.length === 0) return out;
    const to = new Date(Math.min(range.end.getTime(), now.getTime()));
    if (to <= range.start) return out;
    const [rows, windowRows] = await Promise.all([
      this.db
        .selectFrom('slo_exclusions')
        .selectAll()
        .where('slo_id', 'in', [...sloIds])
        .where('start_at', '<', to.getTime())
        .where('end_at', '>', range.start.getTime())
        .execute(),
      this.db
        .selectFrom('maintenance_windows')
        .select(['doc'])
        .where('exclude_from_slos', '<>', '')
        .where('enabled', '=', 1)
        .execute(),
    ]);
    for (const r of rows) {
      out.get(r.slo_id)?.push({
        start: iso(r.start_at),
        end: iso(Math.min(Number(r.end_at), now.getTime())),
        reason: r.reason,
        source: { type: 'adjustment', id: r.id },
      });
    }
    if (windowRows.length > 0) {
      const adjustments = await this.options.occurrenceAdjustments();
      for (const { doc } of windowRows) {
        const window = JSON.parse(doc) as MaintenanceWindow;
        const named = window.excludeFromSlos.filter((id) => out.has(id));
        if (named.length === 0) continue;
        const reason = `maintenance window ${window.name}`;
        for (const o of expandOccurrences(window, range.start, to, adjustments.get(window.id))) {
          const exclusion: EffectiveExclusion = {
            start: o.start,
            end: new Date(Math.min(Date.parse(o.end), now.getTime())).toISOString(),
            reason,
            source: { type: 'maintenance-window', id: window.id },
          };
          for (const id of named) out.get(id)!.push(exclusion);
        }
      }
    }
    for (const list of out.values()) list.sort((a, b) => a.start.localeCompare(b.start));
    return out;
  }
}

/** Exclusions as time ranges, the form the SLO math takes. */
export function exclusionRanges(exclusions: readonly EffectiveExclusion[]): TimeRange[] {
  return exclusions.map((e) => ({ start: new Date(e.start), end: new Date(e.end) }));
}
