// Grafana entry point of the opsdeck data source.
import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { OpsdeckOptions, OpsdeckQuery, OpsdeckSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, OpsdeckQuery, OpsdeckOptions, OpsdeckSecureJsonData>(
  DataSource,
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
