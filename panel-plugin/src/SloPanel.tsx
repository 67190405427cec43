// The panel: SLO rows from the data, then the loading, error or empty state, or the chosen layout.
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { type GrafanaTheme2, LoadingState, type PanelProps } from '@grafana/data';
import { Alert, LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { complianceHistory } from './compliance-rows';
import { ComplianceHistory } from './ComplianceHistory';
import { useSloRows } from './hooks/useSloRows';
import { SloCard } from './SloCard';
import { SloTable } from './SloTable';
import type { SloPanelOptions } from './types';

type Props = PanelProps<SloPanelOptions>;

export function SloPanel({ data, options, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const rows = useSloRows(data.series, options.sortBy);
  const history = useMemo(() => complianceHistory(data.series), [data.series]);
  const errors = data.errors ?? (data.error ? [data.error] : []);
  const isHistory = options.layout === 'history';
  const empty = isHistory ? history.rows.length === 0 : rows.length === 0;

  if (empty && data.state === LoadingState.Loading) {
    return <LoadingPlaceholder text="Loading SLOs…" />;
  }
  if (errors.length > 0 && empty) {
    return (
      <div className={styles.state}>
        <Alert severity="error" title="SLOs could not be loaded">
          {errors.map((e, i) => (
            <div key={i}>{e.message ?? 'query failed'}</div>
          ))}
        </Alert>
      </div>
    );
  }
  if (empty) {
    return (
      <div className={styles.state} data-testid="slo-empty">
        <div className={styles.emptyTitle}>No SLOs to show</div>
        <div className={styles.muted}>
          {isHistory
            ? 'Query the opsdeck data source with the “SLO compliance” kind and the number of periods to show.'
            : 'Query the opsdeck data source with the “SLO status” kind, or widen its service and SLO filters.'}
        </div>
      </div>
    );
  }

  if (isHistory) {
    return (
      <ComplianceHistory periods={history.periods} rows={history.rows} options={options} height={height} />
    );
  }
  if (options.layout === 'table') {
    return <SloTable rows={rows} options={options} height={height} />;
  }
  if (options.layout === 'single') {
    const row = rows.find((r) => r.id === options.sloId) ?? rows[0]!;
    return (
      <div className={styles.single} style={{ width, height }}>
        <SloCard row={row} options={options} large />
      </div>
    );
  }
  return (
    <div className={styles.grid} style={{ height }} data-testid="slo-cards">
      {rows.map((row) => (
        <SloCard key={row.id} row={row} options={options} />
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gridAutoRows: 'min-content',
    gap: theme.spacing(1),
    overflowY: 'auto',
  }),
  single: css({ overflow: 'auto' }),
  state: css({
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
    alignItems: 'center',
    height: '100%',
    textAlign: 'center',
    padding: theme.spacing(2),
  }),
  emptyTitle: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(1) }),
  muted: css({ color: theme.colors.text.secondary }),
});
