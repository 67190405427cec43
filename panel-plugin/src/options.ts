// The panel editor's options and their defaults.
import type { PanelOptionsEditorBuilder } from '@grafana/data';
import type { SloPanelOptions } from './types';

export const DEFAULT_OPTIONS: SloPanelOptions = {
  layout: 'cards',
  sloId: '',
  budgetDisplay: 'bar',
  budgetWarning: 0.25,
  budgetCritical: 0.1,
  showBurnRates: true,
  showBurndown: true,
  sortBy: 'budget',
  appPath: '/a/opsdeck-sre-app',
};

export function addPanelOptions(builder: PanelOptionsEditorBuilder<SloPanelOptions>) {
  return builder
    .addRadio({
      path: 'layout',
      name: 'Layout',
      defaultValue: DEFAULT_OPTIONS.layout,
      settings: {
        options: [
          { value: 'cards', label: 'Cards' },
          { value: 'table', label: 'Table' },
          { value: 'single', label: 'Single SLO' },
          { value: 'history', label: 'Compliance history' },
        ],
      },
    })
    .addTextInput({
      path: 'sloId',
      name: 'SLO',
      description: 'SLO id the single layout shows; empty shows the one with the least budget left',
      defaultValue: DEFAULT_OPTIONS.sloId,
      showIf: (o) => o.layout === 'single',
    })
    .addRadio({
      path: 'sortBy',
      name: 'Sort by',
      defaultValue: DEFAULT_OPTIONS.sortBy,
      settings: {
        options: [
          { value: 'budget', label: 'Budget left' },
          { value: 'alert', label: 'Alert state' },
          { value: 'name', label: 'Name' },
        ],
      },
      showIf: (o) => o.layout !== 'single',
    })
    .addRadio({
      path: 'budgetDisplay',
      name: 'Budget as',
      defaultValue: DEFAULT_OPTIONS.budgetDisplay,
      settings: {
        options: [
          { value: 'bar', label: 'Bar' },
          { value: 'gauge', label: 'Gauge' },
        ],
      },
      showIf: (o) => o.layout !== 'table',
    })
    .addSliderInput({
      path: 'budgetWarning',
      name: 'Warning below',
      description: 'Remaining budget (fraction) below which the budget shows as warning',
      defaultValue: DEFAULT_OPTIONS.budgetWarning,
      settings: { min: 0, max: 1, step: 0.05 },
    })
    .addSliderInput({
      path: 'budgetCritical',
      name: 'Critical below',
      description: 'Remaining budget (fraction) below which the budget shows as critical',
      defaultValue: DEFAULT_OPTIONS.budgetCritical,
      settings: { min: 0, max: 1, step: 0.05 },
    })
    .addBooleanSwitch({
      path: 'showBurnRates',
      name: 'Burn rates',
      defaultValue: DEFAULT_OPTIONS.showBurnRates,
    })
    .addBooleanSwitch({
      path: 'showBurndown',
      name: 'Budget burn-down',
      defaultValue: DEFAULT_OPTIONS.showBurndown,
      showIf: (o) => o.layout !== 'table',
    })
    .addTextInput({
      path: 'appPath',
      name: 'opsdeck app path',
      description: 'SLO names link to <path>/slos/<id>',
      defaultValue: DEFAULT_OPTIONS.appPath,
    });
}
