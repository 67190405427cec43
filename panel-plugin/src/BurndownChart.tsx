// The error budget's burn-down across the SLO window: remaining budget over time, with the ideal
// straight line from full to empty for comparison and the zero line where the budget runs out.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

interface Props {
  points: Array<[number, number]>;
  windowStart: number | null;
  windowEnd: number | null;
  color: string;
  height?: number;
}

const W = 200;

export function BurndownChart({ points, windowStart, windowEnd, color, height = 48 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  if (points.length < 2) return <div className={styles.none}>no burn-down data</div>;
  const t0 = windowStart ?? points[0]![0];
  const t1 = Math.max(windowEnd ?? points[points.length - 1]![0], t0 + 1);
  const lowest = Math.min(0, ...points.map((p) => p[1]));
  const highest = Math.max(1, ...points.map((p) => p[1]));
  const x = (t: number) => ((t - t0) / (t1 - t0)) * W;
  const y = (v: number) => ((highest - v) / (highest - lowest)) * (height - 2) + 1;
  const line = points
    .map(([t, v], i) => `${i === 0 ? 'M' : 'L'} ${x(t).toFixed(1)} ${y(v).toFixed(1)}`)
    .join(' ');
  const area = `${line} L ${x(points[points.length - 1]![0]).toFixed(1)} ${y(lowest)} L ${x(points[0]![0]).toFixed(1)} ${y(lowest)} Z`;
  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${W} ${height}`}
      preserveAspectRatio="none"
      height={height}
      role="img"
      aria-label="Error budget burn-down across the window"
      data-testid="slo-burndown"
    >
      <line x1={0} y1={y(1)} x2={W} y2={y(0)} stroke={theme.colors.border.medium} strokeDasharray="3 3" />
      <line x1={0} y1={y(0)} x2={W} y2={y(0)} stroke={theme.colors.border.strong} />
      <path d={area} fill={color} fillOpacity={0.15} />
      <path d={line} stroke={color} strokeWidth={1.5} fill="none" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ width: '100%', display: 'block' }),
  none: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.disabled }),
});
