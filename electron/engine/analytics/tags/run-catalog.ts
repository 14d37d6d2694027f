/**
 * The customer field catalog as of one analysis run: its own features and scores (not the latest ones,
 * which may belong to a later run), ages on its as-of date, and `has_tag` reading the tags it is writing.
 * Tags are evaluated over this catalog, so that a tag of a run depends on nothing newer than the run.
 */
import { customerFieldCatalog, type FieldCatalog } from '../../../../shared/rule-fields';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';

const hasRows = (db: Db, table: 'customer_features' | 'customer_scores', runId: number): boolean =>
  db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE run_id = ?) AS found`).pluck().get(runId) === 1;

export function knownTags(db: Db): { id: string; name: string }[] {
  return db.prepare('SELECT tag_id AS id, name FROM tags ORDER BY tag_id').all() as { id: string; name: string }[];
}

export function knownSegments(db: Db): { id: number; name: string }[] {
  return db.prepare('SELECT segment_id AS id, name FROM segments ORDER BY segment_id').all() as { id: number; name: string }[];
}

export function runCatalog(db: Db, runId: number, asOf: string): FieldCatalog {
  return customerFieldCatalog({
    featureRunId: hasRows(db, 'customer_features', runId) ? runId : null,
    scoreRunId: hasRows(db, 'customer_scores', runId) ? runId : null,
    tagRunId: runId,
    asOf,
    tags: knownTags(db),
    segments: knownSegments(db),
    // While masking is on, a rule tag on the name sees only the masked name, like every other rule.
    maskPii: readSettings(db).maskPii,
  });
}

/**
 * Who a run's tags are evaluated over: customers on the books on its as-of date. A customer who opened an
 * account later did not exist then; a missing open date is given the benefit of the doubt.
 */
export const POPULATION_SQL = '(c.open_date IS NULL OR c.open_date <= ?)';
