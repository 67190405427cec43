// Every migration in order. Add a new file with the next number and list it here; never edit an old one.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect';
import * as m001 from './001_initial';
import * as m010 from './010_silencer';
import * as m020 from './020_annotation_spans';
import * as m021 from './021_annotation_service_order';
import * as m030 from './030_incident_alert_groups';
import * as m031 from './031_slo_exclusions';
import * as m032 from './032_instance_identity';
import * as m035 from './035_grafana_proxy_tokens';
import * as m036 from './036_annotation_tags';

export interface MigrationFile {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: Record<string, MigrationFile> = {
  '001_initial': m001,
  '010_silencer': m010,
  '020_annotation_spans': m020,
  '021_annotation_service_order': m021,
  '030_incident_alert_groups': m030,
  '031_slo_exclusions': m031,
  '032_instance_identity': m032,
  '035_grafana_proxy_tokens': m035,
  '036_annotation_tags': m036,
};
