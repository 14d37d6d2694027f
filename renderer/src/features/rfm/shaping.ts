/** Pure shaping of the RFM overview: the R×F heatmap and the table of the eight classes (unit-tested). */
import { RFM_CLASSES, type AnalysisOverview } from '../../../../shared/analytics';

export const RFM_SCORES = [1, 2, 3, 4, 5] as const;

/** Heatmap cells [R index, F index, mean M, customers] on 5×5 category axes; empty cells are left out. The colour reads the customers. */
export function heatmapCells(heatmap: AnalysisOverview['rfm']['heatmap']): [number, number, number, number][] {
  return heatmap
    .filter((c) => c.r >= 1 && c.r <= 5 && c.f >= 1 && c.f <= 5 && c.customers > 0)
    .map((c) => [c.r - 1, c.f - 1, Math.round(c.meanM * 100) / 100, c.customers]);
}

/**
 * Range of the colour scale: 0 to the largest cell. The colour shows the number written in the cell, so
 * the biggest cell is the darkest (issue #14: coloured by mean M, the biggest cell was the lightest).
 */
export function countRange(heatmap: AnalysisOverview['rfm']['heatmap']): [number, number] {
  const most = Math.max(0, ...heatmap.map((c) => c.customers));
  return [0, Math.max(1, most)];
}

export interface RfmClassRow {
  rfmClass: string;
  customers: number;
  share: number;
  aum: number;
  aumShare: number;
  action: string;
}

/** The eight classes in the order of the scheme (重要价值 … 一般挽留) with the share of customers. */
export function classRows(classes: AnalysisOverview['rfm']['classes']): RfmClassRow[] {
  const total = classes.reduce((n, c) => n + c.customers, 0);
  const order = (code: string) => {
    const i = (RFM_CLASSES as readonly string[]).indexOf(code);
    return i < 0 ? RFM_CLASSES.length : i;
  };
  return [...classes]
    .sort((a, b) => order(a.rfmClass) - order(b.rfmClass))
    .map((c) => ({ rfmClass: c.rfmClass, customers: c.customers, share: total > 0 ? c.customers / total : 0, aum: c.aum, aumShare: c.aumShare, action: c.action }));
}
