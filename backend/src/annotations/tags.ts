// The tags an incident's or a change's annotation carries: the item's own tags plus those derived from
// its fields. One definition for the annotation itself and for the tag index the store keeps beside it.
import type { Change, Incident } from '@opsdeck/common';

export const incidentTags = (d: Incident): string[] => [
  ...new Set(['incident', d.severity, d.status, `service:${d.service}`, ...d.tags]),
];

export const changeTags = (d: Change): string[] => [
  ...new Set(['change', d.kind, d.risk, d.status, `service:${d.service}`, ...d.tags]),
];
