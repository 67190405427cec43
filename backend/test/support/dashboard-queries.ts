// The provisioned Grafana dashboards and the opsdeck queries in them, shaped as the opsdeck data
// source sends them to POST /api/v1/query, for tests that run them against a backend.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_DIR = join(
  __dirname,
  '..',
  '..',
  '..',
  'provisioning',
  'grafana',
  'dashboards',
  'opsdeck',
);

export interface DataSourceRef {
  type: string;
  uid: string;
}
export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  expr?: string;
  [field: string]: unknown;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets: Target[];
  options?: Record<string, unknown>;
}
/** The parts of Grafana's dashboard JSON model these tests read. */
export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  annotations: {
    list: { name: string; builtIn?: number; enable?: boolean; datasource?: DataSourceRef; target?: Target }[];
  };
  templating: { list: { name: string; datasource?: DataSourceRef; query: Target }[] };
}

export function provisionedDashboards(): { file: string; json: Dashboard }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({
      file,
      json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard,
    }));
}

/** Every query of a dashboard with the data source it goes to: panel targets, annotations, variables. */
export function dashboardQueries(
  dashboard: Dashboard,
): { where: string; ds: DataSourceRef | undefined; query: Target }[] {
  return [
    ...dashboard.panels.flatMap((p) =>
      p.targets.map((t) => ({ where: `panel ${p.title}`, ds: t.datasource ?? p.datasource, query: t })),
    ),
    ...dashboard.annotations.list
      .filter((a) => !a.builtIn && a.target)
      .map((a) => ({ where: `annotation ${a.name}`, ds: a.datasource, query: a.target! })),
    ...dashboard.templating.list.map((v) => ({
      where: `variable ${v.name}`,
      ds: v.datasource,
      query: v.query,
    })),
  ];
}

/** A target without Grafana's own `datasource` key: the fields the opsdeck query schema judges. */
export function withoutDataSource(target: Target): Record<string, unknown> {
  return Object.fromEntries(Object.entries(target).filter(([key]) => key !== 'datasource'));
}

/**
 * Opsdeck targets of panels, annotations and variables, each with a unique refId; template variables
 * become empty, which is how "All" interpolates (no filter).
 */
export function opsdeckTargets(dashboard: Dashboard): Record<string, unknown>[] {
  return dashboardQueries(dashboard)
    .filter(({ ds }) => ds?.type === 'opsdeck-api-datasource')
    .map(({ query }, i) => ({
      ...Object.fromEntries(
        Object.entries(withoutDataSource(query)).map(([k, v]) => [
          k,
          typeof v === 'string' ? v.replace(/\$\w+/g, '') : v,
        ]),
      ),
      refId: `${query.refId}${i}`,
    }));
}
