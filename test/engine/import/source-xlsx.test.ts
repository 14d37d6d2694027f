import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, previewSource } from '../../../electron/engine/import/source';
import { cellText, formatNumber } from '../../../electron/engine/import/xlsx-reader';
import { collect, makeTempDir, makeZip } from './source-helpers';

const tmp = makeTempDir('bpw-source-xlsx-');
afterAll(() => tmp.cleanup());

let workbookFile = '';

beforeAll(async () => {
  const wb = new ExcelJS.Workbook();
  const customers = wb.addWorksheet('客户');
  customers.addRow([' 客户号 ', '开户日期', '最近交易', '金额', '合计', '同意营销', '备注', '']);
  customers.addRow(['C001', new Date(Date.UTC(2023, 0, 2)), new Date(Date.UTC(2023, 0, 2, 10, 30, 0)), 1234.5, { formula: 'D2*2', result: 2469 }, true, { richText: [{ text: '重要' }, { font: { bold: true }, text: '客户' }] }]);
  customers.addRow(['C002', new Date(Date.UTC(2024, 1, 29)), null, 0.1 + 0.2, { formula: 'B3+30', result: 45381 }, false, { text: '官网', hyperlink: 'https://example.com' }]);
  customers.getCell('B2').numFmt = 'yyyy-mm-dd';
  customers.getCell('B3').numFmt = 'yyyy/m/d';
  customers.getCell('C2').numFmt = 'yyyy-mm-dd hh:mm:ss';
  customers.getCell('E3').numFmt = 'yyyy-mm-dd';
  // Row 4 and 5 left out: a sparse sheet. Row 6 is short, row 7 longer than the header.
  customers.getCell('A6').value = 'C006';
  customers.getCell('D6').value = 1234.4999999999998;
  customers.getCell('A7').value = 'C007';
  customers.getCell('J7').value = '多出来的';
  const products = wb.addWorksheet('产品');
  products.addRow(['产品代码', '产品名称', '起购金额']);
  products.addRow(['P001', '稳健理财', 10000]);
  const hidden = wb.addWorksheet('说明', { state: 'hidden' });
  hidden.addRow(['readme']);
  workbookFile = tmp.file('book.xlsx', '');
  await wb.xlsx.writeFile(workbookFile);
});

describe('xlsx', () => {
  it('reads the first sheet with cells as text and real row numbers', async () => {
    const source = await openSource({ file: workbookFile });
    expect(source).toMatchObject({
      format: 'xlsx',
      fileName: 'book.xlsx',
      encoding: null,
      delimiter: null,
      sheets: ['客户', '产品', '说明'],
      sheet: '客户',
      headers: ['客户号', '开户日期', '最近交易', '金额', '合计', '同意营销', '备注'],
      progressTotal: 7,
    });
    const { rows, batches } = await collect(source);
    expect(rows).toEqual([
      { row: 2, cells: ['C001', '2023-01-02', '2023-01-02 10:30:00', '1234.5', '2469', 'TRUE', '重要客户'] },
      { row: 3, cells: ['C002', '2024-02-29', '', '0.3', '2024-03-30', 'FALSE', '官网'] },
      { row: 6, cells: ['C006', '', '', '1234.5', '', '', ''] },
      { row: 7, cells: ['C007', '', '', '', '', '', '', '', '', '多出来的'] },
    ]);
    // Skipped sheet rows start a new batch, so firstRow + i stays right.
    expect(batches.map((b) => [b.firstRow, b.size])).toEqual([
      [2, 2],
      [6, 2],
    ]);
    expect(batches.at(-1)!.progress).toBe(7);
  });

  it('reads a sheet by name', async () => {
    const source = await openSource({ file: workbookFile, sheet: '产品' });
    expect(source.sheet).toBe('产品');
    expect(source.headers).toEqual(['产品代码', '产品名称', '起购金额']);
    expect((await collect(source)).rows).toEqual([{ row: 2, cells: ['P001', '稳健理财', '10000'] }]);
  });

  it('lists the sheets when the name is unknown', async () => {
    await expect(openSource({ file: workbookFile, sheet: '交易' })).rejects.toMatchObject({
      code: 'bad_input',
      message: '工作簿中没有名为“交易”的工作表，现有工作表：客户、产品、说明',
    });
  });

  it('opens an XLSX renamed to .csv as a workbook', async () => {
    const copy = tmp.file('renamed.csv', await import('node:fs').then((fs) => fs.readFileSync(workbookFile)));
    const source = await openSource({ file: copy, encoding: 'gb18030', delimiter: ';' });
    expect(source.format).toBe('xlsx');
    expect(source.headers[0]).toBe('客户号');
  });

  it('reads the same rows again on a second batches() call', async () => {
    const source = await openSource({ file: workbookFile, sheet: '产品' });
    const first = await collect(source);
    const second = await collect(source);
    expect(second.rows).toEqual(first.rows);
  });

  it('previews at most maxRows rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('交易');
    ws.addRow(['交易流水号', '金额']);
    for (let i = 0; i < 500; i++) ws.addRow([`T${i}`, i * 1.5]);
    const file = tmp.file('many.xlsx', '');
    await wb.xlsx.writeFile(file);
    const { info, rows } = await previewSource({ file });
    expect(info).toMatchObject({ format: 'xlsx', sheet: '交易', headers: ['交易流水号', '金额'], progressTotal: 501 });
    expect(rows).toHaveLength(100);
    expect(rows[99]).toEqual(['T99', '148.5']);
  });

  it('reports an empty sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空表');
    const file = tmp.file('empty.xlsx', '');
    await wb.xlsx.writeFile(file);
    await expect(openSource({ file })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('工作表“空表”是空的') });
  });
});

