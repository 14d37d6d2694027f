/**
 * Target customers of a suggested activity: the rule table's audience (a rule of the DSL) within one
 * community. The audience is checked against the customer catalog the campaigns use, so what the screen
 * counts is what a campaign built from it selects. Conditions on fields the workspace cannot offer yet (tags
 * before the first tag computation, scores before a customer analysis) are dropped and the drop is said,
 * rather than failing the whole suggestion.
 */
import { compileRule, describeRule, validateRule } from '../../../shared/rule-compiler';
import { catalogField, fromClause, unavailableReason, type FieldCatalog } from '../../../shared/rule-fields';
import { isCondition, type RuleNode } from '../../../shared/rules';
import type { Db } from '../db/workspace';

export interface PreparedAudience {
  /** The audience with unavailable conditions dropped; null when it still does not compile. */
  rule: RuleNode | null;
  /** What was dropped, or why the audience cannot be used, in Chinese; null when nothing was. */
  note: string | null;
}

/** Drops conditions whose field is known but unavailable here; collects the reasons. */
function strip(node: RuleNode, catalog: FieldCatalog, reasons: Set<string>): RuleNode | null {
  if (isCondition(node)) {
    if (catalogField(catalog, node.field)) return node;
    const reason = unavailableReason(catalog, node.field);
    if (reason === undefined) return node;
    reasons.add(reason);
    return null;
  }
  if ('not' in node) {
    const inner = strip(node.not, catalog, reasons);
    return inner === null ? null : { not: inner };
  }
  const children = ('all' in node ? node.all : node.any).map((child) => strip(child, catalog, reasons)).filter((child): child is RuleNode => child !== null);
  if ('any' in node) return children.length === 0 ? null : { any: children };
  return { all: children };
}

export function prepareAudience(audience: RuleNode, catalog: FieldCatalog): PreparedAudience {
  const reasons = new Set<string>();
  const rule = strip(audience, catalog, reasons) ?? { all: [] };
  const issues = validateRule(rule, catalog);
  if (issues.length > 0) return { rule: null, note: `目标客户规则无法使用：${issues.map((i) => i.message).join('；')}` };
  return { rule, note: reasons.size > 0 ? `${[...reasons].join('；')}，名单中已去掉这部分条件` : null };
}

/** The audience within a community, as a campaign takes it. */
export function communityAudience(communityId: string, audience: RuleNode): RuleNode {
  const inCommunity: RuleNode = { field: 'community_id', op: '=', value: communityId };
  if ('all' in audience) return { all: [inCommunity, ...audience.all] };
  return { all: [inCommunity, audience] };
}

/**
 * Customers each audience selects in each community, all audiences in one pass over the customers:
 * counts[i] maps a community to the size of audiences[i].
 */
export function countByCommunity(db: Db, catalog: FieldCatalog, audiences: readonly RuleNode[]): Map<string, number>[] {
  if (audiences.length === 0) return [];
  const compiled = audiences.map((a) => compileRule(a, catalog));
  const from = fromClause(catalog);
  const sums = compiled.map((c, i) => `sum(CASE WHEN ${c.sql} THEN 1 ELSE 0 END) AS n${i}`).join(', ');
  const rows = db
    .prepare(`SELECT c.community_id AS id, ${sums} FROM ${from.sql} WHERE c.community_id IS NOT NULL GROUP BY c.community_id`)
    .all(...compiled.flatMap((c) => c.params), ...from.params) as Record<string, string | number>[];
  return compiled.map((_, i) => new Map(rows.map((r) => [String(r.id), Number(r[`n${i}`])])));
}

/** The audience as a sentence, for exported plans and the CLI. */
export function describeAudience(audience: RuleNode, catalog: FieldCatalog): string {
  return describeRule(audience, catalog);
}
