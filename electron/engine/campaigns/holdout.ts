/**
 * The per-campaign holdout (对照组): a seeded random share of the eligible audience, stratified by manager and
 * value tier so that target and control are alike where it matters (a manager's customers respond to that
 * manager; wealthier customers convert differently). Within each stratum the customers are shuffled with a
 * stream of their own (seed and stratum), and the stratum's share is rounded with the remainder carried to
 * the next stratum, so the total is round(share × eligible) and no stratum is off by more than one.
 */
import { hashString, Random } from '../../../shared/random';

export interface Stratified {
  id: string;
  stratum: string;
}

export function drawHoldout(eligible: readonly Stratified[], share: number, seed: number): Set<string> {
  const control = new Set<string>();
  if (share <= 0) return control;
  const strata = new Map<string, string[]>();
  for (const c of eligible) {
    const list = strata.get(c.stratum);
    if (list) list.push(c.id);
    else strata.set(c.stratum, [c.id]);
  }
  let carry = 0.5;
  for (const key of [...strata.keys()].sort()) {
    const ids = strata.get(key)!.sort();
    const expected = share * ids.length + carry;
    const take = Math.floor(expected);
    carry = expected - take;
    new Random((hashString(key) ^ seed) >>> 0).shuffle(ids);
    for (let i = 0; i < take && i < ids.length; i++) control.add(ids[i]!);
  }
  return control;
}

/** The stratum of a customer: their manager (or the pool) and value tier. */
export const stratumOf = (managerId: string | null, tier: string | null) => `${managerId ?? ''}|${tier ?? ''}`;
