// The app's root page: tabs for each capability, a router over Grafana's location, and the runbook
// drawer that UI extensions open with ?runbook=, ?rbService= or ?rbAlert=.
import type { AppRootProps, GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Tab, TabsBar, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React from 'react';
import { APP_BASE, pages } from '../constants';
import { setQuery, useAppLocation } from '../hooks/useAppLocation';
import { ChangeDetail } from '../pages/ChangeDetail';
import { Compliance } from '../pages/Compliance';
import { ChangeForm } from '../pages/ChangeForm';
import { ChangeList } from '../pages/ChangeList';
import { IncidentDeclare } from '../pages/IncidentDeclare';
import { IncidentDetail } from '../pages/IncidentDetail';
import { IncidentList } from '../pages/IncidentList';
import { MaintenanceDetail } from '../pages/MaintenanceDetail';
import { MaintenanceForm } from '../pages/MaintenanceForm';
import { MaintenanceList } from '../pages/MaintenanceList';
import { PostmortemEditor } from '../pages/PostmortemEditor';
import { RunbookList } from '../pages/RunbookList';
import { RunbookPage } from '../pages/RunbookPage';
import { SloDetail } from '../pages/SloDetail';
import { SloImport } from '../pages/SloImport';
import { SloList } from '../pages/SloList';
import { SloRules } from '../pages/SloRules';
import { RunbookDrawer } from './RunbookDrawer';

const TABS = [
  { label: 'SLOs', url: pages.slos, icon: 'heart-rate' },
  { label: 'Incidents', url: pages.incidents, icon: 'fire' },
  { label: 'Changes', url: pages.changes, icon: 'code-branch' },
  { label: 'Maintenance', url: pages.maintenance, icon: 'calendar-alt' },
  { label: 'Runbooks', url: pages.runbooks, icon: 'book-open' },
  { label: 'Compliance', url: pages.compliance, icon: 'file-alt' },
] as const;

/** The page for a path under the app, or null when nothing matches. */
export function route(path: string, search: URLSearchParams): React.ReactElement | null {
  const rest = path.startsWith(APP_BASE) ? path.slice(APP_BASE.length).replace(/\/+$/, '') : path;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [section, id, sub] = parts;
  switch (section) {
    case undefined:
    case 'slos':
      if (id === 'rules') return <SloRules />;
      if (id === 'import') return <SloImport />;
      return id ? <SloDetail id={id} /> : <SloList />;
    case 'incidents':
      if (id === 'new') return <IncidentDeclare search={search} />;
      if (id && sub === 'postmortem') return <PostmortemEditor id={id} />;
      return id ? <IncidentDetail id={id} /> : <IncidentList />;
    case 'changes':
      if (id === 'new') return <ChangeForm />;
      return id ? <ChangeDetail id={id} /> : <ChangeList />;
    case 'maintenance':
      if (id === 'new') return <MaintenanceForm />;
      if (id && sub === 'edit') return <MaintenanceForm id={id} />;
      return id ? <MaintenanceDetail id={id} /> : <MaintenanceList />;
    case 'compliance':
      return <Compliance />;
    case 'runbooks':
      return id ? <RunbookPage id={id} /> : <RunbookList initialQuery={search.get('q') ?? ''} />;
    default:
      return null;
  }
}

export function App(_props: Partial<AppRootProps>) {
  const styles = useStyles2(getStyles);
  const { pathname, search } = useAppLocation();
  const page = route(pathname, search);
  const drawer = {
    runbookId: search.get('runbook') ?? undefined,
    service: search.get('rbService') ?? undefined,
    alert: search.get('rbAlert') ?? undefined,
    incidentId: search.get('rbIncident') ?? undefined,
  };
  const drawerOpen = Boolean(drawer.runbookId || drawer.service || drawer.alert);
  return (
    <PluginPage>
      <div className={styles.app}>
        <TabsBar>
          {TABS.map((t) => (
            <Tab
              key={t.url}
              label={t.label}
              icon={t.icon}
              href={t.url}
              active={
                pathname.startsWith(t.url) ||
                (t.url === pages.slos && pathname.replace(/\/+$/, '') === APP_BASE)
              }
            />
          ))}
        </TabsBar>
        <main className={styles.content}>
          {page ?? <p>Nothing lives at {pathname}. Pick a tab above.</p>}
        </main>
        {drawerOpen && (
          <RunbookDrawer
            {...drawer}
            onClose={() => setQuery({ runbook: null, rbService: null, rbAlert: null, rbIncident: null })}
          />
        )}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  app: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    color: theme.colors.text.primary,
    // Grafana's global styles zero list padding, which puts bullets outside the cards; lists with a
    // class of their own (timelines) keep theirs.
    '& :where(ul:not([class]), ol:not([class]))': { paddingLeft: theme.spacing(2.5) },
  }),
  content: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
});
