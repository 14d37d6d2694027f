/** Pure shaping of the tier overview and of tier migration for the tiers screen (unit-tested). */
import { VALUE_TIERS, type AnalysisOverview, type TierMigration, type ValueTier } from '../../../../shared/analytics';

const rank = (tier: ValueTier) => VALUE_TIERS.indexOf(tier);

export interface SankeyNode {
  /** Unique id: side and tier, e.g. `from:wealth`. */
  name: string;
  tier: ValueTier;
  side: 'from' | 'to';
  /** Customers in the tier at that month. */
  value: number;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
  /** up: to a higher tier; down: to a lower one; same: stayed. */
  kind: 'up' | 'down' | 'same';
}

/**
 * Nodes and links of the migration Sankey: the tiers of the first month on the left, of the second on the
 * right, highest tier on top. Empty flows and tiers without customers on either side are left out, since
 * ECharts draws zero-width links as noise.
 */
export function sankeyData(m: TierMigration): { nodes: SankeyNode[]; links: SankeyLink[] } {
  const links: SankeyLink[] = [];
  const fromTotals = new Map<ValueTier, number>();
  const toTotals = new Map<ValueTier, number>();
  m.tiers.forEach((from, i) => {
    m.tiers.forEach((to, j) => {
      const value = m.matrix[i]?.[j] ?? 0;
      if (!(value > 0)) return;
      fromTotals.set(from, (fromTotals.get(from) ?? 0) + value);
      toTotals.set(to, (toTotals.get(to) ?? 0) + value);
      links.push({ source: `from:${from}`, target: `to:${to}`, value, kind: rank(to) > rank(from) ? 'up' : rank(to) < rank(from) ? 'down' : 'same' });
    });
  });
  const byRankDesc = [...m.tiers].sort((a, b) => rank(b) - rank(a));
  const nodes: SankeyNode[] = [
    ...byRankDesc.filter((t) => fromTotals.has(t)).map((tier) => ({ name: `from:${tier}`, tier, side: 'from' as const, value: fromTotals.get(tier)! })),
    ...byRankDesc.filter((t) => toTotals.has(t)).map((tier) => ({ name: `to:${tier}`, tier, side: 'to' as const, value: toTotals.get(tier)! })),
  ];
  return { nodes, links };
}

export interface MigrationSummary {
  total: number;
  stayed: number;
  upgraded: number;
  downgraded: number;
}

/** Customers who kept, raised or lost their tier between the two months. */
export function migrationSummary(m: TierMigration): MigrationSummary {
  const out: MigrationSummary = { total: 0, stayed: 0, upgraded: 0, downgraded: 0 };
  m.tiers.forEach((from, i) => {
    m.tiers.forEach((to, j) => {
      const value = m.matrix[i]?.[j] ?? 0;
      out.total += value;
      if (rank(to) > rank(from)) out.upgraded += value;
      else if (rank(to) < rank(from)) out.downgraded += value;
      else out.stayed += value;
    });
  });
  return out;
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
  tier: ValueTier;
  customers: number;
  share: number;
  aum: number;
  aumShare: number;
  avgAum: number | null;
}

/** Tiers from 私行 down to 大众 with shares of customers and of AUM and the average AUM per customer. */
export function tierRows(tiers: AnalysisOverview['tiers']): TierRow[] {
  const total = tiers.reduce((n, t) => n + t.customers, 0);
  return [...tiers]
    .sort((a, b) => rank(b.tier) - rank(a.tier))
    .map((t) => ({ tier: t.tier, customers: t.customers, share: total > 0 ? t.customers / total : 0, aum: t.aum, aumShare: t.aumShare, avgAum: t.customers > 0 ? t.aum / t.customers : null }));
}

/** The month `n` months before a 'YYYY-MM' month. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Default pair of months for the migration: the latest month and the one six months before (or the first). */
export function defaultMigrationMonths(months: readonly string[]): { from: string; to: string } | null {
  if (months.length < 2) return null;
  const sorted = [...months].sort();
  const to = sorted[sorted.length - 1]!;
  const target = monthsBefore(to, 6);
  const from = sorted.includes(target) ? target : sorted.filter((m) => m < to && m >= target)[0] ?? sorted[0]!;
  return { from: from === to ? sorted[sorted.length - 2]! : from, to };
}
