/**
 * The importer defects a hostile test found (issue #15 §1, items 1, 2, 3, 5, 9 and 12): each reproduction
 * here failed before the fix. Every refused input ends in a Chinese bad_input error or a row error that
 * names the row, never an internal error, and leaves the workspace's data as it was.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliOutput, terminalText } from '../../../electron/cli/output';
import { importCommand } from '../../../electron/cli/workspace-commands';
import { latestDataMonth, resolveAsOf } from '../../../electron/engine/analytics/as-of';
import { standaloneJobContext } from '../../../electron/engine/context';
import { localToday } from '../../../electron/engine/customers/today';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineError } from '../../../electron/engine/errors';
import { EngineHost } from '../../../electron/engine/host';
import { importFile, type ImportRequest } from '../../../electron/engine/import/importer';
import { previewImport } from '../../../electron/engine/import/preview';
import { openSource } from '../../../electron/engine/import/source';
import { tempDir } from '../../support/temp';
import { dataCounts, writeCsv, writeCustomers } from '../../support/workspace';
import { workbookParts, zipParts } from './xlsx-fixtures';

const dir = tempDir('bpw-hardening-');
let db: Db;
const ctx = () => standaloneJobContext(db);
const run = (request: Partial<ImportRequest> & { file: string }) => importFile(ctx(), { entity: 'customers', policy: 'reject', ...request });

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad_input');
    return error as EngineError;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  db = openWorkspace(join(dir, 'hardening.bpw'), { create: true });
  expect((await run({ file: writeCustomers(join(dir, 'customers.csv'), 20) })).status).toBe('committed');
});

describe('1. echoed values are clipped and workbook parts are bounded', () => {
  it('stores and returns a clipped value and a short message for a 500 KB rejected cell', async () => {
    const blob = `9${'x'.repeat(500_000)}`;
    const file = writeCsv(join(dir, 'blob.csv'), ['客户号,月份,月日均资产', `C000001,2024-05,${blob}`]);
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'skip-bad' });
    expect(result.errorCount).toBe(1);
    const [error] = result.errors;
    expect(error!.message.length).toBeLessThan(200);
    expect(error!.value!.length).toBeLessThanOrEqual(201);
    const stored = db.prepare('SELECT length(value) AS v, length(message) AS m FROM import_errors WHERE batch_id = ?').get(result.batchId) as { v: number; m: number };
    expect(stored.v).toBeLessThanOrEqual(201);
    expect(stored.m).toBeLessThan(200);
  });

  it('refuses a shared string longer than Excel allows', async () => {
    const file = join(dir, 'long-cell.xlsx');
    writeFileSync(file, zipParts(workbookParts([['客户号', '客户姓名'], ['C000001', '张'.repeat(40_000)]])));
    const error = await refusal(run({ file }));
    expect(error.message).toMatch(/32,767 个字符/);
  });

  it('refuses a part whose declared size is absurd before inflating anything', async () => {
    const parts = workbookParts([['客户号'], ['C000001']]);
    parts[2] = { ...parts[2]!, declaredSize: 300 << 20 };
    const file = join(dir, 'declared.xlsx');
    writeFileSync(file, zipParts(parts));
    const error = await refusal(openSource({ file }));
    expect(error.message).toMatch(/超出导入上限|压缩比异常/);
  });

  it('stops a shared-strings bomb that lies about its size, in bounded memory', async () => {
    // 40 MB of tiny strings deflate to ~100 KB: the zip declares 1 KB, the guard counts the real bytes.
    const sst = Buffer.from(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(2_500_000)}</sst>`);
    const parts = workbookParts([['客户号'], ['C000001']], { sharedStrings: sst });
    parts[2] = { ...parts[2]!, declaredSize: 1024 };
    const file = join(dir, 'bomb.xlsx');
    writeFileSync(file, zipParts(parts));
    const before = process.memoryUsage().rss;
    const error = await refusal(run({ file }));
    expect(error.message).toMatch(/损坏|压缩比异常/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 << 20);
  });

  it('stops a bomb whose declared size is honest by its compression ratio', async () => {
    const sst = Buffer.from(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(1_500_000)}</sst>`);
    const parts = workbookParts([['客户号'], ['C000001']], { sharedStrings: sst });
    const file = join(dir, 'ratio.xlsx');
    writeFileSync(file, zipParts(parts));
    const error = await refusal(run({ file }));
    expect(error.message).toMatch(/压缩比异常/);
  });
});

describe('2. only finite decimal numbers, blank-like cells blank, plausible bounds', () => {
  it.each(['Infinity', '1e400', '0x1F', '0b101', '0o17', 'NaN'])('rejects %s as an amount', async (amount) => {
    const file = writeCsv(join(dir, `amount-${amount}.csv`), ['客户号,月份,月日均资产', `C000001,2024-05,${amount}`]);
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'reject' });
    expect(result.status).toBe('rejected');
    expect(result.errors[0]!.message).toMatch(/不是有效的金额/);
  });

  it('reads a TAB-only required amount as empty, not 0', async () => {
    const file = join(dir, 'tab.csv');
    writeFileSync(file, '客户号;月份;月日均资产\nC000001;2024-05;\t\n');
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'reject' });
    expect(result.status).toBe('rejected');
    expect(result.errors[0]!.message).toBe('必填项“月日均资产”为空');
  });

  it('reports values beyond the plausible bound of settings, in 万元', async () => {
    const file = writeCsv(join(dir, 'huge.csv'), ['客户号,月份,月日均资产', 'C000001,2024-05,20000000000']);
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'reject' });
    expect(result.errors[0]!.message).toMatch(/超出合理范围（不能大于 1000000 万元）/);
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('import', ?, '')").run(JSON.stringify({ bounds: { 'balances.aum': { max: 1e11 } } }));
    try {
      expect((await importFile(ctx(), { file, entity: 'balances', policy: 'reject' })).status).toBe('committed');
    } finally {
      db.prepare("DELETE FROM settings WHERE key = 'import'").run();
      db.prepare("DELETE FROM balances WHERE month = '2024-05'").run();
    }
  });
});

describe('3. future dates are refused, and the as-of date never moves past today', () => {
  it('refuses a 2030-01 balance row and names its row', async () => {
    const file = writeCsv(join(dir, 'future.csv'), ['客户号,月份,月日均资产', 'C000001,2024-05,100', 'C000002,2030-01,100']);
    const before = dataCounts(db);
    const result = await importFile(ctx(), { file, entity: 'balances', policy: 'reject' });
    expect(result.status).toBe('rejected');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ row: 3, column: '月份' });
    expect(result.errors[0]!.message).toMatch(/月份“2030-01”晚于本月/);
    expect(dataCounts(db)).toEqual(before);
  });

  it('refuses a future transaction date under skip-bad and loads the rest', async () => {
    const file = writeCsv(join(dir, 'future-txn.csv'), ['交易流水号,客户号,交易日期,交易金额', 'F1,C000001,2024-05-02,10', 'F2,C000001,2099-01-01,10']);
    const result = await importFile(ctx(), { file, entity: 'transactions', policy: 'skip-bad' });
    expect(result.rowsLoaded).toBe(1);
    expect(result.errors.map((e) => e.row)).toEqual([3]);
  });

  it('keeps the as-of month at or before the current month even if a future row got in', () => {
    db.prepare("INSERT INTO balances (customer_id, month, aum) VALUES ('C000001', '2030-01', 1), ('C000001', '2024-04', 1)").run();
    try {
      const thisMonth = localToday().slice(0, 7);
      expect(latestDataMonth(db).month <= thisMonth).toBe(true);
      expect(resolveAsOf(db).asOf <= localToday()).toBe(true);
    } finally {
      db.prepare("DELETE FROM balances WHERE customer_id = 'C000001'").run();
    }
  });
});

describe('5. a folder given as the file', () => {
  it('is a clear bad_input for the importer and the preview', async () => {
    const folder = join(dir, '客户数据');
    mkdirSync(folder, { recursive: true });
    expect((await refusal(run({ file: folder }))).message).toBe('“客户数据”是文件夹，请选择要导入的 CSV 或 Excel 文件');
    expect((await refusal(previewImport({ file: folder, entity: 'customers' }))).message).toContain('是文件夹');
  });
});

describe('12. minor defects', () => {
  it.each(['2024-03-05 99:99', '2024-03-05 24:30', '2024-03-05 12:60:00', '20240305996000'])('refuses the invalid time in %s', async (raw) => {
    const file = writeCsv(join(dir, 'time.csv'), ['客户号,开户日期', `T01,${raw}`]);
    const result = await run({ file });
    expect(result.status).toBe('rejected');
    expect(result.errors[0]!.message).toMatch(/时间部分不存在/);
  });

  it('names the row of a NUL byte in the first megabyte', async () => {
    const file = join(dir, 'nul.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('客户号,客户姓名\nN1,甲\nN2,乙'), Buffer.from([0]), Buffer.from('\nN3,丙\n')]));
    const error = await refusal(run({ file }));
    expect(error.message).toMatch(/第 3 行含有空字符（NUL/);
  });

  it('reads a file with the NUL byte after the first megabyte up to its row, naming it', async () => {
    const lines = ['客户号,客户姓名'];
    for (let i = 0, length = 0; length < 1_100_000; i++) {
      lines.push(`L${i},客户${i}`);
      length += lines.at(-1)!.length + 1;
    }
    const file = join(dir, 'late-nul.csv');
    writeFileSync(file, `${lines.join('\n')}\nLX,坏\u0000行\n`);
    const result = await run({ file });
    expect(result.status).toBe('rejected');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.row).toBe(lines.length + 1);
  });
});

describe('9 and 12: the CLI import command, through the engine host', () => {
  let host: EngineHost;
  beforeAll(() => {
    host = new EngineHost({ log: () => {} });
  });
  afterAll(() => host.close());

  /** Runs the command as electron/cli.ts does (errors through CliOutput.fail) and captures what it prints. */
  async function cli(values: Record<string, string | boolean>): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (stdout.push(String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    const output = new CliOutput(values.json === true);
    try {
      const code = await importCommand(host, { values, positionals: [] }, output).catch((error: unknown) => output.fail(error));
      return { code, stdout: stdout.join(''), stderr: stderr.join('') };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('answers import.preview of a folder with bad_input, not internal', async () => {
    const envelope = await host.invoke('import.preview', { file: dir, entity: 'customers' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('escapes control and ESC bytes of rejected cells, and removes the new workspace the failed import made', async () => {
    expect(terminalText('a\u001b[2Jb\u0007c\u009bd\ne\tf')).toBe('a\\x1b[2Jb\\x07c\\x9bd\ne\tf');
    const workspace = join(dir, 'cli-esc.bpw');
    const file = writeCsv(join(dir, 'esc.csv'), ['客户号,月份,月日均资产', `C1,2024-05,\u001b]0;pwned\u0007\u001b[31m12`]);
    const result = await cli({ workspace, entity: 'balances', file });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(result.stdout).toContain('\\x1b');
    expect(existsSync(workspace)).toBe(false);
  });

  it('leaves no empty workspace behind when an import into a mistyped path fails, and creates it when one succeeds', async () => {
    const workspace = join(dir, '错字.bpw');
    expect((await cli({ workspace, entity: 'customers', file: join(dir, 'no-such-file.csv') })).code).toBe(2);
    expect(existsSync(workspace)).toBe(false);
    const folder = await cli({ workspace, entity: 'customers', file: dir, json: true });
    expect(folder.code).toBe(2);
    expect(JSON.parse(folder.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(existsSync(workspace)).toBe(false);
    expect((await cli({ workspace, entity: 'customers', file: join(dir, 'customers.csv') })).code).toBe(0);
    expect(existsSync(workspace)).toBe(true);
  });
});
