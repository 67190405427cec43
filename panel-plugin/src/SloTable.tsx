// Compact table of SLOs, one row each, paginated to the panel's height so hundreds stay readable.
import React, { useEffect, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Pagination, useStyles2 } from '@grafana/ui';
import { AlertBadge } from './AlertBadge';
import { BudgetBar } from './BudgetBar';
import { formatBurnRate, formatExhaustion, formatPercent } from './slo-format';
import { SloLink } from './SloLink';
import type { SloPanelOptions, SloRow } from './types';

const ROW_HEIGHT = 32;
const CHROME_HEIGHT = 72;

interface Props {
  rows: SloRow[];
  options: SloPanelOptions;
  height: number;
}

/** Rows that fit the panel: at least 3, so a tiny panel still pages instead of showing nothing. */
export const rowsPerPage = (height: number) => Math.max(3, Math.floor((height - CHROME_HEIGHT) / ROW_HEIGHT));

export function SloTable({ rows, options, height }: Props) {
  const styles = useStyles2(getStyles);
  const perPage = rowsPerPage(height);
  const pages = Math.max(1, Math.ceil(rows.length / perPage));
  const [page, setPage] = useState(1);
  useEffect(() => setPage((p) => Math.min(p, pages)), [pages]);
  const visible = rows.slice((page - 1) * perPage, page * perPage);
  const windows = options.showBurnRates ? (rows[0]?.burnRates.map((b) => b.window) ?? []) : [];
  return (
    <div className={styles.wrap}>
      <table className={styles.table} data-testid="slo-table">
        <thead>
          <tr>
            <th>SLO</th>
            <th>Service</th>
            <th className={styles.num}>SLI</th>
            <th className={styles.num}>Objective</th>
            <th>Budget left</th>
            {windows.map((w) => (
              <th key={w} className={styles.num}>
                {w}
              </th>
            ))}
            <th>Alert</th>
            <th>Exhaustion</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={row.id} data-testid="slo-table-row">
              <td className={styles.name}>
                <SloLink appPath={options.appPath} id={row.id} name={row.name} />
              </td>
              <td>{row.service}</td>
              <td className={styles.num}>{formatPercent(row.sli, 3)}</td>
              <td className={styles.num}>{formatPercent(row.objective, 3)}</td>
              <td className={styles.budget}>
                <div className={styles.budgetCell}>
                  <BudgetBar
                    remaining={row.budgetRemaining}
                    warning={options.budgetWarning}
                    critical={options.budgetCritical}
                    compact
                  />
                  <span className={styles.num}>{formatPercent(row.budgetRemaining, 1)}</span>
                </div>
              </td>
              {windows.map((w) => (
                <td key={w} className={styles.num}>
                  {formatBurnRate(row.burnRates.find((b) => b.window === w)?.value ?? null)}
                </td>
              ))}
              <td>
                <AlertBadge alert={row.alert} />
              </td>
              <td className={styles.muted}>{formatExhaustion(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div className={styles.pager}>
          <span className={styles.muted}>
            {(page - 1) * perPage + 1}–{Math.min(page * perPage, rows.length)} of {rows.length} SLOs
          </span>
          <Pagination currentPage={page} numberOfPages={pages} onNavigate={setPage} hideWhenSinglePage />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexDirection: 'column', height: '100%', overflow: 'auto' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      height: ROW_HEIGHT,
      padding: theme.spacing(0, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      whiteSpace: 'nowrap',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  name: css({ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }),
  num: css({ textAlign: 'right', fontFamily: theme.typography.fontFamilyMonospace }),
  budget: css({ minWidth: 140 }),
  budgetCell: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  muted: css({ color: theme.colors.text.secondary }),
  pager: css({
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    padding: theme.spacing(1, 1, 0),
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
