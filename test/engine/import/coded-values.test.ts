/**
 * Coded columns on a file shaped like the real bank export of issue #13 §3: 10,000 customers in XLSX with
 * gender coded 0/1 (here 1,000 rows). The importer never reads "1" as 男 silently: without a value map the
 * file is refused with the codes and their counts; the validation step shows every coded column's codes
 * and how each will be read; a value map (from the wizard, a saved template or a mapping file) imports it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMapping } from '../../../electron/cli/workspace-commands';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineError } from '../../../electron/engine/errors';
import { checkImport, importFile } from '../../../electron/engine/import/importer';
import { listTemplates, saveTemplate } from '../../../electron/engine/import/templates';
import { tempDir } from '../../support/temp';
import { dataCounts } from '../../support/workspace';

const dir = tempDir('bpw-coded-');
const file = join(dir, '客户信息导出.xlsx');
const ROWS = 1_000;
let db: Db;
const ctx = () => standaloneJobContext(db);
/** Row i is a woman when i % 9 < 4, as the file's own 0/1 codes say: 1 = 女 (4,543 of 10,000 in the original). */
const isWoman = (i: number) => i % 9 < 4;

beforeAll(async () => {
  db = openWorkspace(join(dir, 'coded.bpw'), { create: true });
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('客户信息');
  sheet.addRow(['客户号', '客户姓名', '性别', '出生日期', '风险等级', '是否同意营销', '手机号码']);
  for (let i = 0; i < ROWS; i++) {
    sheet.addRow([`K${String(i).padStart(5, '0')}`, `客户${i}`, isWoman(i) ? 1 : 0, new Date(Date.UTC(1960 + (i % 40), i % 12, 1 + (i % 28))), (i % 5) + 1, i % 3 === 0 ? '是' : '否', `139${String(i).padStart(8, '0')}`]);
  }
  await wb.xlsx.writeFile(file);
});

describe('a 0/1 gender coding', () => {
  it('is refused without a value map, naming the codes and their counts, and nothing is written', async () => {
    const before = dataCounts(db);
    let error: unknown;
    try {
      await importFile(ctx(), { file, entity: 'customers', policy: 'reject' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad_input');
    const women = Array.from({ length: ROWS }, (_, i) => i).filter(isWoman).length;
    expect((error as EngineError).message).toContain(`“0” ${(ROWS - women).toLocaleString('zh-CN')} 行`);
    expect((error as EngineError).message).toContain(`“1” ${women} 行`);
    expect((error as EngineError).message).toContain('GB/T 2261.1');
    expect(dataCounts(db)).toEqual(before);
  });

  it('shows every coded column in the validation step, with counts and readings, and flags gender', async () => {
    const check = await checkImport(ctx(), { file, entity: 'customers' });
    expect(check.rowsRead).toBe(ROWS);
    expect(check.ambiguous).toEqual(['性别']);
    const byField = Object.fromEntries(check.codedColumns.map((c) => [c.field, c]));
    expect(Object.keys(byField).sort()).toEqual(['consent_marketing', 'gender', 'risk_level']);
    expect(byField.gender!.codes.map((c) => [c.raw, c.reading])).toEqual([
      ['0', '未知（按空值导入）'],
      ['1', '男'],
    ]);
    expect(byField.gender!.ambiguity).toContain('0/1');
    expect(byField.risk_level!.codes.map((c) => c.reading).sort()).toEqual(['C1 保守型', 'C2 稳健型', 'C3 平衡型', 'C4 成长型', 'C5 进取型']);
    expect(byField.consent_marketing!.codes.map((c) => [c.raw, c.reading, c.count])).toEqual([
      ['否', '否', 666],
      ['是', '是', 334],
    ]);
    // The dry run wrote nothing and recorded nothing.
    expect(dataCounts(db).customers).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM import_batches').get()).toEqual({ n: 0 });
  });

  it('imports with a value map saved in a template, 1 read as 女', async () => {
    const mapping = { columns: { 客户号: 'customer_id', 客户姓名: 'name', 性别: 'gender', 出生日期: 'birth_date', 风险等级: 'risk_level', 是否同意营销: 'consent_marketing', 手机号码: 'mobile' }, values: { gender: { '0': 'M', '1': 'F' } } };
    saveTemplate(db, '行内客户导出', 'customers', mapping);
    const template = listTemplates(db, 'customers').find((t) => t.name === '行内客户导出')!;
    expect(template.mapping.values).toEqual({ gender: { '0': 'M', '1': 'F' } });

    const check = await checkImport(ctx(), { file, entity: 'customers', mapping: template.mapping });
    expect(check.ambiguous).toEqual([]);
    expect(check.codedColumns.find((c) => c.field === 'gender')!.codes.map((c) => [c.raw, c.reading, c.status])).toEqual([
      ['0', '男', 'mapped'],
      ['1', '女', 'mapped'],
    ]);

    const result = await importFile(ctx(), { file, entity: 'customers', policy: 'reject', mapping: template.mapping });
    expect(result.status).toBe('committed');
    const counts = Object.fromEntries((db.prepare('SELECT gender, count(*) AS n FROM customers GROUP BY gender').all() as { gender: string; n: number }[]).map((r) => [r.gender, r.n]));
    expect(counts).toEqual({ F: Array.from({ length: ROWS }, (_, i) => i).filter(isWoman).length, M: ROWS - counts.F! });
    expect(db.prepare("SELECT gender FROM customers WHERE customer_id = 'K00000'").get()).toEqual({ gender: 'F' });
  });

  it('accepts a mapping file with only value maps, keeping the automatic column matching', async () => {
    const mappingFile = join(dir, 'values.json');
    writeFileSync(mappingFile, JSON.stringify({ values: { gender: { '0': 'M', '1': 'F' } } }));
    const mapping = loadMapping(mappingFile, 'customers');
    const result = await importFile(ctx(), { file, entity: 'customers', policy: 'reject', mapping });
    expect(result.status).toBe('committed');
    expect(result.rowsLoaded).toBe(ROWS);
  });

  it('reads GB/T 2261.1 codes 1/2 by the standard, with 0 and 9 as unknown', async () => {
    const csv = join(dir, 'gbt.csv');
    writeFileSync(csv, '客户号,性别\nG1,1\nG2,2\nG3,0\nG4,9\n');
    const result = await importFile(ctx(), { file: csv, entity: 'customers', policy: 'reject' });
    expect(result.status).toBe('committed');
    expect(db.prepare("SELECT customer_id, gender FROM customers WHERE customer_id LIKE 'G%' ORDER BY 1").all()).toEqual([
      { customer_id: 'G1', gender: 'M' },
      { customer_id: 'G2', gender: 'F' },
      { customer_id: 'G3', gender: null },
      { customer_id: 'G4', gender: null },
    ]);
  });
});
