// Grafana entry point of the opsdeck SLO panel.
import { PanelPlugin } from '@grafana/data';
import { addPanelOptions } from './options';
import { SloPanel } from './SloPanel';
import type { SloPanelOptions } from './types';

export const plugin = new PanelPlugin<SloPanelOptions>(SloPanel).setPanelOptions(addPanelOptions);
