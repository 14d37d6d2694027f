import * as initial from './001-initial';
import * as customerList from './002-customer-list';
import * as segmentation from './003-segmentation';
import * as analyticsFidelity from './004-analytics-fidelity';
import * as matching from './005-matching';
import * as campaigns from './006-campaigns';
import * as community from './007-community';
import * as reports from './008-reports';
import * as security from './009-security';
import * as importer from './010-import';

export interface Migration {
  /** The schema version this migration brings the workspace to. */
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** Every migration, in order. A workspace's `PRAGMA user_version` is the last one applied. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial.up },
  { version: 2, name: 'customer-list', up: customerList.up },
  { version: 3, name: 'segmentation', up: segmentation.up },
  { version: 4, name: 'analytics-fidelity', up: analyticsFidelity.up },
  { version: 5, name: 'matching', up: matching.up },
  { version: 6, name: 'campaigns', up: campaigns.up },
  { version: 7, name: 'community', up: community.up },
  { version: 8, name: 'reports', up: reports.up },
  { version: 9, name: 'security', up: security.up },
  { version: 10, name: 'import', up: importer.up },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
