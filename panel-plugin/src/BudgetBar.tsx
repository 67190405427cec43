// Remaining error budget as a horizontal bar, with the warning and critical thresholds marked.
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
  compact?: boolean;
}

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

export function BudgetBar({ remaining, warning, critical, compact }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const level = budgetLevel(remaining, warning, critical);
  const width = remaining === null ? 0 : clamp01(remaining) * 100;
  return (
    <div className={styles.wrap} data-testid="slo-budget-bar" data-level={level}>
      <div
        className={styles.track}
        style={{ height: compact ? 6 : 10 }}
        role="meter"
        aria-label="Error budget remaining"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={remaining === null ? undefined : Math.round(width)}
      >
        <div className={styles.fill} style={{ width: `${width}%`, background: levelColor(theme, level) }} />
        {[critical, warning].map((t) => (
          <div key={t} className={styles.marker} style={{ left: `${clamp01(t) * 100}%` }} />
        ))}
      </div>
      {!compact && (
        <div className={styles.label}>
          {remaining === null ? 'budget: no data' : `${formatPercent(remaining, 1)} budget left`}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ width: '100%' }),
  track: css({
    position: 'relative',
    width: '100%',
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  fill: css({ height: '100%' }),
  marker: css({ position: 'absolute', top: 0, bottom: 0, width: 1, background: theme.colors.border.strong }),
  label: css({
    marginTop: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
});
