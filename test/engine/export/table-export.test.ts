import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult } from '../../../shared/api';
import { exportRequestSchema } from '../../../shared/api';
import { listAudit } from '../../../electron/engine/audit';
import { standaloneJobContext } from '../../../electron/engine/context';
import { listColumns } from '../../../electron/engine/customers/list-columns';
import { CancelledError, EngineError } from '../../../electron/engine/errors';
import { exportTable } from '../../../electron/engine/export/table-export';
import { writeSettings } from '../../../electron/engine/settings-store';
import { seedCustomers, tempWorkspace, type FixtureCustomer, type TempWorkspace } from '../customers/fixture';

const HYPERLINK = '=HYPERLINK("http://example.invalid","点我")';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function readSheet(path: string): Promise<(string | number | null)[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    // row.values is sparse and 1-based: empty cells are holes, which Array.from turns into undefined.
    rows.push(Array.from(row.values as unknown[], (v) => (v ?? null) as string | number | null).slice(1));
  });
  return rows;
}

describe('table export', () => {
  let ws: TempWorkspace;
  let customers: FixtureCustomer[];
  const run = (request: Record<string, unknown>, signal?: AbortSignal) =>
    exportTable(standaloneJobContext(ws.db, signal ? { signal } : {}), exportRequestSchema.parse(request));

  beforeAll(() => {
    ws = tempWorkspace();
    customers = seedCustomers(ws.db, 300);
    ws.db.prepare('UPDATE customers SET occupation = ? WHERE customer_id = ?').run(HYPERLINK, 'C00001');
    customers[0]!.occupation = HYPERLINK;
  });
  afterAll(() => ws.close());

  it('writes the filtered customer list to XLSX: Chinese headers, masked names, neutralised formulas, every row', async () => {
    const path = join(ws.dir, '客户清单.xlsx');
    const filter = { any: [{ field: 'risk_level', op: '=', value: 'C2' }, { field: 'customer_id', op: '=', value: 'C00001' }] };
    const result = await run({ kind: 'customers', path, format: 'xlsx', filter });
    const expected = customers.filter((c) => c.risk_level === 'C2' || c.customer_id === 'C00001');
    expect(result).toEqual({ path, rows: expected.length, sha256: sha256(path) });

    const rows = await readSheet(path);
    // No analysis has run: the score columns are left out.
    expect(rows[0]).toEqual(listColumns(false).map((c) => c.label));
    expect(rows[0]).not.toContain('流失概率(%)');
    // Who first, then money (in 万元, named as in the glossary), then suitability: never the bare 风险等级.
    expect(rows[0]!.slice(0, 3)).toEqual(['客户号', '客户姓名', '近3个月日均资产(万元)']);
    expect(rows[0]).toContain('风险承受等级');
    expect(rows[0]).toContain('最新月日均资产(万元)');
    expect(rows[0]!.some((h) => typeof h === 'string' && h.includes('(元)'))).toBe(false);
    expect(rows).toHaveLength(expected.length + 1);
    const first = rows[1]!;
    const at = (label: string) => rows[0]!.indexOf(label);
    expect(first[0]).toBe('C00001');
    expect(first[1]).toBe(`${customers[0]!.name![0]}*${customers[0]!.name!.length === 3 ? customers[0]!.name![2] : ''}`);
    expect(first[at('性别')]).toBe('女');
    expect(first[at('职业')]).toBe(`'${HYPERLINK}`);
    const names = rows.slice(1).map((r) => r[1]).filter((n): n is string => typeof n === 'string');
    expect(names.every((n) => n.includes('*'))).toBe(true);

    const entry = listAudit(ws.db, 0, 1).entries[0]!;
    expect(entry).toMatchObject({ action: 'export', rowCount: expected.length, outputSha256: result.sha256 });
    expect(entry.params).toMatchObject({ kind: 'customers', file: path, format: 'xlsx', filter: '风险承受等级 = C2 稳健型 或 客户号 = C00001', masked: true });
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('writes the columns the screen shows, in its order, with amounts in 万元', async () => {
    const path = join(ws.dir, '客户清单_列.xlsx');
    const columns = [{ key: 'customer_id', label: '客户号' }, { key: 'aum_avg_3m', label: 'x' }, { key: 'aum_latest', label: 'y' }, { key: 'no_such', label: 'z' }];
    await run({ kind: 'customers', path, format: 'xlsx', filter: { field: 'customer_id', op: '=', value: 'C00002' }, columns });
    const rows = await readSheet(path);
    // Labels come from the engine's glossary, not from the request; keys the list does not know are dropped.
    expect(rows[0]).toEqual(['客户号', '近3个月日均资产(万元)', '最新月日均资产(万元)']);
    // C00002 holds 2,000 / 3,000 / 4,000 元 over the fixture's three months.
    expect(rows[1]).toEqual(['C00002', 0.3, 0.4]);
  });

  it('writes CSV as UTF-8 with a BOM, quoted and neutralised, raw names when masking is off', async () => {
    const path = join(ws.dir, 'customers.csv');
    writeSettings(ws.db, { maskPii: false });
    let result: ExportResult;
    try {
      // Unmasked personal data in bulk leaves only with a stated purpose (issue #14).
      await expect(run({ kind: 'customers', path, format: 'csv', search: 'C0000' })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('用途') });
      result = await run({ kind: 'customers', path, format: 'csv', search: 'C0000', purpose: '核对代发工资名单' });
    } finally {
      writeSettings(ws.db, { maskPii: true });
    }
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(listColumns(false).map((c) => c.label).join(','));
    expect(lines.length - 2).toBe(9);
    expect(result.rows).toBe(9);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://example.invalid"",""点我"")"`);
    expect(lines[1]!.split(',')[1]).toBe(customers[0]!.name);
    // The newest entry is the settings change back to masking; the export is the one before.
    const entry = listAudit(ws.db, 0, 5).entries.find((e) => e.action === 'export')!;
    expect(entry).toMatchObject({ action: 'export', rowCount: 9, outputSha256: sha256(path), reason: '核对代发工资名单', params: { format: 'csv', search: 'C0000', masked: false } });
    expect(entry.summary).toBe('导出客户清单 9 行，搜索：C0000，未脱敏，用途：核对代发工资名单，文件 customers.csv');
  });

  it('exports an import batch’s errors with 行号, 列, 值, 问题, masking PII values', async () => {
    const batchId = Number(
      ws.db
        .prepare(
          `INSERT INTO import_batches (entity, file_name, file_sha256, file_bytes, policy, mapping_json, status, rows_read, rows_loaded, rows_rejected, started_at, finished_at)
           VALUES ('customers', '客户.csv', 'x', 1, 'reject', ?, 'rejected', 3, 0, 3, '2024-07-01', '2024-07-01')`,
        )
        .run(JSON.stringify({ columns: { 身份证号: 'id_number', 开户日期: 'open_date' } })).lastInsertRowid,
    );
    const insert = ws.db.prepare('INSERT INTO import_errors (batch_id, row_number, column_name, value, message) VALUES (?, ?, ?, ?, ?)');
    insert.run(batchId, 3, '身份证号', '11010119900101123X', '“11010119900101123X”与另一客户重复');
    insert.run(batchId, 2, '开户日期', '2024/13/01', '“2024/13/01”无法识别：日期不存在');
    insert.run(batchId, 4, null, null, '=cmd|calc');
    const path = join(ws.dir, 'errors.xlsx');
    const result = await run({ kind: 'import-errors', path, batchId });
    expect(result.rows).toBe(3);
    expect(await readSheet(path)).toEqual([
      ['行号', '列', '值', '问题'],
      [2, '开户日期', '2024/13/01', '“2024/13/01”无法识别：日期不存在'],
      [3, '身份证号', '110101********123X', '“110101********123X”与另一客户重复'],
      [4, null, null, "'=cmd|calc"],
    ]);
    await expect(run({ kind: 'import-errors', path: join(ws.dir, 'e2.xlsx'), batchId: 999 })).rejects.toThrow(/找不到导入批次 999/);
  });

  it('exports rows sent by the renderer, keeping numbers as numbers', async () => {
    const path = join(ws.dir, 'chart.csv');
    const result = await run({
      kind: 'rows',
      path,
      format: 'csv',
      title: '层级分布',
      columns: [{ key: 'tier', label: '价值层级' }, { key: 'n', label: '客户数' }],
      rows: [{ tier: '私行', n: 12 }, { tier: '-1+1', n: -5 }, { tier: '@SUM(A1)', n: null }],
    });
    expect(result.rows).toBe(3);
    expect(readFileSync(path, 'utf8')).toBe("\uFEFF价值层级,客户数\r\n私行,12\r\n'-1+1,-5\r\n'@SUM(A1),\r\n");
  });

  it('leaves no file, final or temporary, when cancelled', async () => {
    const controller = new AbortController();
    const path = join(ws.dir, 'cancelled.xlsx');
    const ctx = standaloneJobContext(ws.db, {
      signal: controller.signal,
      onProgress: (_phase, done) => {
        if (done > 0) controller.abort();
      },
    });
    const auditBefore = listAudit(ws.db, 0, 1).total;
    await expect(exportTable(ctx, exportRequestSchema.parse({ kind: 'customers', path }))).rejects.toBeInstanceOf(CancelledError);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(ws.dir).filter((f) => f.includes('cancelled'))).toEqual([]);
    expect(listAudit(ws.db, 0, 1).total).toBe(auditBefore);
  });

  it('refuses a wrong extension, a missing folder and a bad filter before writing anything', async () => {
    await expect(run({ kind: 'customers', path: join(ws.dir, 'list.csv'), format: 'xlsx' })).rejects.toThrow(/扩展名与导出格式不符/);
    await expect(run({ kind: 'customers', path: join(ws.dir, 'nope', 'list.xlsx') })).rejects.toThrow(/找不到文件夹/);
    await expect(run({ kind: 'customers', path: join(ws.dir, 'bad.xlsx'), filter: { field: 'mobile', op: '=', value: '1' } })).rejects.toBeInstanceOf(EngineError);
    await expect(run({ kind: 'rows', path: join(ws.dir, 'empty.xlsx') })).rejects.toThrow(/没有可导出的列/);
    expect(readdirSync(ws.dir).filter((f) => /list|bad|empty/.test(f))).toEqual([]);
  });
});
