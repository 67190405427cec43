// Wire schemas of SLO exclusions: budget adjustments (time ranges whose events an SLO does not count,
// with a recorded reason) and the effective exclusions of an SLO, adjustments and maintenance alike.
import { z } from 'zod';
import { Timestamp } from './primitives';

/** Adjustments one SLO may hold: each one adds two queries per overlapping window to an evaluation. */
export const MAX_EXCLUSIONS_PER_SLO = 200;

export const SloExclusionCreate = z.strictObject({
  start: Timestamp.describe('first excluded instant; not in the future'),
  end: Timestamp.describe('end of the excluded range, after start; not in the future'),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .describe('why these events do not count, e.g. "upstream DNS outage"'),
});
export type SloExclusionCreate = z.infer<typeof SloExclusionCreate>;

export const SloExclusion = z.object({
  id: z.string(),
  sloId: z.string(),
  start: Timestamp,
  end: Timestamp,
  reason: z.string(),
  createdAt: Timestamp,
  createdBy: z.string(),
});
export type SloExclusion = z.infer<typeof SloExclusion>;

export const EXCLUSION_SOURCES = ['adjustment', 'maintenance-window'] as const;

/** A range an SLO leaves out, from an adjustment or a past or open maintenance occurrence. */
export const EffectiveExclusion = z.object({
  start: Timestamp,
  end: Timestamp,
  reason: z.string(),
  source: z.object({ type: z.enum(EXCLUSION_SOURCES), id: z.string() }),
});
export type EffectiveExclusion = z.infer<typeof EffectiveExclusion>;
