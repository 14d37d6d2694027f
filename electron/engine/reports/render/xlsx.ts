/**
 * The Excel appendix of a report: a sheet 报告说明 (title, data date, key points, definitions), one sheet per
 * table of the report with real numbers (amounts in 万元, shares as percentages) and a sheet 图表 with each
 * chart as a PNG picture, since ExcelJS writes no native charts. Text cells are neutralised against
 * formula injection like every export.
 */
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../../../shared/masking';
import { sheetName } from '../../export/xlsx-writer';
import { formatDateTime } from '../document/format';
import { chartsOf, tablesOf, type Cell, type ReportDocument, type ValueKind } from '../document/model';
import { chartImages } from './chart-images';
import type { ReportPrinter } from './printer';

const NUMBER_FORMATS: Partial<Record<ValueKind, string>> = {
  int: '#,##0',
  wan: '#,##0.00',
  pct: '0.0%',
  pp: '+0.0%;-0.0%;0.0%',
  ratio: '0.00',
  score: '0.0',
  signedInt: '+#,##0;-#,##0;0',
  signedWan: '+#,##0.00;-#,##0.00;0.00',
};

/** Amounts are stored in 元 and shown in 万元. */
function cellValue(value: Cell | undefined, kind: ValueKind): Cell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return neutraliseFormula(value) as string;
  if (!Number.isFinite(value)) return null;
  return kind === 'wan' || kind === 'signedWan' ? value / 10_000 : value;
}

function uniqueName(wanted: string, used: Set<string>): string {
  const base = sheetName(wanted);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28)}_${i}`;
  used.add(name.toLowerCase());
  return name;
}

export async function reportWorkbook(doc: ReportDocument, printer: ReportPrinter | null): Promise<{ buffer: Buffer; sheets: string[] }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '支行客户画像工作台';
  workbook.created = new Date(doc.generatedAt);
  const used = new Set<string>();

  const info = workbook.addWorksheet(uniqueName('报告说明', used));
  info.columns = [{ width: 14 }, { width: 96 }];
  const infoRows: [string, string][] = [
    ['报告', doc.title],
    ['说明', doc.subtitle],
    ['支行', doc.branchName],
    ['数据截至', doc.asOf],
    ['生成时间', formatDateTime(doc.generatedAt)],
    ['脱敏', doc.masked ? '客户姓名已脱敏' : '未脱敏（含客户敏感信息，请妥善保管）'],
    ['密级', '内部资料 注意保密'],
    ...doc.highlights.map((h, i): [string, string] => [i === 0 ? '要点' : '', h]),
    ...doc.notes.map((n, i): [string, string] => [i === 0 ? '口径说明' : '', n]),
  ];
  for (const [label, value] of infoRows) info.addRow([label, neutraliseFormula(value)]);
  info.getColumn(1).font = { bold: true };
  info.getColumn(2).alignment = { wrapText: true, vertical: 'top' };

  for (const table of tablesOf(doc)) {
    const sheet = workbook.addWorksheet(uniqueName(table.sheet ?? table.title, used), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([neutraliseFormula(table.title)]).font = { bold: true, size: 12 };
    const header = sheet.addRow(table.columns.map((c) => c.label));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF2F8' } };
    table.columns.forEach((c, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.max(10, Math.min(48, [...c.label].length * 2 + 2));
      const format = NUMBER_FORMATS[c.kind];
      if (format) column.numFmt = format;
    });
    for (const row of table.rows) sheet.addRow(table.columns.map((c) => cellValue(row[c.key], c.kind)));
    if (table.note) sheet.addRow([neutraliseFormula(table.note)]).font = { italic: true, color: { argb: 'FF5A6472' } };
  }

  const charts = chartsOf(doc);
  if (charts.length > 0) {
    const sheet = workbook.addWorksheet(uniqueName('图表', used));
    sheet.getColumn(1).width = 100;
    if (printer) {
      const images = await chartImages(charts, printer);
      let row = 0;
      images.forEach((image, i) => {
        const chart = charts[i]!;
        sheet.getCell(row + 1, 1).value = neutraliseFormula(chart.title) as string;
        sheet.getCell(row + 1, 1).font = { bold: true };
        const id = workbook.addImage({ buffer: Buffer.from(image.png) as unknown as ExcelJS.Buffer, extension: 'png' });
        sheet.addImage(id, { tl: { col: 0, row: row + 1 }, ext: { width: image.width, height: image.height } });
        row += Math.ceil(image.height / 20) + 3;
      });
    } else {
      sheet.getCell(1, 1).value = '当前环境无法把图表绘制为图片，图表见 PDF 报告；各图表的数据见本工作簿的其他工作表。';
    }
  }

  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return { buffer, sheets: workbook.worksheets.map((w) => w.name) };
}
