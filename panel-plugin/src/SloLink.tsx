// The SLO's name as a link to its page in the opsdeck app (plain text when the app path is unsafe).
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { sloLink } from './slo-format';

export function SloLink({ appPath, id, name }: { appPath: string; id: string; name: string }) {
  const styles = useStyles2(getStyles);
  const href = sloLink(appPath, id);
  if (href === null) return <span className={styles.text}>{name}</span>;
  return (
    <a className={styles.link} href={href} title={`Open ${name} in opsdeck`}>
      {name}
    </a>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  text: css({
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  }),
  link: css({
    color: theme.colors.text.link,
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    '&:hover': { textDecoration: 'underline' },
  }),
});
