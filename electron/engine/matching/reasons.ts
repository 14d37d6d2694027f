/**
 * The reasons beside a recommendation (issue #9 §2): at most three, in plain Chinese a relationship manager
 * can say aloud, each a fact about the customer or customers like him, never a feature name or a σ value.
 * Candidates, strongest first:
 *
 *   未来3个月有 12 万元定期存款到期          investment families, time deposits coming due in the horizon
 *   近3个月有 1 笔定期到期未续存              investment families, a deposit came due and was not renewed
 *   代发工资客户，适合工资理财               the seed rules that fire (boost-rules.ts)
 *   近3个月资金流入 15 万元                   investment families, 3-month inflow of 5 万元 or more
 *   持有信用卡的客户中 38% 也持有理财，是全行的 2.1 倍   the strongest co-holding rule into the family
 *   30–39 岁金卡客户中 31% 持有理财            the family's share among peers, well above the branch's
 *   购买可能性高于 85% 的同类客户             the customer's place among the family's candidates
 *   近3个月本行有 67 位客户新开信用卡          the family's recent take-up, when nothing above applies
 */
import { formatShare } from '../../../shared/glossary';
import { VALUE_TIER_LABELS } from '../../../shared/rule-fields';
import type { CoHoldingRule } from '../../../shared/matching';
import { bestRuleInto, type CoHolding } from './co-holding';
import { categoryLabel } from './families';
import type { HoldingFacts } from './holding-facts';

export const MAX_REASONS = 3;
const INVESTED = new Set(['time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension']);
/** Inflow worth naming, 元 over three months. */
const NOTABLE_INFLOW = 50_000;
/** A co-holding rule worth naming. */
const NOTABLE_LIFT = 1.2;
/** A peer group worth naming: its share at least this much above the branch's, and of this size. */
const PEER_RATIO = 1.3;
const PEER_MIN_SHARE = 0.1;
const PEER_MIN_SIZE = 30;

/** 12.3 万元 below 10 万, whole 万元 above: how a manager says an amount. */
export function sayWan(yuan: number): string {
  const wan = yuan / 10_000;
  return wan >= 10 ? `${Math.round(wan)} 万元` : `${(Math.round(wan * 10) / 10).toFixed(1)} 万元`;
}

/** Holders of each family among customers of one age band and tier, and in the branch. */
export class PeerPenetration {
  private readonly cells = new Map<string, { size: number; holders: Map<string, number> }>();
  private readonly branch = new Map<string, number>();
  private total = 0;

  static band(age: number | null): string | null {
    if (age === null || !Number.isFinite(age) || age < 18) return null;
    if (age < 30) return '18–29 岁';
    if (age >= 70) return '70 岁及以上';
    const from = Math.floor(age / 10) * 10;
    return `${from}–${from + 9} 岁`;
  }

  add(age: number | null, tier: string | null, held: readonly string[]): void {
    this.total++;
    for (const family of held) this.branch.set(family, (this.branch.get(family) ?? 0) + 1);
    const key = this.key(age, tier);
    if (key === null) return;
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { size: 0, holders: new Map() }));
    cell.size++;
    for (const family of held) cell.holders.set(family, (cell.holders.get(family) ?? 0) + 1);
  }

  private key(age: number | null, tier: string | null): string | null {
    const band = PeerPenetration.band(age);
    return band === null || tier === null ? null : `${band}|${tier}`;
  }

  private readonly sentences = new Map<string, { text: string; ratio: number } | null>();

  /** "30–39 岁金卡客户中 31% 持有理财" when the peers hold the family well above the branch, else null. */
  sentence(age: number | null, tier: string | null, family: string): { text: string; ratio: number } | null {
    const key = this.key(age, tier);
    if (key === null) return null;
    const cacheKey = `${key}|${family}`;
    let known = this.sentences.get(cacheKey);
    if (known === undefined) this.sentences.set(cacheKey, (known = this.compose(key, age, tier, family)));
    return known;
  }

  private compose(key: string, age: number | null, tier: string | null, family: string): { text: string; ratio: number } | null {
    const cell = this.cells.get(key);
    if (!cell || cell.size < PEER_MIN_SIZE || this.total === 0) return null;
    const share = (cell.holders.get(family) ?? 0) / cell.size;
    const branchShare = (this.branch.get(family) ?? 0) / this.total;
    if (share < PEER_MIN_SHARE || branchShare <= 0 || share < PEER_RATIO * branchShare) return null;
    const tierLabel = VALUE_TIER_LABELS[tier!] ?? '';
    return { text: `${PeerPenetration.band(age)}${tierLabel}客户中 ${formatShare(share, 0)} 持有${categoryLabel(family)}`, ratio: share / branchShare };
  }
}

