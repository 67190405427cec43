// Role awareness: viewers read, editors and admins write (Grafana's proxy enforces the same per route).
import { config } from '@grafana/runtime';

export function canWrite(): boolean {
  const user = config.bootData?.user;
  if (!user) return false;
  return user.isGrafanaAdmin || user.orgRole === 'Editor' || user.orgRole === 'Admin';
}

/** Who acts, for approvals and checklist answers. */
export const currentUserLogin = (): string => config.bootData?.user?.login ?? '';
