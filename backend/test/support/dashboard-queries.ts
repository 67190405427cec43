// The provisioned Grafana dashboards and the opsdeck queries in them, shaped as the opsdeck data
// source sends them to POST /api/v1/query, for tests that run them against a backend.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', 'provisioning', 'grafana', 'dashboards', 'opsdeck');

export function provisionedDashboards(): { file: string; json: any }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) }));
}

/**
 * Opsdeck targets of panels, annotations and variables, each with a unique refId; template variables
 * become empty, which is how "All" interpolates (no filter).
 */
export function opsdeckTargets(dashboard: any): Record<string, unknown>[] {
  const isOpsdeck = (ds: any) => ds?.type === 'opsdeck-api-datasource';
  const targets = [
    ...dashboard.panels.flatMap((p: any) => p.targets.filter((t: any) => isOpsdeck(t.datasource ?? p.datasource))),
    ...dashboard.annotations.list.filter((a: any) => isOpsdeck(a.datasource)).map((a: any) => a.target),
    ...dashboard.templating.list.filter((v: any) => isOpsdeck(v.datasource)).map((v: any) => v.query),
  ];
  return targets.map(({ datasource: _ignored, ...target }: any, i: number) => {
    const interpolated = Object.fromEntries(
      Object.entries(target).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\$\w+/g, '') : v]),
    );
    return { ...interpolated, refId: `${target.refId}${i}` };
  });
}
