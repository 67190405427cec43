// The SLO's name as a link to its page in the opsdeck app.
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { sloLink } from './slo-format';

export function SloLink({ appPath, id, name }: { appPath: string; id: string; name: string }) {
  const styles = useStyles2(getStyles);
  return (
    <a className={styles.link} href={sloLink(appPath, id)} title={`Open ${name} in opsdeck`}>
      {name}
    </a>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  link: css({
    color: theme.colors.text.link,
    fontWeight: theme.typography.fontWeightMedium,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    '&:hover': { textDecoration: 'underline' },
  }),
});
