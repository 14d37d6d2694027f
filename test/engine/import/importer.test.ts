/**
 * The importer end to end on real files: every bad input of the foundation issue ends with a Chinese error
 * that names what to fix, and the workspace data unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineError } from '../../../electron/engine/errors';
import { describeRowError, importFile, type ImportRequest } from '../../../electron/engine/import/importer';
import { tempDir } from '../../support/temp';
import { dataCounts, writeCsv, writeCustomers } from '../../support/workspace';

const dir = tempDir();
let db: Db;
const ctx = () => standaloneJobContext(db);
const run = (request: Partial<ImportRequest> & { file: string }) => importFile(ctx(), { entity: 'customers', policy: 'reject', ...request });

async function expectRejected(request: Partial<ImportRequest> & { file: string }, pattern: RegExp): Promise<void> {
  const before = dataCounts(db);
  let error: unknown;
  try {
    await run(request);
  } catch (e) {
    error = e;
  }
  expect(error, 'should throw a user error').toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('bad_input');
  expect((error as EngineError).message).toMatch(pattern);
  expect(dataCounts(db)).toEqual(before);
}

beforeAll(async () => {
  db = openWorkspace(join(dir, 'import.bpw'), { create: true });
  const result = await run({ file: writeCustomers(join(dir, 'customers.csv'), 50) });
  expect(result.status).toBe('committed');
  expect(result.rowsLoaded).toBe(50);
});

describe('good files', () => {
  it('records the batch with the file SHA-256 and an audit entry', async () => {
    const batch = db.prepare('SELECT * FROM import_batches ORDER BY batch_id LIMIT 1').get() as Record<string, unknown>;
    expect(batch.status).toBe('committed');
    expect(batch.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(batch.rows_loaded).toBe(50);
    const audit = db.prepare("SELECT * FROM audit_log WHERE action = 'import'").all();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('parses values the bank-export way', async () => {
    const file = writeCsv(join(dir, 'formats.csv'), [
      '客户编号,姓名,性别,出生日期,开户日期,风险承受能力,同意营销',
      'F001,张三丰,M,1990/3/5,20200105,进取型,是',
      'F002,李四,2,1985年12月1日,2021-06-30,稳健型,否',
      'F003,,,,,,',
    ]);
    const result = await run({ file });
    expect(result.status).toBe('committed');
    const rows = db.prepare("SELECT customer_id, name, gender, birth_date, open_date, risk_level, consent_marketing FROM customers WHERE customer_id LIKE 'F%' ORDER BY 1").all();
    expect(rows).toEqual([
      { customer_id: 'F001', name: '张三丰', gender: 'M', birth_date: '1990-03-05', open_date: '2020-01-05', risk_level: 'C5', consent_marketing: 1 },
      { customer_id: 'F002', name: '李四', gender: 'F', birth_date: '1985-12-01', open_date: '2021-06-30', risk_level: 'C2', consent_marketing: 0 },
      { customer_id: 'F003', name: null, gender: null, birth_date: null, open_date: null, risk_level: null, consent_marketing: null },
    ]);
  });

  it('upserts on re-import of the same key and keeps unmapped columns', async () => {
    const file = writeCsv(join(dir, 'update.csv'), ['客户号,风险等级', 'F001,C1']);
    const result = await run({ file });
    expect(result.rowsLoaded).toBe(1);
    expect(db.prepare("SELECT name, risk_level FROM customers WHERE customer_id = 'F001'").get()).toEqual({ name: '张三丰', risk_level: 'C1' });
  });

  it('reads amounts in 万元 from the header unit and reports unknown customers by row', async () => {
    const file = writeCsv(join(dir, 'balances.csv'), ['客户号,月份,月日均资产(万元),存款余额', 'C000001,2024-05,12.5,"1,000.00"', 'NOBODY,2024-05,1,1']);
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'skip-bad' });
    expect(result.rowsLoaded).toBe(1);
    expect(result.errors).toEqual([{ row: 3, column: '客户号', value: 'NOBODY', message: '客户号“NOBODY”在工作区中不存在，请先导入客户信息' }]);
    expect(db.prepare("SELECT aum, deposit FROM balances WHERE customer_id = 'C000001'").get()).toEqual({ aum: 125_000, deposit: 1000 });
    // References are checked in memory during the load; SQLite's own check is back on afterwards.
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare("INSERT INTO balances (customer_id, month, aum) VALUES ('NOBODY', '2024-06', 1)").run()).toThrow(/FOREIGN KEY/);
  });

  it('checks holdings against both customers and products, naming the missing one, and rejects the batch by default', async () => {
    writeCsv(join(dir, 'products.csv'), ['产品代码,产品名称,产品类型', 'P01,稳盈一号,理财']);
    await importFile(ctx(), { file: join(dir, 'products.csv'), entity: 'products', policy: 'reject' });
    const file = writeCsv(join(dir, 'holdings.csv'), [
      '客户号,产品代码,开立日期,持有余额',
      'C000001,P01,2024-01-02,50000',
      'C000001,P99,2024-01-02,1000',
      'GHOST,P01,2024-01-02,1000',
    ]);
    const before = dataCounts(db);
    const rejected = await importFile(ctx(), { file, entity: 'holdings', policy: 'reject' });
    expect(rejected.status).toBe('rejected');
    expect(dataCounts(db)).toEqual(before);
    expect(rejected.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, '产品代码', '产品代码“P99”在工作区中不存在，请先导入产品信息'],
      [4, '客户号', '客户号“GHOST”在工作区中不存在，请先导入客户信息'],
    ]);
    const loaded = await importFile(ctx(), { file, entity: 'holdings', policy: 'skip-bad' });
    expect(loaded.rowsLoaded).toBe(1);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  });

  it('imports GBK files, semicolons and quoted newlines', async () => {
    const text = ['客户号;客户姓名;职业', 'G001;"王五";"教师"', 'G002;"赵六";"个体经营\n兼职"'].join('\r\n');
    const file = join(dir, 'gbk.csv');
    writeFileSync(file, iconv.encode(text, 'gbk'));
    const result = await run({ file });
    expect(result.encoding).toBe('gb18030');
    expect(result.delimiter).toBe(';');
    expect(db.prepare("SELECT occupation FROM customers WHERE customer_id = 'G002'").get()).toEqual({ occupation: '个体经营\n兼职' });
  });

  it('imports the named sheet of an XLSX workbook', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['本表为客户经理名单']);
    const sheet = workbook.addWorksheet('客户经理');
    sheet.addRow(['客户经理号', '姓名', '团队']);
    sheet.addRow(['M01', '陈经理', '财富管理团队']);
    const file = join(dir, 'managers.xlsx');
    await workbook.xlsx.writeFile(file);
    const result = await importFile(ctx(), { file, entity: 'managers', policy: 'reject', sheet: '客户经理' });
    expect(result.rowsLoaded).toBe(1);
    expect(db.prepare('SELECT * FROM managers').get()).toMatchObject({ manager_id: 'M01', name: '陈经理', team: '财富管理团队' });
  });
});

describe('bad input gets a clear answer and nothing lost', () => {
  it('an empty file', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    await expectRejected({ file }, /空/);
  });

  it('a header-only file', async () => {
    await expectRejected({ file: writeCsv(join(dir, 'header-only.csv'), ['客户号,客户姓名']) }, /只有表头，没有数据行/);
  });

  it('a file in the wrong encoding', async () => {
    const file = join(dir, 'gbk-as-utf8.csv');
    writeFileSync(file, iconv.encode('客户号,客户姓名\nW001,钱七\n', 'gbk'));
    await expectRejected({ file, encoding: 'utf-8' }, /UTF-8.*GBK|GBK.*UTF-8/);
  });

  it('a missing required column', async () => {
    const file = writeCsv(join(dir, 'no-key.csv'), ['客户姓名,性别', '孙八,男']);
    await expectRejected({ file }, /缺少必填列：客户号/);
  });

  it('a binary file renamed to .csv', async () => {
    const file = join(dir, 'photo.csv');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, ...Array.from({ length: 2000 }, (_, i) => i % 256)]));
    await expectRejected({ file }, /不是文本格式/);
  });

  it('a 10 MB single field', async () => {
    const file = join(dir, 'huge-field.csv');
    writeFileSync(file, `客户号,客户姓名\nH001,"${'长'.repeat(10 * 1024 * 1024 / 3)}"\n`);
    await expectRejected({ file }, /超过 1 MB/);
  });

  it('a duplicate key within a file, a broken date and a negative age, reported by row', async () => {
    const file = writeCsv(join(dir, 'bad-rows.csv'), [
      '客户号,客户姓名,出生日期,开户日期',
      'D001,周一,1980-01-01,2020-01-01',
      'D002,吴二,1981-02-02,2023/13/01',
      'D001,周一,1980-01-01,2020-01-01',
      'D003,郑三,2090-01-01,2020-01-01',
      'D004,王四,1982-03-03,2021-03-03',
    ]);
    const before = dataCounts(db);
    const result = await run({ file });
    expect(result.status).toBe('rejected');
    expect(result.rowsLoaded).toBe(0);
    expect(dataCounts(db)).toEqual(before);
    const described = result.errors.map(describeRowError);
    expect(described.slice(0, 2)).toEqual([
      '第 3 行“开户日期”：“2023/13/01”无法识别：日期不存在，请使用 YYYY-MM-DD（也支持 2024/3/5、20240305、2024年3月5日）',
      // Under 整批拒绝 nothing is kept, so the message must not say the first row was (issue #15 §1.12).
      '第 4 行“客户号”：客户号“D001”在本文件中重复出现，请删除重复的行后重新导入',
    ]);
    expect(described[2]).toMatch(/^第 5 行“出生日期”：出生日期“2090-01-01”晚于导入当天（\d{4}-\d{2}-\d{2}），未来的日期不能导入/);
    expect(described).toHaveLength(3);
    expect(result.message).toContain('整批拒绝');
    const batch = db.prepare('SELECT status, rows_loaded FROM import_batches WHERE batch_id = ?').get(result.batchId);
    expect(batch).toEqual({ status: 'rejected', rows_loaded: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM import_errors WHERE batch_id = ?').get(result.batchId)).toEqual({ n: 3 });
  });

  it('a negative age in an age column', async () => {
    const file = writeCsv(join(dir, 'ages.csv'), ['客户号,年龄', 'A001,35', 'A002,-5']);
    const result = await run({ file });
    expect(result.status).toBe('rejected');
    expect(result.errors.map(describeRowError)).toEqual(['第 3 行“年龄”：年龄不能为负数']);
  });

  it('loads the good rows when the user chooses skip-bad', async () => {
    const file = writeCsv(join(dir, 'skip.csv'), ['客户号,开户日期', 'S001,2020-01-01', 'S002,not-a-date', 'S003,2021-01-01']);
    const result = await run({ file, policy: 'skip-bad' });
    expect(result.status).toBe('committed');
    expect(result.rowsLoaded).toBe(2);
    expect(result.rowsRejected).toBe(1);
    expect(result.errors[0]).toMatchObject({ row: 3, column: '开户日期', value: 'not-a-date' });
  });

  it('a ragged row', async () => {
    const file = writeCsv(join(dir, 'ragged.csv'), ['客户号,客户姓名', 'R001,甲', 'R002,乙,多余']);
    const result = await run({ file });
    expect(result.errors.map(describeRowError)).toEqual(['第 3 行：该行有 3 列，表头有 2 列。可能多了或少了分隔符，或字段中的逗号没有加引号']);
  });
});
