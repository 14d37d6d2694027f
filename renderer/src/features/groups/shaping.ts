/** Pure shaping of a group portrait: one chart per dimension and the flat table of every dimension. */
import type { DistributionItem, GroupPortrait } from '../../../../shared/analytics';

/** Where a portrayed group comes from. */
export type SourceKind = 'segment' | 'tag' | 'rule';

export interface DimensionChart {
  labels: string[];
  /** Shares in percent, one decimal, aligned with `labels`; null where a side has no such value. */
  group: (number | null)[];
  branch: (number | null)[];
  groupCounts: (number | null)[];
  branchCounts: (number | null)[];
  /** TGI = group share ÷ branch share × 100, whole numbers; null where the branch has nobody. */
  tgi: (number | null)[];
  /** Rest or unknown buckets, which never make a headline. */
  rest: boolean[];
}

const pct = (share: number) => Math.round(share * 1000) / 10;

/** TGI (target group index) as Chinese marketing reports it: 100 is the branch average. */
export function tgi(groupShare: number, branchShare: number): number | null {
  return branchShare > 0 ? Math.round((groupShare / branchShare) * 100) : null;
}

/** The group's values in its order, then any the branch has that the group lacks. */
export function dimensionChart(dim: GroupPortrait['dimensions'][number]): DimensionChart {
  const labels = [...dim.group.map((g) => g.label)];
  for (const b of dim.branch) if (!labels.includes(b.label)) labels.push(b.label);
  const find = (list: DistributionItem[], label: string) => list.find((x) => x.label === label);
  return {
    labels,
    group: labels.map((l) => (find(dim.group, l) ? pct(find(dim.group, l)!.share) : 0)),
    branch: labels.map((l) => (find(dim.branch, l) ? pct(find(dim.branch, l)!.share) : 0)),
    groupCounts: labels.map((l) => find(dim.group, l)?.count ?? 0),
    branchCounts: labels.map((l) => find(dim.branch, l)?.count ?? 0),
    tgi: labels.map((l) => tgi(find(dim.group, l)?.share ?? 0, find(dim.branch, l)?.share ?? 0)),
    rest: labels.map((l) => Boolean(find(dim.branch, l)?.rest ?? find(dim.group, l)?.rest)),
  };
}

export interface PortraitExportRow {
  [key: string]: string | number | null;
  dimension: string;
  label: string;
  groupCount: number;
  groupShare: number;
  branchCount: number;
  branchShare: number;
  /** Group share minus branch share, in percentage points. */
  gap: number;
  tgi: number | null;
}

/** Every dimension in one table, shares in percent: the XLSX appendix of the slide. */
export function portraitRows(p: GroupPortrait, dimensionLabel: (dim: GroupPortrait['dimensions'][number]) => string = (d) => d.label): PortraitExportRow[] {
  return p.dimensions.flatMap((dim) => {
    const chart = dimensionChart(dim);
    return chart.labels.map((label, i) => ({
      dimension: dimensionLabel(dim),
      label,
      groupCount: chart.groupCounts[i] ?? 0,
      groupShare: chart.group[i] ?? 0,
      branchCount: chart.branchCounts[i] ?? 0,
      branchShare: chart.branch[i] ?? 0,
      gap: Math.round(((chart.group[i] ?? 0) - (chart.branch[i] ?? 0)) * 10) / 10,
      tgi: chart.tgi[i] ?? null,
    }));
  });
}

/** Default of settings.groupPortrait.headlineMinPoints. */
export const HEADLINE_MIN_POINTS = 3;

/**
 * The label where the group stands out most against the branch, for the card on each chart: never a rest
 * or unknown bucket, and nothing when the largest gap is under `minPoints` percentage points (issue #14:
 * "男 +0.1 个百分点" is noise, not a finding).
 */
export function biggestGap(dim: GroupPortrait['dimensions'][number], minPoints = HEADLINE_MIN_POINTS): { label: string; gap: number; tgi: number | null } | null {
  const chart = dimensionChart(dim);
  let best: { label: string; gap: number; tgi: number | null } | null = null;
  chart.labels.forEach((label, i) => {
    if (chart.rest[i]) return;
    const gap = Math.round(((chart.group[i] ?? 0) - (chart.branch[i] ?? 0)) * 10) / 10;
    if (!best || Math.abs(gap) > Math.abs(best.gap)) best = { label, gap, tgi: chart.tgi[i] ?? null };
  });
  return best !== null && Math.abs((best as { gap: number }).gap) >= minPoints ? best : null;
}
