/**
 * Export hardening (issue #15 §1.8): sheet names that Excel refuses or that collide, column labels and
 * payloads hidden behind blanks, line breaks or full-width ＝ that were not neutralised, and relative or
 * `..` paths that were accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRequestSchema } from '../../../shared/api';
import { neutraliseFormula } from '../../../shared/masking';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { exportTable } from '../../../electron/engine/export/table-export';
import { sheetName } from '../../../electron/engine/export/xlsx-writer';
import { tempDir } from '../../support/temp';

const dir = tempDir();
let db: Db;

beforeAll(() => {
  db = openWorkspace(join(dir, 'export.bpw'), { create: true });
});
afterAll(() => db.close());

const run = (request: Record<string, unknown>) => exportTable(standaloneJobContext(db), exportRequestSchema.parse(request));

const PAYLOADS = [' =HYPERLINK("http://x.invalid","点我")', '\n=cmd|\' /C calc\'!A0', '＝HYPERLINK("http://x.invalid")', '　+1+1', '\r\n@SUM(A1)', '－2+3'];

async function workbook(path: string): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book;
}

describe('formula neutralisation', () => {
  it('quotes payloads behind blanks, line breaks and full-width signs, and leaves plain text alone', () => {
    for (const payload of PAYLOADS) expect(neutraliseFormula(payload), JSON.stringify(payload)).toBe(`'${payload}`);
    for (const plain of ['张三', 'C000001', '  张三', '2024-06-30', '']) expect(neutraliseFormula(plain)).toBe(plain);
    expect(neutraliseFormula(-5)).toBe(-5);
  });

  it('neutralises column labels and cells in XLSX and CSV exports', async () => {
    const columns = [
      { key: 'a', label: '=HYPERLINK("http://x.invalid","标签")' },
      { key: 'b', label: '＝标签' },
    ];
    const rows = PAYLOADS.map((p) => ({ a: p, b: 1 }));
    const xlsx = join(dir, 'payloads.xlsx');
    await run({ kind: 'rows', path: xlsx, format: 'xlsx', columns, rows, title: '数据' });
    const sheet = (await workbook(xlsx)).getWorksheet('数据')!;
    expect(sheet.getRow(1).getCell(1).value).toBe(`'${columns[0]!.label}`);
    expect(sheet.getRow(1).getCell(2).value).toBe(`'${columns[1]!.label}`);
    // XML keeps line breaks as \n: compare without \r.
    PAYLOADS.forEach((p, i) => expect(String(sheet.getRow(i + 2).getCell(1).value)).toBe(`'${p}`.replaceAll('\r', '')));

    const csv = join(dir, 'payloads.csv');
    await run({ kind: 'rows', path: csv, format: 'csv', columns, rows, title: '数据' });
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x.invalid"",""标签"")"`);
    expect(text).toContain("'＝标签");
    expect(text).toContain("'＝HYPERLINK");
  });
});

describe('sheet names', () => {
  it('keeps names Excel accepts: no leading or trailing apostrophe, not History, unique without case', () => {
    expect(sheetName("'quoted'")).toBe('quoted');
    expect(sheetName('History')).not.toMatch(/^history$/i);
    expect(sheetName('a/b:c?d*e[f]')).toBe('a b c d e f');
    expect(sheetName('导出说明', new Set(['导出说明']))).toBe('导出说明(2)');
    expect([...sheetName('很'.repeat(40), new Set(['很'.repeat(31)]))].length).toBeLessThanOrEqual(31);
  });

  it('gives a table titled 导出说明 a sheet of its own beside the notes', async () => {
    const path = join(dir, 'notes-title.xlsx');
    await run({ kind: 'rows', path, format: 'xlsx', columns: [{ key: 'a', label: 'A' }], rows: [{ a: 1 }], title: '导出说明' });
    const names = (await workbook(path)).worksheets.map((w) => w.name);
    expect(names).toHaveLength(2);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(2);
    expect(names).toContain('导出说明');
  });

  it("writes a workbook for titles 'quoted' and History", async () => {
    for (const title of ["'quoted'", 'History']) {
      const path = join(dir, `${title.replace(/'/g, '')}.xlsx`);
      await run({ kind: 'rows', path, format: 'xlsx', columns: [{ key: 'a', label: 'A' }], rows: [{ a: 1 }], title });
      const names = (await workbook(path)).worksheets.map((w) => w.name);
      expect(names.some((n) => n.startsWith("'") || n.endsWith("'") || n.toLowerCase() === 'history')).toBe(false);
    }
  });
});

describe('paths', () => {
  it('refuses relative paths and .. segments', async () => {
    const request = { kind: 'rows', format: 'xlsx', columns: [{ key: 'a', label: 'A' }], rows: [{ a: 1 }] };
    await expect(run({ ...request, path: 'out.xlsx' })).rejects.toMatchObject({ code: 'path_not_allowed' });
    await expect(run({ ...request, path: `${dir}/../${dir.split('/').pop()}/out.xlsx` })).rejects.toMatchObject({ code: 'path_not_allowed' });
  });
});
