/**
 * A report as data: what every kind's template (kinds/*.ts) builds and every output renders — the HTML
 * that prints to PDF (render/html.ts), the Excel appendix (render/xlsx.ts) and the slides (render/pptx.ts).
 * Building the content once keeps the three files saying the same thing.
 *
 * Values stay numbers with their kind; each output formats them (万元 with two decimals, shares as
 * percentages, counts grouped), so the XLSX keeps real numbers and the PDF the glossary's formatting.
 */
import type { ReportKind } from '../../../../shared/reports';

/** How a value is shown: amounts come in 元 and show in 万元; shares are 0–1. */
export type ValueKind = 'text' | 'int' | 'wan' | 'pct' | 'pp' | 'ratio' | 'signedInt' | 'signedWan' | 'score';

export interface Figure {
  label: string;
  value: number | null;
  kind: ValueKind;
  /** The unit written after the value (万元, 人, …). */
  unit: string;
  /** A change under the value, already in words (较上月 +60 人). */
  change?: string;
  /** Whether the change is good news, bad news or neither, for its colour (never the only carrier). */
  tone?: 'good' | 'bad' | 'neutral';
}

export interface Column {
  key: string;
  label: string;
  kind: ValueKind;
  /** Relative width in the PDF table. */
  width?: number;
}

export type Cell = string | number | null;

export interface Table {
  id: string;
  title: string;
  /** The XLSX sheet name; the title when omitted. */
  sheet?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  note?: string;
  /** Small type, to fit a wide comparison on one page. */
  dense?: boolean;
}

export type ChartType = 'line' | 'bar' | 'barH' | 'stacked' | 'pie';

export interface ChartSeries {
  name: string;
  values: (number | null)[];
}

export interface Chart {
  id: string;
  title: string;
  type: ChartType;
  categories: string[];
  series: ChartSeries[];
  /** How values read on the axis and labels: amounts here are already in 万元. */
  valueKind: 'number' | 'wan' | 'pct' | 'int';
  unit: string;
  /** Height in CSS pixels at the report's 680-pixel column width. */
  height?: number;
  /** Half width: two such charts share a row. */
  half?: boolean;
  /** Colours per series (or per slice of a pie) where the categories have colours of their own. */
  colors?: string[];
}

export type Block =
  | { type: 'figures'; figures: Figure[] }
  | { type: 'chart'; chart: Chart }
  | { type: 'table'; table: Table }
  | { type: 'text'; text: string };

export interface Section {
  id: string;
  title: string;
  /** The section's paragraph, written from its numbers (narrative.ts). */
  narrative: string;
  blocks: Block[];
  /** Start the section on a new page. */
  pageBreak?: boolean;
}

export interface ReportDocument {
  kind: ReportKind;
  title: string;
  subtitle: string;
  branchName: string;
  /** 'YYYY-MM-DD' of the data the report is about. */
  asOf: string;
  generatedAt: string;
  masked: boolean;
  /** The key points, first on the summary slide and under the title. */
  highlights: string[];
  sections: Section[];
  /** Definitions and bases, printed last. */
  notes: string[];
}

export function tablesOf(doc: ReportDocument): Table[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'table' ? [b.table] : [])));
}

export function chartsOf(doc: ReportDocument): Chart[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : [])));
}
