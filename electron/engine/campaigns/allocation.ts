/**
 * Call lists per relationship manager. Every eligible customer goes to their own manager (customers without
 * one to a pool), ranked by the campaign's ranking; the manager's list keeps the best-ranked target
 * customers up to the cap. Held-out customers ranked within that range stay in the control group, those
 * below it drop out with the targets below it, so the control group stays comparable with the list that is
 * actually called.
 */
import { hashString, Random } from '../../../shared/random';

export interface Ranked {
  id: string;
  managerId: string | null;
  score: number;
}

export interface Allocated {
  id: string;
  managerId: string | null;
  group: 'target' | 'control';
  /** 1-based position in the manager's ranked list (targets and controls alike). */
  rank: number;
  score: number;
  arm: 'A' | 'B' | null;
}

export interface ManagerCounts {
  managerId: string | null;
  eligible: number;
  target: number;
  control: number;
  overCap: number;
}

export function allocate(eligible: readonly Ranked[], control: ReadonlySet<string>, cap: number, options: { arms: boolean; seed: number }): { members: Allocated[]; managers: ManagerCounts[] } {
  const byManager = new Map<string | null, Ranked[]>();
  for (const c of eligible) {
    const list = byManager.get(c.managerId);
    if (list) list.push(c);
    else byManager.set(c.managerId, [c]);
  }
  const members: Allocated[] = [];
  const managers: ManagerCounts[] = [];
  // Managers in code order, the pool last.
  const keys = [...byManager.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  for (const managerId of keys) {
    const ranked = byManager.get(managerId)!.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const counts: ManagerCounts = { managerId, eligible: ranked.length, target: 0, control: 0, overCap: 0 };
    const targets: Allocated[] = [];
    let i = 0;
    for (; i < ranked.length && counts.target < cap; i++) {
      const c = ranked[i]!;
      const group = control.has(c.id) ? 'control' : 'target';
      const member: Allocated = { id: c.id, managerId, group, rank: i + 1, score: c.score, arm: null };
      members.push(member);
      if (group === 'target') targets.push(member);
      counts[group]++;
    }
    counts.overCap = ranked.length - i;
    if (options.arms) assignArms(targets, options.seed, managerId);
    managers.push(counts);
  }
  return { members, managers };
}

/** Splits a manager's targets half and half between arms A and B, at random. */
function assignArms(targets: Allocated[], seed: number, managerId: string | null): void {
  const order = targets.map((_, i) => i);
  const random = new Random((hashString(`arms:${managerId ?? ''}`) ^ seed) >>> 0);
  random.shuffle(order);
  // Which arm gets the odd customer out is random too, so neither arm is larger across managers.
  const first = random.int(2);
  order.forEach((index, position) => {
    targets[index]!.arm = position % 2 === first ? 'A' : 'B';
  });
}
