// The multi-window alert state of one SLO: PAGE, TICKET or OK, coloured from the theme.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { SloAlertState } from '@opsdeck/common';
import { alertColor } from './theme-colors';

const TITLES: Record<SloAlertState, string> = {
  page: 'Fast burn: a page-level multi-window burn-rate alert fires',
  ticket: 'Slow burn: a ticket-level multi-window burn-rate alert fires',
  ok: 'No burn-rate alert fires',
};

export function AlertBadge({ alert }: { alert: SloAlertState }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const color = alertColor(theme, alert);
  return (
    <span
      className={styles.badge}
      style={{ color, borderColor: color }}
      title={TITLES[alert]}
      data-testid="slo-alert"
      data-alert={alert}
    >
      {alert.toUpperCase()}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-block',
    padding: theme.spacing(0, 0.75),
    border: '1px solid',
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: 1.6,
    whiteSpace: 'nowrap',
  }),
});
