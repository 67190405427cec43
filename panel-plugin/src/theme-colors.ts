// Maps budget levels and alert states to the Grafana theme's semantic colours (light and dark alike).
import type { GrafanaTheme2 } from '@grafana/data';
import type { SloAlertState } from '@opsdeck/common';
import type { BudgetLevel } from './slo-format';

export function levelColor(theme: GrafanaTheme2, level: BudgetLevel): string {
  switch (level) {
    case 'ok':
      return theme.colors.success.main;
    case 'warning':
      return theme.colors.warning.main;
    case 'critical':
      return theme.colors.error.main;
    default:
      return theme.colors.text.disabled;
  }
}

export function alertColor(theme: GrafanaTheme2, alert: SloAlertState): string {
  return alert === 'page'
    ? theme.colors.error.main
    : alert === 'ticket'
      ? theme.colors.warning.main
      : theme.colors.success.main;
}
