/**
 * Association rules between product families over what customers hold on a date (issue #9 §2): for
 * families A and B, support = customers holding both ÷ customers holding anything, confidence = holders of
 * both ÷ holders of A, lift = confidence ÷ the share holding B. "持有信用卡的客户中 38% 也持有理财，是全行的
 * 2.1 倍" is the rule 信用卡 → 理财 with confidence 0.38 and lift 2.1.
 *
 * Used as evidence beside a recommendation, and as the propensity of a family too rare to train a forest on:
 * its rate of new holders times the strongest lift from a family the customer holds.
 */
import type { CoHoldingRule } from '../../../shared/matching';
import { categoryLabel } from './families';
import type { HoldingFacts } from './holding-facts';

/** A rule needs this many customers holding both families to count (fewer is noise). */
export const MIN_RULE_CUSTOMERS = 20;
/** Lift factors for the fallback propensity are kept within these bounds. */
const LIFT_FLOOR = 0.5;
const LIFT_CEILING = 3;

export interface CoHolding {
  readonly families: readonly string[];
  /** Customers holding at least one of the families. */
  readonly base: number;
  /** rules[a][b] for families[a] → families[b] (undefined below MIN_RULE_CUSTOMERS or for a = b). */
  readonly matrix: readonly (readonly (CoHoldingRule | undefined)[])[];
}

export function coHolding(facts: HoldingFacts, families: readonly string[]): CoHolding {
  const columns = families.map((f) => facts.heldCategory.get(f) ?? new Uint8Array(facts.maxRiskHeld.length));
  const n = facts.maxRiskHeld.length;
  const F = families.length;
  const holders = new Float64Array(F);
  const both = new Float64Array(F * F);
  let base = 0;
  const held: number[] = [];
  for (let i = 0; i < n; i++) {
    held.length = 0;
    for (let a = 0; a < F; a++) if (columns[a]![i]) held.push(a);
    if (held.length === 0) continue;
    base++;
    for (const a of held) {
      holders[a]!++;
      for (const b of held) if (a !== b) both[a * F + b]!++;
    }
  }
  const matrix = families.map((from, a) =>
    families.map((to, b): CoHoldingRule | undefined => {
      const customers = both[a * F + b]!;
      if (a === b || customers < MIN_RULE_CUSTOMERS || base === 0) return undefined;
      const confidence = customers / holders[a]!;
      return { from, to, fromLabel: categoryLabel(from), toLabel: categoryLabel(to), customers, support: customers / base, confidence, lift: confidence / (holders[b]! / base) };
    }),
  );
  return { families, base, matrix };
}

/** The rules worth showing: lift above 1, strongest first. */
export function strongRules(co: CoHolding, limit = 30): CoHoldingRule[] {
  return co.matrix
    .flat()
    .filter((r): r is CoHoldingRule => r !== undefined && r.lift > 1)
    .sort((a, b) => b.lift - a.lift || b.customers - a.customers)
    .slice(0, limit);
}

/** The strongest rule into `to` from a family the customer holds (row `i` of `facts`), or undefined. */
export function bestRuleInto(co: CoHolding, facts: HoldingFacts, i: number, to: string): CoHoldingRule | undefined {
  const b = co.families.indexOf(to);
  if (b < 0) return undefined;
  let best: CoHoldingRule | undefined;
  co.families.forEach((from, a) => {
    if (a === b || !facts.heldCategory.get(from)?.[i]) return;
    const rule = co.matrix[a]![b];
    if (rule && (!best || rule.lift > best.lift)) best = rule;
  });
  return best;
}

/** The fallback propensity of family `to` for customer row `i`: its new-holder rate times the best lift. */
export function fallbackPropensity(co: CoHolding, facts: HoldingFacts, i: number, to: string, newRate: number): number {
  const rule = bestRuleInto(co, facts, i, to);
  const factor = rule ? Math.min(LIFT_CEILING, Math.max(LIFT_FLOOR, rule.lift)) : 1;
  return Math.min(1, newRate * factor);
}