describe('xlsx written the way Excel orders its parts', () => {
  // Excel puts sharedStrings.xml after the worksheets, which makes exceljs park sheets in temp files;
  // hand-written parts also cover what exceljs cannot write: inline strings, error cells, str formulas,
  // a non-standard sheet part name, the 1904 date system and a header below empty rows.
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const parts = (date1904: boolean) => ({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<workbook ${ns}><workbookPr${date1904 ? ' date1904="1"' : ''}/><sheets><sheet name="R&amp;D 明细" sheetId="1" r:id="rId7"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>' +
      '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
      '</Relationships>',
    'xl/worksheets/data.xml':
      `<worksheet ${ns}><dimension ref="A3:D5"/><sheetData>` +
      '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" t="inlineStr"><is><t>状态</t></is></c><c r="D3" t="s"><v>2</v></c></row>' +
      '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" s="1"><v>45000</v></c><c r="C4" t="e"><v>#N/A</v></c><c r="D4" t="str"><f>UPPER("ok")</f><v>OK</v></c></row>' +
      '<row r="5"><c r="A5"><v>42</v></c><c r="B5" s="1"><f>B4+1</f><v>45001</v></c><c r="C5" t="b"><v>1</v></c><c r="D5"><v>0.30000000000000004</v></c></row>' +
      '</sheetData></worksheet>',
    'xl/styles.xml':
      `<styleSheet ${ns}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>` +
      '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>' +
      '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/sharedStrings.xml': `<sst ${ns}><si><t>客户号</t></si><si><t>日期</t></si><si><t>说明</t></si><si><r><t>C</t></r><r><t>100</t></r></si></sst>`,
  });

  it('reads shared strings, styles and a renamed sheet part in any zip order', async () => {
    const source = await openSource({ file: tmp.file('excel-order.xlsx', makeZip(parts(false))) });
    expect(source).toMatchObject({ sheets: ['R&D 明细'], sheet: 'R&D 明细', headers: ['客户号', '日期', '状态', '说明'], progressTotal: 5 });
    expect((await collect(source)).rows).toEqual([
      { row: 4, cells: ['C100', '2023-03-15', '#N/A', 'OK'] },
      { row: 5, cells: ['42', '2023-03-16', 'TRUE', '0.3'] },
    ]);
  });

  it('honours the 1904 date system', async () => {
    const source = await openSource({ file: tmp.file('mac.xlsx', makeZip(parts(true))) });
    const { rows } = await collect(source);
    expect(rows.map((r) => r.cells[1])).toEqual(['2027-03-16', '2027-03-17']);
  });
});

describe('cell text', () => {
  it('formats numbers without float noise', () => {
    expect(formatNumber(1234.5)).toBe('1234.5');
    expect(formatNumber(1234.4999999999998)).toBe('1234.5');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(110101199001011000)).toBe('110101199001011000');
    expect(formatNumber(-0.000001)).toBe('-0.000001');
  });

  it('turns every exceljs value shape into text', () => {
    expect(cellText(null, undefined, false)).toBe('');
    expect(cellText('  keep spaces ', undefined, false)).toBe('  keep spaces ');
    expect(cellText(true, undefined, false)).toBe('TRUE');
    expect(cellText(new Date(Date.UTC(2023, 11, 31, 23, 59, 59, 700)), undefined, false)).toBe('2024-01-01');
    expect(cellText(new Date(Date.UTC(1899, 11, 30, 9, 5, 0)), undefined, false)).toBe('09:05:00');
    expect(cellText({ formula: 'A1', result: { error: '#DIV/0!' } }, undefined, false)).toBe('#DIV/0!');
    expect(cellText({ formula: 'A1' }, undefined, false)).toBe('');
    expect(cellText({ sharedFormula: 'A1', result: 'x' }, undefined, false)).toBe('x');
    expect(cellText({ error: '#REF!' }, undefined, false)).toBe('#REF!');
    expect(cellText({ text: { richText: [{ text: 'a' }, { text: 'b' }] }, hyperlink: 'x' }, undefined, false)).toBe('ab');
  });
});
