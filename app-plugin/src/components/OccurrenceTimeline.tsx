// Upcoming maintenance occurrences on one time axis: a row per window, a bar per occurrence.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { Occurrence } from '@opsdeck/common';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { utc } from '../format';

export interface TimelineRow {
  id: string;
  name: string;
  occurrences: Occurrence[];
}

export function OccurrenceTimeline({ rows, from, to }: { rows: TimelineRow[]; from: Date; to: Date }) {
  const styles = useStyles2(getStyles);
  const span = to.getTime() - from.getTime();
  const left = (iso: string) => Math.max(0, ((Date.parse(iso) - from.getTime()) / span) * 100);
  const days = Array.from(
    { length: Math.round(span / 86_400_000) },
    (_, d) => new Date(from.getTime() + d * 86_400_000),
  );
  return (
    <div className={styles.timeline} role="list" aria-label="Upcoming occurrences">
      <div className={styles.axis} aria-hidden>
        {days.map((d) => (
          <span key={d.toISOString()} style={{ left: `${left(d.toISOString())}%` }} className={styles.tick}>
            {d.toISOString().slice(5, 10)}
          </span>
        ))}
      </div>
      {rows.map((row) => (
        <div key={row.id} className={styles.row} role="listitem">
          <span className={styles.name}>{row.name}</span>
          <div className={styles.track}>
            {row.occurrences.map((o) => (
              <span
                key={o.start}
                className={o.adjustment ? styles.adjusted : styles.bar}
                style={{
                  left: `${left(o.start)}%`,
                  width: `${Math.max(0.4, Math.min(100, left(o.end)) - left(o.start))}%`,
                }}
                title={`${utc(o.start)} – ${utc(o.end)}${o.adjustment ? ` (${o.adjustment})` : ''}`}
              />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const bar = { position: 'absolute' as const, top: 2, bottom: 2, borderRadius: theme.shape.radius.default };
  return {
    timeline: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
    axis: css({
      position: 'relative',
      height: 18,
      marginLeft: 200,
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    tick: css({ position: 'absolute', borderLeft: `1px solid ${theme.colors.border.weak}`, paddingLeft: 2 }),
    row: css({ display: 'flex', alignItems: 'center' }),
    name: css({
      width: 200,
      flexShrink: 0,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    track: css({
      position: 'relative',
      flexGrow: 1,
      height: 20,
      background: theme.colors.background.secondary,
      borderRadius: theme.shape.radius.default,
    }),
    bar: css({ ...bar, background: theme.colors.primary.main }),
    adjusted: css({ ...bar, background: theme.colors.warning.main }),
  };
};
