/**
 * Links that carry a rule to another screen: the customer list filtered by it, the group portrait of it.
 * The rule travels as JSON in the route query; the engine validates it again on arrival.
 */
import type { RouteLocationRaw } from 'vue-router';
import type { RuleNode } from '../../../shared/rules';

export function customersWithRule(rule: RuleNode, title?: string): RouteLocationRaw {
  return { path: '/customers', query: { rule: JSON.stringify(rule), ...(title ? { title } : {}) } };
}

export function groupPortraitOf(source: { segment: number } | { tag: string } | { rule: RuleNode; title?: string }): RouteLocationRaw {
  if ('segment' in source) return { path: '/groups', query: { segment: String(source.segment) } };
  if ('tag' in source) return { path: '/groups', query: { tag: source.tag } };
  return { path: '/groups', query: { rule: JSON.stringify(source.rule), ...(source.title ? { title: source.title } : {}) } };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rule of a route query, or null when there is none or it is not a rule object. */
export function ruleFromQuery(value: unknown): RuleNode | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? (parsed as RuleNode) : null;
  } catch {
    return null;
  }
}

/** The rules of the common links: a segment's members and a tag's holders. */
export const segmentRule = (segmentId: number): RuleNode => ({ field: 'segment', op: '=', value: segmentId });
export const tagRule = (tagId: string): RuleNode => ({ field: 'tag', op: 'has_tag', value: tagId });
