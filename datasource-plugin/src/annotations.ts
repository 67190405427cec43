// Annotation support: incidents, changes, maintenance occurrences and SLO exclusions from the backend's `annotations`
// query kind, turned into Grafana annotation events (regions where an event has an end).
import type { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame } from '@grafana/data';
import { ANNOTATION_FIELDS, FRAME_NAMES } from '@opsdeck/common';
import { of } from 'rxjs';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { type OpsdeckQuery, annotationTarget } from './types';

const column = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;

/** Events from annotation frames; rows without a time are skipped. */
export function annotationEvents(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    if (frame.name !== FRAME_NAMES.annotations) continue;
    const time = column(frame, ANNOTATION_FIELDS.time);
    if (!time) continue;
    const timeEnd = column(frame, ANNOTATION_FIELDS.timeEnd);
    const title = column(frame, ANNOTATION_FIELDS.title);
    const text = column(frame, ANNOTATION_FIELDS.text);
    const tags = column(frame, ANNOTATION_FIELDS.tags);
    const id = column(frame, ANNOTATION_FIELDS.id);
    for (let i = 0; i < frame.length; i++) {
      const start = time[i];
      if (typeof start !== 'number') continue;
      const end = typeof timeEnd?.[i] === 'number' ? (timeEnd[i] as number) : start;
      events.push({
        id: id?.[i] !== undefined ? String(id[i]) : undefined,
        time: start,
        timeEnd: end,
        isRegion: end > start,
        title: title?.[i],
        text: text?.[i],
        tags: Array.isArray(tags?.[i]) ? tags[i] : [],
      });
    }
  }
  return events;
}

export const annotationSupport: AnnotationSupport<OpsdeckQuery> = {
  prepareAnnotation(json: AnnotationQuery<OpsdeckQuery>) {
    return { ...json, target: annotationTarget(json.target) };
  },
  prepareQuery(anno: AnnotationQuery<OpsdeckQuery>) {
    return annotationTarget(anno.target);
  },
  processEvents(_anno: AnnotationQuery<OpsdeckQuery>, data: DataFrame[]) {
    return of(annotationEvents(data));
  },
  QueryEditor: AnnotationQueryEditor,
};
