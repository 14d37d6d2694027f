/**
 * Everything a customer-list query needs to know about the workspace at the moment it runs: the latest
 * analysis runs, the rule field catalog built over them, today's date and whether PII is masked. Built per
 * request (a handful of indexed lookups) so that a finished analysis or a settings change shows at once.
 */
import { customerFieldCatalog, type FieldCatalog } from '../../../shared/rule-fields';
import type { Db } from '../db/workspace';
import { DEFAULT_WINDOWS, type WindowTuning } from './keyset';
import { readSettings } from '../settings-store';
import { latestRuns, type LatestRuns } from './latest-runs';
import { localToday } from './today';

export interface ListContext {
  readonly db: Db;
  readonly today: string;
  readonly runs: LatestRuns;
  readonly catalog: FieldCatalog;
  readonly maskPii: boolean;
  readonly windows: WindowTuning;
}

export interface ListOptions {
  /** 'YYYY-MM-DD' for ages; the local date by default (tests pin it). */
  today?: string;
  /** Window sizes of the filtered walk (keyset.ts); tests shrink them to exercise every path on few rows. */
  windows?: WindowTuning;
}

export function listContext(db: Db, options: ListOptions = {}): ListContext {
  const today = options.today ?? localToday();
  const runs = latestRuns(db);
  const tags = db.prepare('SELECT tag_id AS id, name FROM tags ORDER BY tag_id').all() as { id: string; name: string }[];
  const segments = db.prepare('SELECT segment_id AS id, name FROM segments ORDER BY segment_id').all() as { id: number; name: string }[];
  // Age in filters is computed on the same day as the age shown in the list, so that "年龄 ≥ 60" never
  // hides a row whose age column reads 60.
  const maskPii = readSettings(db).maskPii;
  // While masking is on, name conditions match the masked name (issue #15 §1.11).
  const catalog = customerFieldCatalog({ featureRunId: runs.featureRunId, scoreRunId: runs.scoreRunId, tagRunId: runs.tagRunId, asOf: today, tags, segments, maskPii });
  return { db, today, runs, catalog, maskPii, windows: options.windows ?? DEFAULT_WINDOWS };
}
