// A link to an app page that navigates through Grafana's locationService (no page load, no router
// context needed), while staying a real <a href> for keyboard, middle-click and copy-link.
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

export function AppLink({ href, children }: { href: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  const onClick = (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    locationService.push(href);
  };
  return (
    <a href={href} onClick={onClick} className={styles.link}>
      {children}
    </a>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  link: css({ color: theme.colors.text.link, '&:hover, &:focus-visible': { textDecoration: 'underline' } }),
});
