// The silences opsdeck wants for a window's occurrence, and the idempotency key in their comment
// that lets every cycle (and every replica) recognise its own installation's silences and leave
// others alone: people's, and those of other opsdeck installations on the same Alertmanager.
import { createHash } from 'node:crypto';
import type { MaintenanceWindow, Occurrence } from '@opsdeck/common';
import { type AmMatcher, type NewSilence, toAmMatcher } from './alertmanager-client';

/** `createdBy` of every silence the silencer makes; together with the key it marks ours. */
export const SILENCE_CREATOR = 'opsdeck';

export interface SilenceKey {
  /** The installation that made it; null in the format from before instance ids. */
  instance: string | null;
  windowId: string;
  occurrenceStart: string;
  /** Hash of the matchers and times: an edited window gets a new key, so its old silence goes. */
  version: string;
}

const KEY_PATTERN = /^opsdeck:(?:instance=([^;\s]+);)?window=([^;\s]+);occ=([^;\s]+);v=([0-9a-f]+)(?:\s|$)/;

function versionOf(matchers: AmMatcher[], startsAt: string, endsAt: string): string {
  return createHash('sha256')
    .update(JSON.stringify([matchers, startsAt, endsAt]))
    .digest('hex')
    .slice(0, 12);
}

export function formatSilenceKey(key: SilenceKey): string {
  const instance = key.instance === null ? '' : `instance=${key.instance};`;
  return `opsdeck:${instance}window=${encodeURIComponent(key.windowId)};occ=${key.occurrenceStart};v=${key.version}`;
}

/** The key at the start of a silence comment, or null for silences opsdeck did not write. */
export function parseSilenceKey(comment: string): SilenceKey | null {
  const m = KEY_PATTERN.exec(comment);
  if (!m) return null;
  return {
    instance: m[1] ?? null,
    windowId: decodeURIComponent(m[2]!),
    occurrenceStart: m[3]!,
    version: m[4]!,
  };
}

/**
 * What one silence is for, whichever installation's marker it carries: window, occurrence and
 * version. One slot, one silence.
 */
export function slotOf(key: SilenceKey): string {
  return formatSilenceKey({ ...key, instance: null });
}

export interface DesiredSilence {
  slot: string;
  windowId: string;
  silence: NewSilence;
}

export function desiredSilence(
  window: MaintenanceWindow,
  occurrence: Occurrence,
  instance: string,
): DesiredSilence {
  const matchers = window.matchers.map(toAmMatcher);
  const startsAt = new Date(occurrence.start).toISOString();
  const endsAt = new Date(occurrence.end).toISOString();
  const key: SilenceKey = {
    instance,
    windowId: window.id,
    occurrenceStart: startsAt,
    version: versionOf(matchers, startsAt, endsAt),
  };
  const change = window.changeId ? ` for change ${window.changeId}` : '';
  const comment =
    `${formatSilenceKey(key)} Maintenance window "${window.name}"${change}, ${startsAt} to ${endsAt}. ` +
    'Managed by opsdeck: edit, end or extend the window in opsdeck, not this silence.';
  return {
    slot: slotOf(key),
    windowId: window.id,
    silence: { matchers, startsAt, endsAt, createdBy: SILENCE_CREATOR, comment },
  };
}
