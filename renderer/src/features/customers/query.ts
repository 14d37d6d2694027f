/**
 * The customer list's query form as a rule of the DSL (shared/rules.ts): each dropdown is one condition
 * over a catalog field, all of them must hold, and the engine compiles them like any other rule, so the
 * form, the advanced conditions and a rule carried in by a link all filter the same way.
 */
import type { RuleCondition, RuleNode } from '../../../../shared/rules';

/** 未测评: customers without a 风险承受等级, offered beside C1–C5. */
export const NOT_ASSESSED = 'none';

export interface CustomerQuery {
  /** 客户号 or 姓名, the engine's search (prefix of the number, part of the name). */
  keyword: string;
  communities: string[];
  managers: string[];
  tiers: string[];
  lifecycle: string[];
  churnBands: string[];
  riskLevels: string[];
}

export function emptyQuery(): CustomerQuery {
  return { keyword: '', communities: [], managers: [], tiers: [], lifecycle: [], churnBands: [], riskLevels: [] };
}

const inList = (field: string, values: string[]): RuleCondition => ({ field, op: 'in', value: values });

/** The dropdowns' conditions (the keyword goes to the search, not the rule); undefined when none is set. */
export function queryRule(query: CustomerQuery): RuleNode | undefined {
  const all: RuleNode[] = [];
  if (query.communities.length > 0) all.push(inList('community_id', query.communities));
  if (query.managers.length > 0) all.push(inList('manager_id', query.managers));
  if (query.tiers.length > 0) all.push(inList('value_tier', query.tiers));
  if (query.lifecycle.length > 0) all.push(inList('lifecycle_stage', query.lifecycle));
  if (query.churnBands.length > 0) all.push(inList('churn_band', query.churnBands));
  if (query.riskLevels.length > 0) {
    const levels = query.riskLevels.filter((v) => v !== NOT_ASSESSED);
    const missing = query.riskLevels.includes(NOT_ASSESSED);
    const parts: RuleNode[] = [];
    if (levels.length > 0) parts.push(inList('risk_level', levels));
    if (missing) parts.push({ field: 'risk_level', op: 'is_null', value: true });
    all.push(parts.length === 1 ? parts[0]! : { any: parts });
  }
  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : { all };
}

/** Both rules together: the form's and the advanced conditions'. */
export function combineRules(...rules: (RuleNode | undefined)[]): RuleNode | undefined {
  const present = rules.filter((r): r is RuleNode => r !== undefined);
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : { all: present };
}

/**
 * List columns the query pins to a single value (one community, one tier …): every row would repeat it,
 * so the table leaves them out while the query holds.
 */
export function pinnedColumns(query: CustomerQuery): string[] {
  const pinned: string[] = [];
  if (query.communities.length === 1) pinned.push('community_name', 'community_id');
  if (query.managers.length === 1) pinned.push('manager_name', 'manager_id');
  if (query.tiers.length === 1) pinned.push('value_tier');
  if (query.lifecycle.length === 1) pinned.push('lifecycle_stage');
  if (query.churnBands.length === 1) pinned.push('churn_band');
  if (query.riskLevels.length === 1) pinned.push('risk_level');
  return pinned;
}
