// Burn rate per window (5m … 3d), each marked when it spends budget faster than sustainable (> 1×).
import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { formatBurnRate } from './slo-format';
import type { BurnRate } from './types';

export function BurnRates({ burnRates }: { burnRates: BurnRate[] }) {
  const styles = useStyles2(getStyles);
  if (burnRates.length === 0) return null;
  return (
    <div className={styles.grid} data-testid="slo-burn-rates">
      {burnRates.map((b) => (
        <div key={b.window} className={styles.cell} title={`burn rate over ${b.window}`}>
          <div className={styles.window}>{b.window}</div>
          <div className={cx(styles.value, b.value !== null && b.value > 1 && styles.hot)}>
            {formatBurnRate(b.value)}
          </div>
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  cell: css({
    minWidth: 44,
    padding: theme.spacing(0.25, 0.5),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    textAlign: 'center',
  }),
  window: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  value: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  hot: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
});
