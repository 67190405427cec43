// Exclusions as Grafana annotations of their own kind: one region per SLO and excluded range (past
// and open only, as the math counts them), titled with the SLO and the reason.
import type { FastifyInstance } from 'fastify';
import '../decorations';
import type { Annotation, AnnotationQuery } from '../annotations/query';
import './plugin';

export async function exclusionAnnotations(app: FastifyInstance, q: AnnotationQuery): Promise<Annotation[]> {
  const slos = (await app.repos.slos.all()).filter((s) => !q.service || s.service === q.service);
  if (slos.length === 0) return [];
  const found = await app.sloExclusions.effective(
    slos.map((s) => s.id),
    { start: new Date(q.from), end: new Date(q.to + 1) },
    new Date(q.now),
  );
  const out: Annotation[] = [];
  for (const slo of slos) {
    for (const e of found.get(slo.id) ?? []) {
      const annotation: Annotation = {
        id: `exclusion:${slo.id}:${e.source.type}:${e.source.id}:${e.start}`,
        kind: 'exclusion',
        time: Date.parse(e.start),
        timeEnd: Date.parse(e.end),
        isRegion: true,
        title: `Excluded from SLO ${slo.name}: ${e.reason}`,
        text:
          e.source.type === 'adjustment'
            ? `Budget adjustment: events of SLO ${slo.id} in this range do not count. Reason: ${e.reason}`
            : `Planned work (${e.reason}): events of SLO ${slo.id} in this range do not count`,
        tags: ['exclusion', `slo:${slo.id}`, `service:${slo.service}`, e.source.type],
        service: slo.service,
        source: {
          type: e.source.type === 'adjustment' ? 'slo-exclusion' : 'maintenance-window',
          id: e.source.id,
        },
      };
      if (!q.tags?.length || q.tags.every((t) => annotation.tags.includes(t))) out.push(annotation);
    }
  }
  return out;
}
