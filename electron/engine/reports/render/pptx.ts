/**
 * The report as slides for the branch meeting (pptxgenjs): a title slide, a summary slide of the key
 * points, then one slide per section with its paragraph and its first visual: up to two native charts
 * (editable in PowerPoint and WPS, data included), else the key figures, else the section's first table.
 * Every table stays complete in the Excel appendix.
 */
import pptxgen from 'pptxgenjs';
import { formatValue } from '../document/format';
import type { Block, Chart, Figure, ReportDocument, Section, Table } from '../document/model';
import { PALETTE, titleWithUnit } from './charts';

const FONT = 'Microsoft YaHei';
const INK = '1F2D3D';
const MUTED = '5A6472';
const ACCENT = '2F6FDB';
const W = 10;
const MAX_TABLE_ROWS = 12;

type Slide = ReturnType<pptxgen['addSlide']>;

function frame(slide: Slide, doc: ReportDocument, title: string): void {
  slide.addText(title, { x: 0.4, y: 0.2, w: W - 0.8, h: 0.5, fontFace: FONT, fontSize: 20, bold: true, color: INK });
  slide.addShape('line', { x: 0.4, y: 0.72, w: W - 0.8, h: 0, line: { color: ACCENT, width: 1.5 } });
  slide.addText(`${doc.branchName} · 数据截至 ${doc.asOf}`, { x: 0.4, y: 5.2, w: 5, h: 0.3, fontFace: FONT, fontSize: 9, color: MUTED });
  slide.addText('内部资料 注意保密', { x: W - 3.4, y: 5.2, w: 3, h: 0.3, fontFace: FONT, fontSize: 9, bold: true, color: 'A61B1B', align: 'right' });
}

const hex = (color: string) => color.replace('#', '').toUpperCase();

function chartType(pres: pptxgen, chart: Chart): pptxgen.CHART_NAME {
  switch (chart.type) {
    case 'line':
      return pres.ChartType.line;
    case 'pie':
      return pres.ChartType.doughnut;
    default:
      return pres.ChartType.bar;
  }
}

function addChart(pres: pptxgen, slide: Slide, chart: Chart, box: { x: number; y: number; w: number; h: number }): void {
  const data = chart.series.map((s) => ({ name: s.name, labels: chart.categories, values: s.values.map((v) => v ?? 0) }));
  const format = chart.valueKind === 'pct' ? '0.0%' : chart.valueKind === 'wan' ? '#,##0.00' : '#,##0';
  slide.addChart(chartType(pres, chart), data, {
    ...box,
    showTitle: true,
    title: titleWithUnit(chart),
    titleFontFace: FONT,
    titleFontSize: 12,
    titleColor: INK,
    chartColors: (chart.colors ?? PALETTE).map(hex),
    showLegend: chart.series.length > 1 || chart.type === 'pie',
    legendPos: 'b',
    legendFontFace: FONT,
    legendFontSize: 9,
    catAxisLabelFontFace: FONT,
    catAxisLabelFontSize: 9,
    valAxisLabelFontSize: 9,
    valAxisLabelFormatCode: format,
    dataLabelFormatCode: format,
    showValue: chart.type !== 'line' && chart.type !== 'stacked' && chart.categories.length <= 14,
    dataLabelFontSize: 8,
    barDir: chart.type === 'barH' ? 'bar' : 'col',
    barGrouping: chart.type === 'stacked' ? 'stacked' : 'clustered',
    // Horizontal bars list top-down as in the PDF; pptxgenjs writes 'maxMin' though its types only name 'minMax'.
    ...(chart.type === 'barH' ? { catAxisOrientation: 'maxMin' as 'minMax' } : {}),
    ...(chart.type === 'pie' ? { holeSize: 55, showPercent: true } : {}),
    ...(chart.type === 'line' ? { lineSize: 2, lineDataSymbolSize: 5 } : {}),
  });
}

function addFigures(slide: Slide, figures: readonly Figure[], top: number): void {
  const perRow = 4;
  const w = (W - 0.8 - (perRow - 1) * 0.15) / perRow;
  figures.slice(0, 8).forEach((f, i) => {
    const x = 0.4 + (i % perRow) * (w + 0.15);
    const y = top + Math.floor(i / perRow) * 1.15;
    slide.addShape('rect', { x, y, w, h: 1.0, fill: { color: 'F3F6FB' }, line: { color: 'D5DBE5', width: 0.75 } });
    slide.addText(
      [
        { text: f.label, options: { fontSize: 10, color: MUTED, breakLine: true } },
        { text: `${formatValue(f.value, f.kind)}`, options: { fontSize: 20, bold: true, color: INK } },
        { text: f.unit ? ` ${f.unit}` : '', options: { fontSize: 10, color: MUTED, breakLine: true } },
        { text: f.change ?? '', options: { fontSize: 9, color: f.tone === 'bad' ? 'B42318' : f.tone === 'good' ? '1D7A45' : MUTED } },
      ],
      { x: x + 0.08, y: y + 0.04, w: w - 0.16, h: 0.92, fontFace: FONT, valign: 'top', margin: 0 },
    );
  });
}

