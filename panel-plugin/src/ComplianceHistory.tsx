// The compliance-history layout: one line per SLO, one cell per calendar period, met or missed in
// the theme's colours, with the SLI and budget consumed of each period.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { CompliancePeriod, ComplianceHistory as History } from './compliance-rows';
import { formatPercent } from './slo-format';
import { SloLink } from './SloLink';
import type { SloPanelOptions } from './types';

interface Props {
  periods: string[];
  rows: History[];
  options: SloPanelOptions;
  height: number;
}

const verdict = (c: CompliancePeriod) =>
  c.met === null ? 'no data' : c.met ? (c.complete ? 'met' : 'on track') : c.complete ? 'missed' : 'missing';

function cellColour(theme: GrafanaTheme2, c: CompliancePeriod | null): string {
  if (!c || c.met === null) return theme.colors.background.secondary;
  return c.met ? theme.colors.success.main : theme.colors.error.main;
}

export function ComplianceHistory({ periods, rows, options, height }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <div className={styles.wrap} style={{ maxHeight: height }} data-testid="slo-compliance-history">
      <table className={styles.table}>
        <thead>
          <tr>
            <th className={styles.name}>SLO</th>
            {periods.map((p) => (
              <th key={p}>{p}</th>
            ))}
            <th>Met</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const judged = row.periods.filter(
              (c): c is CompliancePeriod => c !== null && c.complete && c.met !== null,
            );
            return (
              <tr key={row.id}>
                <td className={styles.name}>
                  <SloLink appPath={options.appPath} id={row.id} name={row.name} />
                  <div className={styles.muted}>objective {formatPercent(row.objective)}</div>
                </td>
                {row.periods.map((c, i) => {
                  const background = cellColour(theme, c);
                  return (
                    <td key={periods[i]}>
                      <div
                        className={styles.cell}
                        style={{
                          background,
                          color:
                            c && c.met !== null
                              ? theme.colors.getContrastText(background)
                              : theme.colors.text.secondary,
                          opacity: c && !c.complete ? 0.7 : 1,
                        }}
                        title={
                          c
                            ? `${row.name} ${c.period}: ${verdict(c)}, SLI ${formatPercent(c.sli, 3)}, budget used ${formatPercent(c.budgetConsumed, 0)}`
                            : `${row.name} ${periods[i]}: no data`
                        }
                        aria-label={`${periods[i]} ${c ? verdict(c) : 'no data'}`}
                      >
                        <span>{c ? verdict(c) : 'no data'}</span>
                        <span className={styles.sli}>{c ? formatPercent(c.sli, 3) : ''}</span>
                      </div>
                    </td>
                  );
                })}
                <td className={styles.summary}>
                  {judged.filter((c) => c.met).length}/{judged.length}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflow: 'auto' }),
  table: css({
    width: '100%',
    borderCollapse: 'separate',
    borderSpacing: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    th: {
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
      textAlign: 'center',
    },
  }),
  name: css({ textAlign: 'left !important' as 'left', minWidth: 140 }),
  muted: css({ color: theme.colors.text.secondary }),
  cell: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    padding: theme.spacing(0.5),
    borderRadius: theme.shape.radius.default,
    minWidth: 64,
  }),
  sli: css({ fontVariantNumeric: 'tabular-nums' }),
  summary: css({ textAlign: 'center', fontVariantNumeric: 'tabular-nums' }),
});
