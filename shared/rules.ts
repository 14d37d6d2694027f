/**
 * The rule DSL: a JSON tree of `all` / `any` / `not` over conditions `{ field, op, value }`. Customer-list
 * filters, tags, segments and campaign audiences are all written in it, and it is the only way user-written
 * filters reach SQL: rules compile (rule-compiler.ts) to parameterised SQL over a whitelist of fields.
 */
import { z } from 'zod';

export const RULE_OPERATORS = ['=', '!=', '>', '>=', '<', '<=', 'between', 'in', 'not_in', 'contains', 'is_null', 'has_tag'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export type RuleScalar = string | number | boolean;

export interface RuleCondition {
  field: string;
  op: RuleOperator;
  value?: RuleScalar | RuleScalar[] | null;
}

export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode } | RuleCondition;

const scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

export const ruleConditionSchema = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.enum(RULE_OPERATORS),
  value: z.union([scalar, z.array(scalar).max(5000), z.null()]).optional(),
});

/** Rules nest; 12 levels is far beyond what a rule builder produces and keeps a hostile input bounded. */
const MAX_RULE_DEPTH = 12;

export const ruleSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ruleSchema).max(200) }),
    z.strictObject({ any: z.array(ruleSchema).max(200) }),
    z.strictObject({ not: ruleSchema }),
    ruleConditionSchema,
  ]),
).superRefine((node, ctx) => {
  if (ruleDepth(node) > MAX_RULE_DEPTH) ctx.addIssue({ code: 'custom', message: `规则嵌套超过 ${MAX_RULE_DEPTH} 层` });
});

export function ruleDepth(node: RuleNode): number {
  if ('all' in node) return 1 + Math.max(0, ...node.all.map(ruleDepth));
  if ('any' in node) return 1 + Math.max(0, ...node.any.map(ruleDepth));
  if ('not' in node) return 1 + ruleDepth(node.not);
  return 1;
}

export function isCondition(node: RuleNode): node is RuleCondition {
  return 'field' in node;
}

/** A rule that matches every customer. */
export const MATCH_ALL: RuleNode = { all: [] };