const ruleSentences = new WeakMap<CoHoldingRule, string>();

/** 持有信用卡的客户中 38% 也持有理财，是全行的 2.1 倍 (one text per rule, composed once). */
function ruleSentence(rule: CoHoldingRule): string {
  let text = ruleSentences.get(rule);
  if (text === undefined) {
    text = `持有${rule.fromLabel}的客户中 ${formatShare(rule.confidence, 0)} 也持有${rule.toLabel}，是全行的 ${rule.lift.toFixed(1)} 倍`;
    ruleSentences.set(rule, text);
  }
  return text;
}

export interface ReasonInput {
  row: number;
  family: string;
  age: number | null;
  tier: string | null;
  inflow3m: number;
  /** Reasons of the seed rules that fire. */
  ruleReasons: readonly string[];
  /** Share of the product's candidates with a lower propensity (0..1). */
  percentile: number | null;
}

export interface ReasonSources {
  facts: HoldingFacts;
  co: CoHolding;
  peers: PeerPenetration;
  horizonMonths: number;
  /** New holders of each family in the latest training window. */
  newHolders: (family: string) => number;
}

/** The customer's reasons for one product of `family`, strongest first, at most MAX_REASONS. */
export function reasonsFor(sources: ReasonSources, input: ReasonInput): string[] {
  const { facts, co, peers, horizonMonths } = sources;
  const { row, family } = input;
  const candidates: { text: string; strength: number }[] = [];
  if (INVESTED.has(family)) {
    const due = facts.depositsDue[row]!;
    if (due > 0) {
      const amount = facts.depositsDueAmount[row]!;
      candidates.push({ text: amount > 0 ? `未来${horizonMonths}个月有 ${sayWan(amount)}定期存款到期` : `未来${horizonMonths}个月有 ${due} 笔定期存款到期`, strength: 0.95 });
    }
    const matured = facts.depositsMaturedUnrenewed[row]!;
    if (matured > 0) candidates.push({ text: `近3个月有 ${matured} 笔定期到期未续存`, strength: 0.9 });
    if (input.inflow3m >= NOTABLE_INFLOW) candidates.push({ text: `近3个月资金流入 ${sayWan(input.inflow3m)}`, strength: 0.6 });
  }
  for (const reason of input.ruleReasons) candidates.push({ text: reason, strength: 0.8 });
  const rule = bestRuleInto(co, facts, row, family);
  if (rule && rule.lift >= NOTABLE_LIFT) candidates.push({ text: ruleSentence(rule), strength: 0.5 + Math.min(0.25, (rule.lift - 1) / 10) });
  const peer = peers.sentence(input.age, input.tier, family);
  if (peer) candidates.push({ text: peer.text, strength: 0.45 + Math.min(0.25, (peer.ratio - 1) / 10) });
  if (input.percentile !== null && input.percentile >= 0.5) {
    candidates.push({ text: `购买可能性高于 ${Math.floor(input.percentile * 100)}% 的同类客户`, strength: 0.3 });
  }
  const recent = sources.newHolders(family);
  if (recent > 0) candidates.push({ text: `近${horizonMonths}个月本行有 ${recent} 位客户新开${categoryLabel(family)}`, strength: 0.1 });
  candidates.sort((a, b) => b.strength - a.strength);
  const out: string[] = [];
  for (const c of candidates) {
    if (out.length >= MAX_REASONS) break;
    if (!out.includes(c.text)) out.push(c.text);
  }
  return out;
}
