// Error-budget burn-down over a time range, with incidents and changes marked on the same time axis.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';

export interface Marker {
  at: string;
  kind: 'incident' | 'change';
  label: string;
}

interface Props {
  from: string;
  to: string;
  points: Array<[string, number | null]>;
  markers: Marker[];
  width?: number;
  height?: number;
}

export function BurnDown({ from, to, points, markers, width = 720, height = 200 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const t0 = Date.parse(from);
  const t1 = Date.parse(to);
  const values = points.map(([, v]) => v).filter((v): v is number => v !== null);
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const pad = 28;
  const x = (iso: string) => pad + ((Date.parse(iso) - t0) / Math.max(1, t1 - t0)) * (width - 2 * pad);
  const y = (v: number) => pad / 2 + ((hi - v) / (hi - lo)) * (height - pad);
  const segments: string[][] = [[]];
  for (const [at, v] of points) {
    if (v === null) segments.push([]);
    else segments[segments.length - 1]!.push(`${x(at).toFixed(1)},${y(v).toFixed(1)}`);
  }
  const shown = markers.filter((m) => Date.parse(m.at) >= t0 && Date.parse(m.at) <= t1);
  return (
    <figure className={styles.figure}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-label={`Error budget remaining from ${from} to ${to}`}
      >
        <line
          x1={pad}
          x2={width - pad}
          y1={y(0)}
          y2={y(0)}
          stroke={theme.colors.border.medium}
          strokeDasharray="4 4"
        />
        <text x={2} y={y(1) + 4} fill={theme.colors.text.secondary} fontSize={10}>
          100%
        </text>
        <text x={2} y={y(0) + 4} fill={theme.colors.text.secondary} fontSize={10}>
          0%
        </text>
        {shown.map((m, i) => (
          <line
            key={`${m.kind}-${i}`}
            x1={x(m.at)}
            x2={x(m.at)}
            y1={pad / 2}
            y2={height - pad / 2}
            stroke={m.kind === 'incident' ? theme.colors.error.main : theme.colors.info.main}
            strokeWidth={2}
            data-testid={`marker-${m.kind}`}
          >
            <title>{`${m.kind}: ${m.label} (${m.at})`}</title>
          </line>
        ))}
        {segments
          .filter((s) => s.length > 0)
          .map((s, i) => (
            <polyline
              key={i}
              points={s.join(' ')}
              fill="none"
              stroke={theme.colors.primary.main}
              strokeWidth={2}
            />
          ))}
      </svg>
      <figcaption className={styles.caption}>
        Budget remaining · <span className={styles.incident}>incidents</span> ·{' '}
        <span className={styles.change}>changes</span>
      </figcaption>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({ margin: 0 }),
  caption: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  incident: css({ color: theme.colors.error.text }),
  change: css({ color: theme.colors.info.text }),
});