function addTable(slide: Slide, table: Table, top: number): void {
  const rows = table.rows.slice(0, MAX_TABLE_ROWS);
  const header = table.columns.map((c) => ({ text: c.label, options: { bold: true, fill: { color: 'EEF2F8' }, color: INK } }));
  const body = rows.map((row) => table.columns.map((c) => ({ text: formatValue(row[c.key] ?? null, c.kind), options: { align: c.kind === 'text' ? ('left' as const) : ('right' as const) } })));
  slide.addTable([header, ...body], { x: 0.4, y: top, w: W - 0.8, fontFace: FONT, fontSize: 9, color: INK, border: { type: 'solid', color: 'E3E7EE', pt: 0.5 }, rowH: 0.26, autoPage: false });
  if (table.rows.length > rows.length) {
    slide.addText(`共 ${table.rows.length} 行，此处列出前 ${rows.length} 行；完整表格见 Excel 附件“${table.sheet ?? table.title}”工作表。`, { x: 0.4, y: 4.9, w: W - 0.8, h: 0.3, fontFace: FONT, fontSize: 9, color: MUTED });
  }
}

function sectionSlide(pres: pptxgen, doc: ReportDocument, section: Section): void {
  const slide = pres.addSlide();
  frame(slide, doc, section.title);
  let top = 0.85;
  if (section.narrative) {
    slide.addText(section.narrative, { x: 0.4, y: top, w: W - 0.8, h: 0.6, fontFace: FONT, fontSize: 12, color: INK, valign: 'top', margin: 0 });
    top += 0.65;
  }
  const of = <T extends Block['type']>(type: T) => section.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
  const charts = of('chart').map((b) => b.chart);
  const figures = of('figures').flatMap((b) => b.figures);
  const tables = of('table').map((b) => b.table);
  const height = 5.1 - top;
  if (charts.length >= 2) {
    const w = (W - 0.8 - 0.2) / 2;
    addChart(pres, slide, charts[0]!, { x: 0.4, y: top, w, h: height });
    addChart(pres, slide, charts[1]!, { x: 0.4 + w + 0.2, y: top, w, h: height });
  } else if (charts.length === 1) {
    addChart(pres, slide, charts[0]!, { x: 0.4, y: top, w: W - 0.8, h: height });
  } else if (figures.length > 0) {
    addFigures(slide, figures, top);
  } else if (tables.length > 0) {
    addTable(slide, tables[0]!, top);
  }
}

export async function reportSlides(doc: ReportDocument): Promise<{ buffer: Buffer; slides: number }> {
  const pres = new pptxgen();
  pres.layout = 'LAYOUT_16x9';
  pres.author = '支行客户画像工作台';
  pres.company = doc.branchName;
  pres.title = doc.title;

  const cover = pres.addSlide();
  cover.background = { color: 'F3F6FB' };
  cover.addText(doc.title, { x: 0.6, y: 1.6, w: W - 1.2, h: 0.9, fontFace: FONT, fontSize: 32, bold: true, color: INK });
  cover.addText(doc.subtitle, { x: 0.6, y: 2.5, w: W - 1.2, h: 0.5, fontFace: FONT, fontSize: 16, color: MUTED });
  cover.addText(`${doc.branchName}　数据截至 ${doc.asOf}`, { x: 0.6, y: 3.1, w: W - 1.2, h: 0.4, fontFace: FONT, fontSize: 14, color: MUTED });
  cover.addText(`内部资料 注意保密${doc.masked ? '　客户姓名已脱敏' : ''}`, { x: 0.6, y: 4.6, w: W - 1.2, h: 0.4, fontFace: FONT, fontSize: 11, bold: true, color: 'A61B1B' });

  const summary = pres.addSlide();
  frame(summary, doc, '要点');
  summary.addText(
    doc.highlights.map((h) => ({ text: h, options: { bullet: true, breakLine: true } })),
    { x: 0.5, y: 0.95, w: W - 1, h: 4.1, fontFace: FONT, fontSize: 16, color: INK, valign: 'top', paraSpaceAfter: 10 },
  );

  for (const section of doc.sections) sectionSlide(pres, doc, section);
  const buffer = (await pres.write({ outputType: 'nodebuffer' })) as Buffer;
  return { buffer, slides: 2 + doc.sections.length };
}
