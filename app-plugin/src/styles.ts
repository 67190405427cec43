// Styles the pages share (tables, headers, cards), from the Grafana theme only, so light and dark both work.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getPageStyles = (theme: GrafanaTheme2) => ({
  header: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'top',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    'tbody tr:hover': { background: theme.colors.action.hover },
  }),
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
  }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    gap: theme.spacing(2),
  }),
  muted: css({ color: theme.colors.text.secondary }),
  good: css({ color: theme.colors.success.text }),
  bad: css({ color: theme.colors.error.text }),
  warn: css({ color: theme.colors.warning.text }),
  timeline: css({
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(0, 0, 2),
    'li + li': { marginTop: theme.spacing(0.5) },
  }),
  pre: css({
    background: theme.colors.background.canvas,
    padding: theme.spacing(1),
    overflow: 'auto',
    maxHeight: 480,
    fontFamily: theme.typography.fontFamilyMonospace,
  }),
});
