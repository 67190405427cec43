// Remaining error budget as a half-circle gauge whose bands are the warning and critical thresholds.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { budgetLevel, formatPercent } from './slo-format';
import { levelColor } from './theme-colors';

interface Props {
  remaining: number | null;
  warning: number;
  critical: number;
  size?: number;
}

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** Point on the upper half circle for a fraction 0 (left) … 1 (right). */
function point(fraction: number, r: number, cx: number, cy: number): [number, number] {
  const angle = Math.PI * (1 - fraction);
  return [cx + r * Math.cos(angle), cy - r * Math.sin(angle)];
}

function arc(from: number, to: number, r: number, cx: number, cy: number): string {
  const [x1, y1] = point(from, r, cx, cy);
  const [x2, y2] = point(to, r, cx, cy);
  return `M ${x1.toFixed(2)} ${y1.toFixed(2)} A ${r} ${r} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}`;
}

export function BudgetGauge({ remaining, warning, critical, size = 140 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const level = budgetLevel(remaining, warning, critical);
  const cx = 50;
  const cy = 50;
  const value = remaining === null ? 0 : clamp01(remaining);
  const bands: Array<[number, number, 'critical' | 'warning' | 'ok']> = [
    [0, clamp01(critical), 'critical'],
    [clamp01(critical), clamp01(warning), 'warning'],
    [clamp01(warning), 1, 'ok'],
  ];
  return (
    <div className={styles.wrap} style={{ width: size }} data-testid="slo-budget-gauge" data-level={level}>
      <svg
        viewBox="0 0 100 58"
        width={size}
        role="meter"
        aria-label="Error budget remaining"
        aria-valuenow={Math.round(value * 100)}
      >
        {bands
          .filter(([a, b]) => b > a)
          .map(([a, b, band]) => (
            <path
              key={band}
              d={arc(a, b, 46, cx, cy)}
              stroke={levelColor(theme, band)}
              strokeOpacity={0.35}
              strokeWidth={3}
              fill="none"
            />
          ))}
        <path
          d={arc(0, 1, 38, cx, cy)}
          stroke={theme.colors.background.secondary}
          strokeWidth={9}
          fill="none"
        />
        {value > 0 && (
          <path d={arc(0, value, 38, cx, cy)} stroke={levelColor(theme, level)} strokeWidth={9} fill="none" />
        )}
        <text x={cx} y={cy - 4} textAnchor="middle" className={styles.value} fill={theme.colors.text.primary}>
          {remaining === null ? '–' : formatPercent(remaining, 1)}
        </text>
      </svg>
      <div className={styles.label}>budget left</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ textAlign: 'center' }),
  value: css({ fontSize: 14, fontWeight: theme.typography.fontWeightMedium }),
  label: css({
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    marginTop: theme.spacing(-0.5),
  }),
});
