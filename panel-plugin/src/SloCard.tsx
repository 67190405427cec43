// One SLO as a card: SLI against objective, budget (bar or gauge), burn rates with alert state,
// burn-down and time to exhaustion. The single layout draws the same card larger.
import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { AlertBadge } from './AlertBadge';
import { BudgetBar } from './BudgetBar';
import { BudgetGauge } from './BudgetGauge';
import { BurndownChart } from './BurndownChart';
import { BurnRates } from './BurnRates';
import { budgetLevel, formatExhaustion, formatPercent } from './slo-format';
import { SloLink } from './SloLink';
import { levelColor } from './theme-colors';
import type { SloPanelOptions, SloRow } from './types';

interface Props {
  row: SloRow;
  options: SloPanelOptions;
  large?: boolean;
}

export function SloCard({ row, options, large }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const level = budgetLevel(row.budgetRemaining, options.budgetWarning, options.budgetCritical);
  const meetsObjective = row.sli !== null && row.sli >= row.objective;
  return (
    <article className={cx(styles.card, large && styles.large)} data-testid="slo-card" aria-label={row.name}>
      <header className={styles.header}>
        <SloLink appPath={options.appPath} id={row.id} name={row.name} />
        <AlertBadge alert={row.alert} />
      </header>
      <div className={styles.meta}>
        {row.service} · {row.window} window
      </div>
      <div className={styles.body}>
        <div className={styles.sli}>
          <div
            className={cx(styles.sliValue, large && styles.sliLarge)}
            style={{
              color:
                row.sli === null
                  ? theme.colors.text.disabled
                  : levelColor(theme, meetsObjective ? 'ok' : 'critical'),
            }}
            data-testid="slo-sli"
          >
            {formatPercent(row.sli, 3)}
          </div>
          <div className={styles.small}>SLI · objective {formatPercent(row.objective, 3)}</div>
        </div>
        {options.budgetDisplay === 'gauge' ? (
          <BudgetGauge
            remaining={row.budgetRemaining}
            warning={options.budgetWarning}
            critical={options.budgetCritical}
            size={large ? 220 : 120}
          />
        ) : (
          <div className={styles.bar}>
            <BudgetBar
              remaining={row.budgetRemaining}
              warning={options.budgetWarning}
              critical={options.budgetCritical}
            />
          </div>
        )}
      </div>
      {options.showBurnRates && <BurnRates burnRates={row.burnRates} />}
      {options.showBurndown && (
        <BurndownChart
          points={row.burndown}
          windowStart={row.windowStart}
          windowEnd={row.windowEnd}
          color={levelColor(theme, level)}
          height={large ? 120 : 40}
        />
      )}
      <footer className={styles.small} data-testid="slo-exhaustion">
        {formatExhaustion(row)}
      </footer>
    </article>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1.5),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    minWidth: 0,
  }),
  large: css({ padding: theme.spacing(2), height: '100%', gap: theme.spacing(2) }),
  header: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  meta: css({
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    marginTop: theme.spacing(-0.75),
  }),
  body: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(2), flexWrap: 'wrap' }),
  sli: css({ minWidth: 110 }),
  sliValue: css({ fontSize: theme.typography.h3.fontSize, fontWeight: theme.typography.fontWeightMedium }),
  sliLarge: css({ fontSize: theme.typography.h1.fontSize }),
  bar: css({ flex: 1, minWidth: 120 }),
  small: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
});
