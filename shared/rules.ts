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
/** Nodes looked at before a rule is called too complex (the compiler allows 2,000 conditions). */
const MAX_RULE_NODES = 20_000;

const ruleNodeSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ruleNodeSchema).max(200) }),
    z.strictObject({ any: z.array(ruleNodeSchema).max(200) }),
    z.strictObject({ not: ruleNodeSchema }),
    ruleConditionSchema,
  ]),
);

/**
 * Whether a raw value nests deeper than `limit` rule levels (or is too big to be a rule), found without
 * recursion: a rule nested 10,000 deep used to exhaust the stack inside zod before any depth check ran.
 */
export function exceedsRuleBounds(value: unknown, limit = MAX_RULE_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  let seen = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit || ++seen > MAX_RULE_NODES) return true;
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    for (const key of ['all', 'any'] as const) {
      const children = record[key];
      if (Array.isArray(children)) for (const child of children) stack.push([child, depth + 1]);
    }
    if ('not' in record) stack.push([record.not, depth + 1]);
  }
  return false;
}

/** The depth is bounded before the recursive schema runs: `pipe` stops at the first stage's issues. */
export const ruleSchema: z.ZodType<RuleNode> = z
  .unknown()
  .superRefine((value, ctx) => {
    if (exceedsRuleBounds(value)) ctx.addIssue({ code: 'custom', message: `规则嵌套超过 ${MAX_RULE_DEPTH} 层或条件过多，请简化规则` });
  })
  .pipe(ruleNodeSchema);

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
