// The silences opsdeck wants for a window's occurrence, and the idempotency key in their comment
// that lets every cycle (and every replica) recognise its own silences and leave others alone.
import { createHash } from 'node:crypto';
import type { MaintenanceWindow, Occurrence } from '@opsdeck/common';
import { type AmMatcher, type NewSilence, toAmMatcher } from './alertmanager-client';

/** `createdBy` of every silence the silencer makes; together with the key it marks ours. */
export const SILENCE_CREATOR = 'opsdeck';

export interface SilenceKey {
  windowId: string;
  occurrenceStart: string;
  /** Hash of the matchers and times: an edited window gets a new key, so its old silence goes. */
  version: string;
}

const KEY_PATTERN = /^opsdeck:window=([^;\s]+);occ=([^;\s]+);v=([0-9a-f]+)(?:\s|$)/;

function versionOf(matchers: AmMatcher[], startsAt: string, endsAt: string): string {
  return createHash('sha256')
    .update(JSON.stringify([matchers, startsAt, endsAt]))
    .digest('hex')
    .slice(0, 12);
}

export function formatSilenceKey(key: SilenceKey): string {
  return `opsdeck:window=${encodeURIComponent(key.windowId)};occ=${key.occurrenceStart};v=${key.version}`;
}

/** The key at the start of a silence comment, or null for silences opsdeck did not write. */
export function parseSilenceKey(comment: string): SilenceKey | null {
  const m = KEY_PATTERN.exec(comment);
  if (!m) return null;
  return { windowId: decodeURIComponent(m[1]!), occurrenceStart: m[2]!, version: m[3]! };
}

export interface DesiredSilence {
  key: string;
  windowId: string;
  silence: NewSilence;
}

export function desiredSilence(window: MaintenanceWindow, occurrence: Occurrence): DesiredSilence {
  const matchers = window.matchers.map(toAmMatcher);
  const startsAt = new Date(occurrence.start).toISOString();
  const endsAt = new Date(occurrence.end).toISOString();
  const key = formatSilenceKey({
    windowId: window.id,
    occurrenceStart: startsAt,
    version: versionOf(matchers, startsAt, endsAt),
  });
  const change = window.changeId ? ` for change ${window.changeId}` : '';
  const comment =
    `${key} Maintenance window "${window.name}"${change}, ${startsAt} to ${endsAt}. ` +
    'Managed by opsdeck: edit, end or extend the window in opsdeck, not this silence.';
  return {
    key,
    windowId: window.id,
    silence: { matchers, startsAt, endsAt, createdBy: SILENCE_CREATOR, comment },
  };
}
