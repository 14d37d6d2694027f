/** Pure shaping of the tier overview and of tier migration for the tiers screen (unit-tested). */
import { NO_RECORD_TIER, VALUE_TIERS, type AnalysisOverview, type TierCode, type TierMigration } from '../../../../shared/analytics';

/** Rank of a tier, 大众 0 … 私行 3; 无记录 has none (−1). */
export const tierRank = (tier: TierCode): number => (VALUE_TIERS as readonly string[]).indexOf(tier);

/**
 * What happened to the customers of one cell of the migration matrix: a tier up or down, the same tier,
 * entered (新增/无记录 → a tier), left (a tier → 无记录), or absent in both months.
 */
export type MoveKind = 'up' | 'down' | 'same' | 'entered' | 'left' | 'absent';

export function moveKind(from: TierCode, to: TierCode): MoveKind {
  if (from === NO_RECORD_TIER) return to === NO_RECORD_TIER ? 'absent' : 'entered';
  if (to === NO_RECORD_TIER) return 'left';
  const step = tierRank(to) - tierRank(from);
  return step > 0 ? 'up' : step < 0 ? 'down' : 'same';
}

export interface SankeyNode {
  /** Unique id: side and tier, e.g. `from:wealth`. */
  name: string;
  tier: TierCode;
  side: 'from' | 'to';
  /** Customers of the links drawn at this node. */
  value: number;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
  kind: MoveKind;
}

/** Ranked tiers highest first, 无记录 at the bottom: the order of the nodes on each side. */
const NODE_ORDER = (m: TierMigration) => [...m.tiers].sort((a, b) => (b === NO_RECORD_TIER ? -1 : a === NO_RECORD_TIER ? 1 : tierRank(b) - tierRank(a)));

/**
 * Nodes and links of the migration Sankey: the tiers of the first month on the left, of the second on the
 * right, highest tier on top and 新增/无记录 at the bottom. By default only the moves of existing customers
 * are drawn, up, down and out of the balance file (issue #14: 1,800 unchanged customers drowned 43 moves);
 * `withEntered` adds the newcomers and `withUnchanged` those who kept their tier. Customers without a
 * record in either month, empty flows and nodes without a link are left out.
 */
export function sankeyData(m: TierMigration, options: { withUnchanged?: boolean; withEntered?: boolean } = {}): { nodes: SankeyNode[]; links: SankeyLink[] } {
  const links: SankeyLink[] = [];
  const fromTotals = new Map<TierCode, number>();
  const toTotals = new Map<TierCode, number>();
  m.tiers.forEach((from, i) => {
    m.tiers.forEach((to, j) => {
      const value = m.matrix[i]?.[j] ?? 0;
      const kind = moveKind(from, to);
      if (!(value > 0) || kind === 'absent' || (kind === 'same' && !options.withUnchanged) || (kind === 'entered' && !options.withEntered)) return;
      fromTotals.set(from, (fromTotals.get(from) ?? 0) + value);
      toTotals.set(to, (toTotals.get(to) ?? 0) + value);
      links.push({ source: `from:${from}`, target: `to:${to}`, value, kind });
    });
  });
  const order = NODE_ORDER(m);
  const nodes: SankeyNode[] = [
    ...order.filter((t) => fromTotals.has(t)).map((tier) => ({ name: `from:${tier}`, tier, side: 'from' as const, value: fromTotals.get(tier)! })),
    ...order.filter((t) => toTotals.has(t)).map((tier) => ({ name: `to:${tier}`, tier, side: 'to' as const, value: toTotals.get(tier)! })),
  ];
  return { nodes, links };
}

export type MigrationSummary = { total: number } & Record<MoveKind, number>;

/** Customers per kind of move between the two months; `total` counts every customer of the matrix. */
export function migrationSummary(m: TierMigration): MigrationSummary {
  const out: MigrationSummary = { total: 0, up: 0, down: 0, same: 0, entered: 0, left: 0, absent: 0 };
  m.tiers.forEach((from, i) => {
    m.tiers.forEach((to, j) => {
      const value = m.matrix[i]?.[j] ?? 0;
      out.total += value;
      out[moveKind(from, to)] += value;
    });
  });
  return out;
}

/** Customers in each tier at the end month: the column totals, the counts the tiers tab shows for that month. */
export function columnTotals(m: TierMigration): Record<string, number> {
  return Object.fromEntries(m.tiers.map((tier, j) => [tier, m.matrix.reduce((sum, row) => sum + (row[j] ?? 0), 0)]));
}

/** The transition matrix as table rows: one row per starting tier, one column per tier at the end. */
export function matrixRows(m: TierMigration): Record<string, string | number>[] {
  return m.tiers.map((from, i) => {
    const row: Record<string, string | number> = { from };
    let sum = 0;
    m.tiers.forEach((to, j) => {
      const value = m.matrix[i]?.[j] ?? 0;
      row[`to_${to}`] = value;
      sum += value;
    });
    row.total = sum;
    return row;
  });
}

export interface TierRow {
  tier: TierCode;
  customers: number;
  share: number;
  aum: number;
  aumShare: number;
  avgAum: number | null;
}

/**
 * Tiers from 私行 down to 大众, then 无记录 when anybody is in it, with shares of customers and of AUM and the
 * average AUM per customer. Shares are of every customer of the run, 无记录 included, so they add up.
 */
export function tierRows(tiers: AnalysisOverview['tiers']): TierRow[] {
  const total = tiers.reduce((n, t) => n + t.customers, 0);
  return [...tiers]
    .filter((t) => t.tier !== NO_RECORD_TIER || t.customers > 0)
    .sort((a, b) => (b.tier === NO_RECORD_TIER ? -1 : a.tier === NO_RECORD_TIER ? 1 : tierRank(b.tier) - tierRank(a.tier)))
    .map((t) => ({ tier: t.tier, customers: t.customers, share: total > 0 ? t.customers / total : 0, aum: t.aum, aumShare: t.aumShare, avgAum: t.customers > 0 ? t.aum / t.customers : null }));
}

/** The month `n` months before a 'YYYY-MM' month. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * Default pair of months for the migration: the month of the latest analysis (so that the end month's
 * counts are the tiers tab's), else the latest month; and the one six months before (or the first).
 */
export function defaultMigrationMonths(months: readonly string[], analysisMonth: string | null = null): { from: string; to: string } | null {
  if (months.length < 2) return null;
  const sorted = [...months].sort();
  const to = analysisMonth !== null && sorted.indexOf(analysisMonth) > 0 ? analysisMonth : sorted[sorted.length - 1]!;
  const target = monthsBefore(to, 6);
  const from = sorted.includes(target) ? target : sorted.filter((m) => m < to && m >= target)[0] ?? sorted[0]!;
  return { from: from === to ? sorted[sorted.indexOf(to) - 1]! : from, to };
}
