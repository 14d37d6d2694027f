import * as initial from './001-initial';
import * as customerList from './002-customer-list';
import * as segmentation from './003-segmentation';

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
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
