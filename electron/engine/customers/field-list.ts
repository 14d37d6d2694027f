import type { RuleFieldInfo } from '../../../shared/api';
import { catalogFields } from '../../../shared/rule-fields';
import type { Db } from '../db/workspace';
import { listContext } from './list-context';

/** The fields the rule builder offers, over the analysis runs that exist now; the SQL stays in the engine. */
export function customerFields(db: Db): { fields: RuleFieldInfo[]; unavailable: Record<string, string> } {
  const { catalog } = listContext(db);
  const fields = catalogFields(catalog).map(({ sql: _sql, sqlParams: _params, runId: _run, ...info }) => info);
  return { fields, unavailable: { ...catalog.unavailable } };
}
