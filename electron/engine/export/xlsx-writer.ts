/**
 * XLSX through exceljs's streaming writer: rows are committed to the zip as they come, so a million-row
 * export never holds the sheet in memory. The header row is bold and frozen, amounts carry a thousands
 * format and shares a percent format, and every text cell is neutralised against formula injection (Excel
 * and WPS would otherwise evaluate a pasted "=HYPERLINK(...)" once someone edits the cell).
 */
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../../shared/masking';
import type { Cell, CellKind, SheetColumn, SheetWriter } from './sheet';

const NUMBER_FORMATS: Partial<Record<CellKind, string>> = {
  money: '#,##0.00',
  number: '#,##0.####',
  integer: '0',
  share: '0.00%',
};

const WIDTHS: Record<CellKind, number> = { text: 16, integer: 8, number: 12, money: 16, date: 12, share: 10 };

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(title: string): string {
  const clean = title.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31);
  return clean.length > 0 ? clean : 'Sheet1';
}

export async function openXlsxWriter(path: string, title: string, columns: readonly SheetColumn[]): Promise<SheetWriter> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  workbook.creator = '支行客户画像工作台';
  const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = sheetColumns(columns);
  const header = sheet.addRow(columns.map((c) => c.label));
  header.font = { bold: true };
  header.commit();
  let finished = false;

  return {
    write: async (rows) => {
      for (const row of rows) sheet.addRow(row.map(xlsxCell)).commit();
      // Let the zip stream flush what was committed before taking more.
      await new Promise((resolve) => setImmediate(resolve));
    },
    finish: async (notes) => {
      sheet.commit();
      if (notes.length > 0) {
        const info = workbook.addWorksheet('导出说明');
        info.columns = [{ key: 'k', width: 14 }, { key: 'v', width: 60 }];
        for (const [label, value] of notes) info.addRow([label, xlsxCell(value)]).commit();
        info.commit();
      }
      finished = true;
      await workbook.commit();
    },
    abort: async () => {
      if (finished) return;
      finished = true;
      // The writer has no abort; committing closes its file stream, and the caller deletes the file.
      await workbook.commit().catch(() => undefined);
    },
  };
}

/** Column widths from the label and kind, and (unless `formats` is off) the number format of amounts and shares. */
export function sheetColumns(columns: readonly SheetColumn[], formats = true): Partial<ExcelJS.Column>[] {
  return columns.map((c, i) => ({
    key: `c${i}`,
    width: Math.max(WIDTHS[c.kind], Math.min(40, [...c.label].length * 2 + 2)),
    ...(formats && NUMBER_FORMATS[c.kind] ? { style: { numFmt: NUMBER_FORMATS[c.kind] } } : {}),
  }));
}

export function xlsxCell(value: Cell): Cell {
  if (typeof value === 'string') return neutraliseFormula(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
